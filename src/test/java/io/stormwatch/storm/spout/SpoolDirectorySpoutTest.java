package io.stormwatch.storm.spout;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.io.FileIdentity;
import io.stormwatch.storm.Schema;
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
    void emitsEveryLineOfTheOldestFileFirstWithItsByteOffset() throws IOException {
        Path newer = write("a.log", "newer\n", 2000);
        Path older = write("b.log", "first\r\nsecond\n\nfourth", 1000);
        String olderSource = sourceOf(older);
        String newerSource = sourceOf(newer);
        try (var h = SpoutHarness.open(spout())) {
            h.nextUntil(() -> h.collector.lines().size() == 6, 100);

            assertThat(h.collector.lines())
                    .extracting(e -> e.line(), e -> e.source(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("first", olderSource, 0L, 7L),
                            org.assertj.core.groups.Tuple.tuple("second", olderSource, 7L, 14L),
                            org.assertj.core.groups.Tuple.tuple("", olderSource, 14L, 15L),
                            org.assertj.core.groups.Tuple.tuple("fourth", olderSource, 15L, 21L),
                            org.assertj.core.groups.Tuple.tuple("newer", newerSource, 0L, 6L));
            assertThat(olderSource).isEqualTo(older + "#1000000-21-" + inodeOf(older));
        }
    }

    @Test
    void filesWithTheSameTimeAreReadInNameOrder() throws IOException {
        write("b.log", "b\n", 1000);
        write("a.log", "a\n", 1000);
        try (var h = SpoutHarness.open(spout())) {
            h.nextUntil(() -> h.collector.lines().size() == 2, 100);
            assertThat(h.collector.lines()).extracting(e -> e.line()).containsExactly("a", "b");
        }
    }

    @Test
    void messageIdsAreSourceAndOffset() throws IOException {
        Path file = write("a.log", "x\ny\n", 1000);
        String source = sourceOf(file);
        try (var h = SpoutHarness.open(spout())) {
            h.nextUntil(() -> h.collector.lines().size() == 2, 100);
            assertThat(h.collector.lines()).extracting(e -> e.messageId())
                    .containsExactly(new LineMessageId(source, 0), new LineMessageId(source, 2));
        }
    }

    @Test
    void renamesAFileOnlyAfterEveryLineIsAcked() throws IOException {
        write("a.log", "1\n2\n3\n", 1000);
        try (var h = SpoutHarness.open(spout())) {
            h.next(20);
            var lines = h.collector.lines();
            assertThat(lines).hasSize(3);
            h.spout.ack(lines.get(0).messageId());
            h.spout.ack(lines.get(2).messageId());
            h.next(20);
            assertThat(names()).containsExactly("a.log");

            h.spout.ack(lines.get(1).messageId());
            h.next(2);
            assertThat(names()).containsExactly("a.log.COMPLETED");
            assertThat(h.gauge("files-completed")).isEqualTo(1L);
            assertThat(h.collector.lines()).hasSize(3);
        }
    }

    @Test
    void replaysAFailedLineWithTheSameValuesAndMessageId() throws IOException {
        write("a.log", "1\n2\n3\n", 1000);
        try (var h = SpoutHarness.open(spout())) {
            h.next(5);
            var second = h.collector.lines().get(1);
            h.spout.fail(second.messageId());
            h.next(1);

            assertThat(h.collector.lines()).hasSize(4).last().isEqualTo(second);
            assertThat(h.gauge("lines-replayed")).isEqualTo(1L);
            h.ackAll();
            h.next(2);
            assertThat(names()).containsExactly("a.log.COMPLETED");
        }
    }

    @Test
    void aRestartResumesAtTheAckedPrefixAndNeverRereadsCompletedFiles() throws IOException {
        write("a.log", "done\n", 1000);
        Path b = write("b.log", "b0\nb1\nb2\nb3\nb4\n", 2000);
        String bSource = sourceOf(b);
        var first = SpoutHarness.open(spout());
        first.nextUntil(() -> first.collector.lines().size() == 6, 100);
        var lines = first.collector.lines();
        first.spout.ack(lines.get(0).messageId());   // a.log, complete
        first.spout.ack(lines.get(1).messageId());   // b0
        first.spout.ack(lines.get(2).messageId());   // b1
        first.spout.ack(lines.get(4).messageId());   // b3, beyond the gap at b2
        first.next(2);                                // checkpoints (interval 0) and completes a.log
        // The worker dies here: no close(), nothing more is written.

        assertThat(names()).containsExactly("a.log.COMPLETED", "b.log");
        try (var second = SpoutHarness.open(spout())) {
            second.nextUntil(() -> second.collector.lines().size() == 3, 100);
            second.next(10);
            assertThat(second.collector.lines())
                    .extracting(e -> e.line(), e -> e.source(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("b2", bSource, 6L, 9L),
                            org.assertj.core.groups.Tuple.tuple("b3", bSource, 9L, 12L),
                            org.assertj.core.groups.Tuple.tuple("b4", bSource, 12L, 15L));
            assertThat(lines.get(4).source()).as("b3 as emitted before the restart").isEqualTo(bSource);
            second.ackAll();
            second.next(2);
            assertThat(names()).containsExactly("a.log.COMPLETED", "b.log.COMPLETED");
        }
        try (var third = SpoutHarness.open(spout())) {
            third.next(20);
            assertThat(third.collector.lines()).isEmpty();
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
            var old = h.collector.lines();
            h.ackAll();
            h.next(2);
            assertThat(names()).containsExactly("access.log.COMPLETED");
            assertThat(old).extracting(e -> e.source()).containsOnly(path + "#1000000-4-" + inodeOf(
                    dir.resolve("access.log.COMPLETED")));

            write("access.log", "3\n4\n", 1000);
            String newSource = sourceOf(path);
            h.collector.clear();
            h.next(3);

            assertThat(newSource).isNotEqualTo(old.get(0).source()).startsWith(path + "#1000000-4-");
            assertThat(h.collector.lines())
                    .extracting(e -> e.line(), e -> e.source(), e -> e.offset(), e -> e.messageId())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("3", newSource, 0L, new LineMessageId(newSource, 0)),
                            org.assertj.core.groups.Tuple.tuple("4", newSource, 2L, new LineMessageId(newSource, 2)));

            h.spout.fail(old.get(0).messageId());
            h.spout.ack(old.get(1).messageId());
            h.next(3);
            assertThat(h.collector.lines()).as("nothing replayed for the old file's fail").hasSize(2);
            assertThat(h.gauge("lines-in-flight")).as("the old file's ack acked nothing").isEqualTo(2);

            h.ackAll();
            h.next(2);
            assertThat(names()).containsExactly("access.log-2.COMPLETED", "access.log.COMPLETED");
        }
    }

    @Test
    void aRestartMidFileKeepsTheSourceSoMessageIdsAndReplaysMatchTheFirstRun() throws IOException {
        write("access.log", "0\n1\n2\n3\n", 1000);
        var first = SpoutHarness.open(spout());
        first.next(4);
        var before = first.collector.lines();
        first.spout.ack(before.get(0).messageId());
        first.spout.ack(before.get(2).messageId());
        first.next(1);                                // checkpoints offset 2 (interval 0)
        // The worker dies here: no close().

        try (var second = SpoutHarness.open(spout())) {
            second.next(4);
            var after = second.collector.lines();
            assertThat(after).extracting(e -> e.line()).containsExactly("1", "2", "3");
            assertThat(after).as("the same tuples and message ids as before the restart")
                    .containsExactlyElementsOf(before.subList(1, 4));

            second.spout.fail(after.get(1).messageId());
            second.next(1);
            assertThat(second.collector.lines()).last().isEqualTo(before.get(2));
            second.ackAll();
            second.next(2);
            assertThat(names()).containsExactly("access.log.COMPLETED");
        }
    }

    @Test
    void closeRecordsTheLatestAckedPrefix() throws IOException {
        write("a.log", "0\n1\n2\n", 1000);
        var first = SpoutHarness.open(new SpoolDirectorySpout(dir.toString()).withPollIntervalMillis(0));
        first.next(3);
        first.spout.ack(first.collector.lines().get(0).messageId());
        first.spout.ack(first.collector.lines().get(1).messageId());
        first.close();

        try (var second = SpoutHarness.open(spout())) {
            second.next(10);
            assertThat(second.collector.lines()).extracting(e -> e.line()).containsExactly("2");
        }
    }

    @Test
    void aFileThatGrowsAfterPickUpIsRenamedToErrorAndItsEmittedLinesStillReplay() throws IOException {
        Path file = write("a.log", "1\n2\n", 1000);
        String source = sourceOf(file);
        write("b.log", "next\n", 2000);
        try (var h = SpoutHarness.open(spout())) {
            h.next(1);
            Files.writeString(file, "3\n", StandardOpenOption.APPEND);
            h.next(3);

            // Bytes written after pick-up are never read: the file is read as it was when picked up.
            assertThat(names()).containsExactly("a.log.ERROR", "b.log");
            assertThat(h.gauge("files-failed")).isEqualTo(1L);
            var fromA = h.collector.lines().stream().filter(e -> e.source().equals(source)).toList();
            assertThat(fromA).extracting(e -> e.line()).containsExactly("1", "2");

            h.spout.fail(fromA.get(0).messageId());
            h.collector.clear();
            h.next(1);
            assertThat(h.collector.lines()).extracting(e -> e.line()).containsExactly("1");
        }
    }

    @Test
    void aFileChangedWhileTheTopologyWasDownIsAnErrorOnRestart() throws IOException {
        Path file = write("a.log", "1\n2\n", 1000);
        var first = SpoutHarness.open(spout());
        first.next(1);
        first.close();
        Files.writeString(file, "rewritten\n");

        try (var second = SpoutHarness.open(spout())) {
            second.next(10);
            assertThat(second.collector.lines()).isEmpty();
            assertThat(names()).containsExactly("a.log.ERROR");
            assertThat(second.gauge("files-failed")).isEqualTo(1L);
        }
    }

    @Test
    void gzipFilesAreReadWithOffsetsInTheDecompressedStream() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write("alpha\nbeta\n".getBytes(StandardCharsets.UTF_8));
        }
        Path file = dir.resolve("access.log.1");
        Files.write(file, bytes.toByteArray());
        try (var h = SpoutHarness.open(spout())) {
            h.next(5);
            assertThat(h.collector.lines()).extracting(e -> e.line(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("alpha", 0L, 6L),
                            org.assertj.core.groups.Tuple.tuple("beta", 6L, 11L));
        }
    }

    @Test
    void aRestartResumesInsideAGzipFile() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write("alpha\r\nbeta\ngamma\n".getBytes(StandardCharsets.UTF_8));
        }
        Files.write(dir.resolve("a.gz"), bytes.toByteArray());
        var first = SpoutHarness.open(spout());
        first.next(3);
        first.spout.ack(first.collector.lines().get(0).messageId());
        first.close();

        try (var second = SpoutHarness.open(spout())) {
            second.next(5);
            assertThat(second.collector.lines()).extracting(e -> e.line(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("beta", 7L, 12L),
                            org.assertj.core.groups.Tuple.tuple("gamma", 12L, 18L));
            assertThat(second.collector.lines()).extracting(e -> e.messageId())
                    .containsExactlyElementsOf(first.collector.lines().subList(1, 3).stream()
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

            assertThat(h.collector.lines()).extracting(e -> e.line(), e -> e.offset()).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("alpha", 0L), org.assertj.core.groups.Tuple.tuple("omega", 0L));
            assertThat(h.collector.lines()).extracting(e -> e.source()).doesNotHaveDuplicates()
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
            assertThat(h.collector.lines()).extracting(e -> e.line()).containsExactly("r");
        }
    }

    @Test
    void movesDoneFilesIntoACompletedDirectory() throws IOException {
        write("a.log", "1\n", 1000);
        Path done = dir.resolve("done");
        try (var h = SpoutHarness.open(spout().withCompletedDirectory(done.toString()))) {
            h.next(2);
            h.ackAll();
            h.next(2);
            assertThat(done.resolve("a.log")).hasContent("1");
            assertThat(dir.resolve("a.log")).doesNotExist();
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
    void sendsEndOfInputOnceWhenDrainedAndEverythingIsAcked() throws IOException {
        write("a.log", "1\n2\n", 1000);
        try (var h = SpoutHarness.open(spout().withStopWhenDrained(true))) {
            h.next(10);
            assertThat(h.collector.endOfInput()).isEmpty();
            h.ackAll();
            h.next(10);
            assertThat(h.collector.endOfInput()).singleElement().satisfies(e -> {
                assertThat(e.values()).containsExactly(dir.toString());
                assertThat(e.messageId()).isNull();
            });
            write("late.log", "late\n", 3000);
            h.next(10);
            assertThat(h.collector.lines()).hasSize(2);
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
            assertThat(h.collector.lines()).extracting(e -> e.line()).containsExactly("1", "2");
        }
    }

    @Test
    void readsNoNewLineWhileMaxInFlightLinesAreUnacked() throws IOException {
        write("a.log", "1\n2\n3\n4\n5\n", 1000);
        try (var h = SpoutHarness.open(spout().withMaxInFlight(2))) {
            h.next(10);
            assertThat(h.collector.lines()).extracting(e -> e.line()).containsExactly("1", "2");
            h.spout.ack(h.collector.lines().get(0).messageId());
            h.next(10);
            assertThat(h.collector.lines()).extracting(e -> e.line()).containsExactly("1", "2", "3");
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
                h.nextUntil(() -> !h.collector.endOfInput().isEmpty(), 200);
                h.ackAll();
                h.nextUntil(() -> !h.collector.endOfInput().isEmpty(), 200);
                assertThat(h.collector.lines()).isNotEmpty();
                h.collector.lines().forEach(e -> all.add(e.line()));
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
            h.nextUntil(() -> !h.collector.lines().isEmpty(), 1_000_000);
            assertThat(h.collector.lines()).extracting(e -> e.line()).containsExactly("here");
        }
    }

    @Test
    void declaresTheLineAndEndOfInputStreams() {
        var declared = new org.apache.storm.topology.OutputFieldsGetter();
        spout().declareOutputFields(declared);
        assertThat(declared.getFieldsDeclaration().get("default").get_output_fields())
                .isEqualTo(Schema.LINE_FIELDS.toList());
        assertThat(declared.getFieldsDeclaration().get(Schema.END_OF_INPUT_STREAM).get_output_fields())
                .isEqualTo(Schema.END_OF_INPUT_FIELDS.toList());
    }
}
