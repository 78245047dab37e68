package io.stormwatch.storm.spout;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.groups.Tuple.tuple;

import io.stormwatch.core.io.BlockBounds;
import io.stormwatch.core.io.FileIdentity;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.spout.RecordingSpoutOutputCollector.EmittedLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolDirectorySpoutTest {

    @TempDir
    Path dir;

    private SpoolDirectorySpout spout() {
        return new SpoolDirectorySpout(dir.toString()).withPollIntervalMillis(0).withCheckpointIntervalMillis(0);
    }

    /** A spout whose blocks hold one line each: for tests about single lines' acks, gaps and resume points. */
    private SpoolDirectorySpout lineSpout() {
        return spout().withBlockBounds(BlockBounds.SINGLE_LINE);
    }

    private Path write(String name, String content, long mtimeSeconds) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtimeSeconds * 1000));
        return file;
    }

    /** The source of the lines of {@code file} as it is now: {@code <path>#<instance id>}. */
    private static String sourceOf(Path file) throws IOException {
        return FileIdentity.of(file).sourceOf(file);
    }

    /** The file key as an instance id shows it on Linux: {@code dev.<device in hex>.ino.<inode>}. */
    private static String inodeOf(Path file) throws IOException {
        return "dev." + Long.toHexString((Long) Files.getAttribute(file, "unix:dev"))
                + ".ino." + Files.getAttribute(file, "unix:ino");
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void emitsTheOldestFileFirstInBlocksOfOneFileWithByteOffsets() throws IOException {
        Path newer = write("a.log", "newer\n", 2000);
        Path older = write("b.log", "first\r\nsecond\n\nfourth", 1000);
        String olderSource = sourceOf(older);
        String newerSource = sourceOf(newer);
        try (var h = SpoutHarness.open(spout())) {
            h.nextUntil(() -> h.collector.blocks().size() == 2, 100);

            assertThat(h.collector.blocks())
                    .extracting(e -> e.texts(), e -> e.source(), e -> e.offset(), e -> e.nextOffset())
                    .as("one block per file, never one across both")
                    .containsExactly(
                            tuple(List.of("first", "second", "", "fourth"), olderSource, 0L, 21L),
                            tuple(List.of("newer"), newerSource, 0L, 6L));
            assertThat(h.collector.lines()).containsExactly(
                    new EmittedLine("first", olderSource, 0, 7), new EmittedLine("second", olderSource, 7, 14),
                    new EmittedLine("", olderSource, 14, 15), new EmittedLine("fourth", olderSource, 15, 21),
                    new EmittedLine("newer", newerSource, 0, 6));
            assertThat(olderSource).isEqualTo(older + "#1000000-21-" + inodeOf(older));
            assertThat(h.collector.blocks()).extracting(e -> e.position().seq()).containsExactly(0L, 1L);
        }
    }

    @Test
    void filesWithTheSameTimeAreReadInNameOrder() throws IOException {
        write("b.log", "b\n", 1000);
        write("a.log", "a\n", 1000);
        try (var h = SpoutHarness.open(spout())) {
            h.nextUntil(() -> h.collector.blocks().size() == 2, 100);
            assertThat(h.collector.texts()).containsExactly("a", "b");
        }
    }

    @Test
    void messageIdsAreSourceAndTheOffsetOfTheBlock() throws IOException {
        Path file = write("a.log", "x\ny\nz\n", 1000);
        String source = sourceOf(file);
        try (var h = SpoutHarness.open(spout().withBlockBounds(new BlockBounds(2, 1 << 20)))) {
            h.nextUntil(() -> h.collector.blocks().size() == 2, 100);
            assertThat(h.collector.blocks()).extracting(e -> e.messageId())
                    .containsExactly(new BlockMessageId(source, 0), new BlockMessageId(source, 4));
        }
    }

    @Test
    void renamesAFileAndRetiresItsSourceOnlyAfterEveryBlockIsAcked() throws IOException {
        Path file = write("a.log", "1\n2\n3\n", 1000);
        String source = sourceOf(file);
        try (var h = SpoutHarness.open(lineSpout())) {
            h.next(20);
            assertThat(h.collector.blocks()).hasSize(3);
            h.ack(0);
            h.ack(2);
            h.next(20);
            assertThat(names()).containsExactly("a.log");
            assertThat(h.collector.retired()).isEmpty();

            h.ack(1);
            h.next(2);
            assertThat(names()).containsExactly("a.log.COMPLETED");
            assertThat(h.gauge("files-completed")).isEqualTo(1L);
            assertThat(h.collector.blocks()).hasSize(3);
            assertThat(h.collector.retired()).containsExactly(source);
            assertThat(h.collector.emits.stream().filter(e -> e.stream().equals(Schema.RETIRED_STREAM)))
                    .singleElement().satisfies(e -> assertThat(e.messageId()).as("unanchored").isNull());
            h.next(20);
            assertThat(h.collector.retired()).as("once").hasSize(1);
        }
    }

    @Test
    void replaysAFailedBlockAsSingleLinePartsWithTheirOwnMessageIds() throws IOException {
        Path file = write("a.log", "1\n2\n3\n", 1000);
        String source = sourceOf(file);
        try (var h = SpoutHarness.open(spout())) {
            h.next(5);
            var block = h.collector.blocks().get(0);
            assertThat(block.texts()).containsExactly("1", "2", "3");
            h.fail(0);
            h.next(5);

            BlockPosition position = block.position();
            assertThat(h.collector.blocks()).hasSize(4);
            assertThat(h.collector.blocks().subList(1, 4))
                    .extracting(e -> e.texts(), e -> e.offset(), e -> e.nextOffset(), e -> e.position(), e -> e.messageId())
                    .containsExactly(
                            tuple(List.of("1"), 0L, 2L, position.part(0, 3), new BlockMessageId(source, 0)),
                            tuple(List.of("2"), 2L, 4L, position.part(1, 3), new BlockMessageId(source, 2)),
                            tuple(List.of("3"), 4L, 6L, position.part(2, 3), new BlockMessageId(source, 4)));
            assertThat(h.gauge("lines-replayed")).isEqualTo(3L);
            h.ack(1);
            h.ack(3);
            h.next(2);
            assertThat(names()).as("part 1 is in flight").containsExactly("a.log");
            h.ack(2);
            h.next(2);
            assertThat(names()).containsExactly("a.log.COMPLETED");
            assertThat(h.collector.retired()).containsExactly(source);
        }
    }

    @Test
    void aRestartResumesAtTheAckedPrefixAndNeverRereadsCompletedFiles() throws IOException {
        write("a.log", "done\n", 1000);
        Path b = write("b.log", "b0\nb1\nb2\nb3\nb4\n", 2000);
        String bSource = sourceOf(b);
        var first = SpoutHarness.open(lineSpout());
        first.nextUntil(() -> first.collector.blocks().size() == 6, 100);
        var blocks = first.collector.blocks();
        first.ack(0);   // a.log, complete
        first.ack(1);   // b0
        first.ack(2);   // b1
        first.ack(4);   // b3, beyond the gap at b2
        first.next(2);  // checkpoints (interval 0) and completes a.log
        // The worker dies here: no close(), nothing more is written.

        assertThat(names()).containsExactly("a.log.COMPLETED", "b.log");
        try (var second = SpoutHarness.open(spout())) {
            second.nextUntil(() -> second.collector.blocks().size() == 1, 100);
            second.next(10);
            assertThat(second.collector.blocks())
                    .extracting(e -> e.texts(), e -> e.source(), e -> e.offset(), e -> e.nextOffset())
                    .as("the same source and offsets, in a block cut otherwise than before")
                    .containsExactly(tuple(List.of("b2", "b3", "b4"), bSource, 6L, 15L));
            assertThat(second.collector.blocks().get(0).position().seq()).as("a new epoch starts at 0").isZero();
            assertThat(blocks.get(4).source()).as("b3 as emitted before the restart").isEqualTo(bSource);
            second.ackAll();
            second.next(2);
            assertThat(names()).containsExactly("a.log.COMPLETED", "b.log.COMPLETED");
            assertThat(second.collector.retired()).containsExactly(bSource);
        }
        try (var third = SpoutHarness.open(spout())) {
            third.next(20);
            assertThat(third.collector.blocks()).isEmpty();
        }
    }

    /**
     * The Flume-style reuse of a name: {@code access.log} is read and becomes {@code access.log.COMPLETED}, then
     * another {@code access.log} of the same size and modification time arrives. Only the inode tells them
     * apart, and that is enough for another source: with the path alone its lines would be [0, 2) and [2, 4)
     * of the same source again, dropped downstream as replays.
     */
    @Test
    void aNewFileUnderAReusedNameGetsAnotherSourceAndOldAcksAndFailsNeverReachIt() throws IOException {
        Path path = write("access.log", "1\n2\n", 1000);
        try (var h = SpoutHarness.open(spout())) {
            h.next(3);
            var old = h.collector.blocks();
            h.ackAll();
            h.next(2);
            assertThat(names()).containsExactly("access.log.COMPLETED");
            String oldSource = path + "#1000000-4-" + inodeOf(dir.resolve("access.log.COMPLETED"));
            assertThat(old).extracting(e -> e.source()).containsOnly(oldSource);
            assertThat(h.collector.retired()).containsExactly(oldSource);

            write("access.log", "3\n4\n", 1000);
            String newSource = sourceOf(path);
            h.collector.clear();
            h.next(3);

            assertThat(newSource).isNotEqualTo(oldSource).startsWith(path + "#1000000-4-");
            assertThat(h.collector.blocks())
                    .extracting(e -> e.texts(), e -> e.source(), e -> e.offset(), e -> e.messageId())
                    .containsExactly(tuple(List.of("3", "4"), newSource, 0L, new BlockMessageId(newSource, 0)));

            h.spout.fail(old.get(0).messageId());
            h.spout.ack(old.get(0).messageId());
            h.next(3);
            assertThat(h.collector.blocks()).as("nothing replayed for the old file's fail").hasSize(1);
            assertThat(h.gauge("lines-in-flight")).as("the old file's ack acked nothing").isEqualTo(2);

            h.ackAll();
            h.next(2);
            assertThat(names()).containsExactly("access.log-2.COMPLETED", "access.log.COMPLETED");
            assertThat(h.collector.retired()).containsExactly(newSource);
        }
    }

    @Test
    void aRestartMidFileKeepsTheSourceSoMessageIdsAndReplaysMatchTheFirstRun() throws IOException {
        write("access.log", "0\n1\n2\n3\n", 1000);
        var first = SpoutHarness.open(lineSpout());
        first.next(4);
        var before = first.collector.blocks();
        first.ack(0);
        first.ack(2);
        first.next(1);                                // checkpoints offset 2 (interval 0)
        // The worker dies here: no close().

        try (var second = SpoutHarness.open(lineSpout())) {
            second.next(4);
            var after = second.collector.blocks();
            assertThat(after).flatExtracting(e -> e.texts()).containsExactly("1", "2", "3");
            assertThat(after).as("the same lines and message ids as before the restart")
                    .extracting(e -> e.lines(), e -> e.messageId())
                    .containsExactlyElementsOf(before.subList(1, 4).stream()
                            .map(e -> tuple(e.lines(), e.messageId())).toList());

            second.fail(1);
            second.next(1);
            assertThat(second.collector.blocks()).last()
                    .extracting(e -> e.lines(), e -> e.messageId(), e -> e.position())
                    .as("a one-line block comes back as it was")
                    .containsExactly(before.get(2).lines(), before.get(2).messageId(), after.get(1).position());
            second.ackAll();
            second.next(2);
            assertThat(names()).containsExactly("access.log.COMPLETED");
        }
    }

    @Test
    void closeRecordsTheLatestAckedPrefix() throws IOException {
        write("a.log", "0\n1\n2\n", 1000);
        var first = SpoutHarness.open(new SpoolDirectorySpout(dir.toString()).withPollIntervalMillis(0)
                .withBlockBounds(BlockBounds.SINGLE_LINE));
        first.next(3);
        first.ack(0);
        first.ack(1);
        first.close();

        try (var second = SpoutHarness.open(spout())) {
            second.next(10);
            assertThat(second.collector.texts()).containsExactly("2");
        }
    }

    @Test
    void aFileThatGrowsWhileReadIsRenamedToErrorAndItsEmittedLinesStillReplay() throws IOException {
        Path file = write("a.log", "1\n2\n", 1000);
        String source = sourceOf(file);
        write("b.log", "next\n", 2000);
        try (var h = SpoutHarness.open(lineSpout())) {
            h.next(1);
            Files.writeString(file, "3\n", StandardOpenOption.APPEND);
            h.next(3);

            // Bytes written after pick-up are never read: the file is read as it was when picked up.
            assertThat(names()).containsExactly("a.log.ERROR", "b.log");
            assertThat(h.gauge("files-failed")).isEqualTo(1L);
            var fromA = h.collector.blocks().stream().filter(e -> e.source().equals(source)).toList();
            assertThat(fromA).flatExtracting(e -> e.texts()).containsExactly("1", "2");

            h.spout.fail(fromA.get(0).messageId());
            h.collector.clear();
            h.next(1);
            assertThat(h.collector.texts()).containsExactly("1");
            h.ackAll();
            fromA.forEach(e -> h.spout.ack(e.messageId()));
            h.next(3);
            assertThat(h.collector.retired()).as("a failed file is not retired").doesNotContain(source);
        }
    }

    @Test
    void aFileChangedAfterItWasReadToItsEndIsAnErrorInsteadOfCompleted() throws IOException {
        Path file = write("a.log", "1\n2\n", 1000);
        try (var h = SpoutHarness.open(spout())) {
            h.next(2);
            assertThat(h.collector.blocks()).singleElement().satisfies(e -> assertThat(e.texts()).containsExactly("1", "2"));
            Files.writeString(file, "3\n", StandardOpenOption.APPEND);
            h.ackAll();
            h.next(2);
            assertThat(names()).containsExactly("a.log.ERROR");
            assertThat(h.collector.retired()).isEmpty();
        }
    }

    @Test
    void aFileChangedWhileTheTopologyWasDownIsAnErrorOnRestart() throws IOException {
        Path file = write("a.log", "1\n2\n", 1000);
        var first = SpoutHarness.open(lineSpout());
        first.next(1);
        first.close();
        Files.writeString(file, "rewritten\n");

        try (var second = SpoutHarness.open(spout())) {
            second.next(10);
            assertThat(second.collector.blocks()).isEmpty();
            assertThat(names()).containsExactly("a.log.ERROR");
            assertThat(second.gauge("files-failed")).isEqualTo(1L);
        }
    }

    @Test
    void gzipFilesAreReadWithOffsetsInTheDecompressedStream() throws IOException {
        Path file = dir.resolve("access.log.1");
        Files.write(file, gzip("alpha\nbeta\n"));
        try (var h = SpoutHarness.open(spout())) {
            h.next(5);
            assertThat(h.collector.lines()).extracting(EmittedLine::text, EmittedLine::offset, EmittedLine::end)
                    .containsExactly(tuple("alpha", 0L, 6L), tuple("beta", 6L, 11L));
            assertThat(h.collector.blocks()).extracting(e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(tuple(0L, 11L));
        }
    }

    @Test
    void aRestartResumesInsideAGzipFile() throws IOException {
        Files.write(dir.resolve("a.gz"), gzip("alpha\r\nbeta\ngamma\n"));
        var first = SpoutHarness.open(lineSpout());
        first.next(3);
        first.ack(0);
        first.close();

        try (var second = SpoutHarness.open(lineSpout())) {
            second.next(5);
            assertThat(second.collector.lines()).extracting(EmittedLine::text, EmittedLine::offset, EmittedLine::end)
                    .containsExactly(tuple("beta", 7L, 12L), tuple("gamma", 12L, 18L));
            assertThat(second.collector.blocks()).extracting(e -> e.messageId())
                    .containsExactlyElementsOf(first.collector.blocks().subList(1, 3).stream()
                            .map(e -> e.messageId()).toList());
        }
    }

    @Test
    void aNewGzipFileUnderAReusedNameGetsAnotherSource() throws IOException {
        Path path = dir.resolve("access.log.gz");
        Files.write(path, gzip("alpha\n"));
        try (var h = SpoutHarness.open(spout())) {
            h.next(2);
            h.ackAll();
            h.next(2);
            Files.write(path, gzip("omega\n"));
            h.next(3);

            assertThat(h.collector.lines()).extracting(EmittedLine::text, EmittedLine::offset)
                    .containsExactly(tuple("alpha", 0L), tuple("omega", 0L));
            assertThat(h.collector.blocks()).extracting(e -> e.source()).doesNotHaveDuplicates()
                    .allSatisfy(source -> assertThat(source).startsWith(path + "#"));
        }
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    @Test
    void aCorruptGzipFileIsAnError() throws IOException {
        Files.write(dir.resolve("broken.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
        try (var h = SpoutHarness.open(spout())) {
            h.next(5);
            assertThat(names()).containsExactly("broken.gz.ERROR");
            assertThat(h.gauge("files-failed")).isEqualTo(1L);
            assertThat(h.collector.retired()).isEmpty();
        }
    }

    @Test
    void ignoresHiddenTemporaryCompletedAndErrorFiles() throws IOException {
        write(".hidden", "h\n", 1000);
        write("partial.tmp", "t\n", 1000);
        write("old.log.COMPLETED", "c\n", 1000);
        write("bad.log.ERROR", "e\n", 1000);
        write("x.skip", "s\n", 1000);
        write("real.log", "r\n", 1000);
        try (var h = SpoutHarness.open(spout().withIgnorePattern(".*\\.(tmp|skip)"))) {
            h.next(10);
            assertThat(h.collector.texts()).containsExactly("r");
        }
    }

    @Test
    void movesDoneFilesIntoACompletedDirectoryAndRetiresThem() throws IOException {
        Path file = write("a.log", "1\n", 1000);
        String source = sourceOf(file);
        Path done = dir.resolve("done");
        try (var h = SpoutHarness.open(spout().withCompletedDirectory(done.toString()))) {
            h.next(2);
            h.ackAll();
            h.next(2);
            assertThat(done.resolve("a.log")).hasContent("1");
            assertThat(dir.resolve("a.log")).doesNotExist();
            assertThat(h.collector.retired()).containsExactly(source);
        }
    }

    @Test
    void aTakenCompletedNameGetsANumber() throws IOException {
        write("a.log.COMPLETED", "earlier\n", 1000);
        write("a.log", "1\n", 1000);
        try (var h = SpoutHarness.open(spout())) {
            h.next(2);
            h.ackAll();
            h.next(2);
            assertThat(names()).containsExactly("a.log-2.COMPLETED", "a.log.COMPLETED");
        }
    }

    @Test
    void sendsEndOfInputOnceWhenDrainedAndEverythingIsAckedAfterRetiringTheFile() throws IOException {
        Path file = write("a.log", "1\n2\n", 1000);
        String source = sourceOf(file);
        try (var h = SpoutHarness.open(spout().withStopWhenDrained(true))) {
            h.next(10);
            assertThat(h.collector.endOfInput()).isEmpty();
            h.ackAll();
            h.next(10);
            assertThat(h.collector.endOfInput()).singleElement().satisfies(e -> {
                assertThat(e.values()).containsExactly(dir.toString(), "");
                assertThat(e.messageId()).isNull();
            });
            assertThat(h.collector.emits).extracting(e -> e.stream()).containsExactly(
                    "default", Schema.RETIRED_STREAM, Schema.END_OF_INPUT_STREAM);
            assertThat(h.collector.retired()).containsExactly(source);
            write("late.log", "late\n", 3000);
            h.next(10);
            assertThat(h.collector.blocks()).hasSize(1);
            assertThat(h.collector.endOfInput()).hasSize(1);
        }
    }

    @Test
    void withoutStopWhenDrainedItWaitsForMoreFiles() throws IOException {
        write("a.log", "1\n", 1000);
        try (var h = SpoutHarness.open(spout())) {
            h.next(3);
            h.ackAll();
            h.next(10);
            assertThat(h.collector.endOfInput()).isEmpty();
            write("b.log", "2\n", 3000);
            h.next(3);
            assertThat(h.collector.texts()).containsExactly("1", "2");
        }
    }

    @Test
    void readsNoNewLineWhileMaxInFlightLinesAreUnacked() throws IOException {
        write("a.log", "1\n2\n3\n4\n5\n", 1000);
        try (var h = SpoutHarness.open(spout().withMaxInFlight(2))) {
            h.next(10);
            assertThat(h.collector.blocks()).extracting(e -> e.texts()).containsExactly(List.of("1", "2"));
            assertThat(h.gauge("lines-in-flight")).isEqualTo(2);
            h.ack(0);
            h.next(10);
            assertThat(h.collector.blocks()).extracting(e -> e.texts())
                    .containsExactly(List.of("1", "2"), List.of("3", "4"));
        }
    }

    @Test
    void tasksShareTheFilesWithoutOverlap() throws IOException {
        for (int i = 0; i < 12; i++) {
            write("f" + i + ".log", "line of " + i + "\n", 1000);
        }
        List<String> all = new java.util.ArrayList<>();
        for (int task = 0; task < 3; task++) {
            try (var h = SpoutHarness.open(spout().withStopWhenDrained(true), task, 3)) {
                assertThat(h.drainAcking(200)).isTrue();
                assertThat(h.collector.blocks()).isNotEmpty();
                all.addAll(h.collector.texts());
                assertThat(h.collector.retired()).hasSameSizeAs(h.collector.blocks());
            }
        }
        assertThat(all).hasSize(12).doesNotHaveDuplicates();
    }

    @Test
    void aMissingDirectoryIsWaitedFor() throws IOException {
        Path later = dir.resolve("later");
        try (var h = SpoutHarness.open(new SpoolDirectorySpout(later.toString()).withPollIntervalMillis(0))) {
            h.next(5);
            assertThat(h.collector.emits).isEmpty();
            Files.createDirectories(later);
            Files.writeString(later.resolve("a.log"), "here\n");
            h.nextUntil(() -> !h.collector.blocks().isEmpty(), 1_000_000);
            assertThat(h.collector.texts()).containsExactly("here");
        }
    }

    @Test
    void declaresTheBlockEndOfInputAndRetiredStreams() {
        var declared = new org.apache.storm.topology.OutputFieldsGetter();
        spout().declareOutputFields(declared);
        assertThat(declared.getFieldsDeclaration().get("default").get_output_fields())
                .isEqualTo(Schema.BLOCK_FIELDS.toList());
        assertThat(declared.getFieldsDeclaration().get(Schema.END_OF_INPUT_STREAM).get_output_fields())
                .isEqualTo(Schema.END_OF_INPUT_FIELDS.toList());
        assertThat(declared.getFieldsDeclaration().get(Schema.RETIRED_STREAM).get_output_fields())
                .isEqualTo(Schema.RETIRED_FIELDS.toList());
    }
}
