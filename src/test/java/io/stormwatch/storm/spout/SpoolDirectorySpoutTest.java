package io.stormwatch.storm.spout;

import static org.assertj.core.api.Assertions.assertThat;

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

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    @Test
    void emitsEveryLineOfTheOldestFileFirstWithItsByteOffset() throws IOException {
        Path newer = write("a.log", "newer\n", 2000);
        Path older = write("b.log", "first\r\nsecond\n\nfourth", 1000);
        try (var h = SpoutHarness.open(spout())) {
            h.nextUntil(() -> h.collector.lines().size() == 6, 100);

            assertThat(h.collector.lines())
                    .extracting(e -> e.line(), e -> e.source(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("first", older.toString(), 0L, 7L),
                            org.assertj.core.groups.Tuple.tuple("second", older.toString(), 7L, 14L),
                            org.assertj.core.groups.Tuple.tuple("", older.toString(), 14L, 15L),
                            org.assertj.core.groups.Tuple.tuple("fourth", older.toString(), 15L, 21L),
                            org.assertj.core.groups.Tuple.tuple("newer", newer.toString(), 0L, 6L));
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
        try (var h = SpoutHarness.open(spout())) {
            h.nextUntil(() -> h.collector.lines().size() == 2, 100);
            assertThat(h.collector.lines()).extracting(e -> e.messageId())
                    .containsExactly(new LineMessageId(file.toString(), 0), new LineMessageId(file.toString(), 2));
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
                            org.assertj.core.groups.Tuple.tuple("b2", b.toString(), 6L, 9L),
                            org.assertj.core.groups.Tuple.tuple("b3", b.toString(), 9L, 12L),
                            org.assertj.core.groups.Tuple.tuple("b4", b.toString(), 12L, 15L));
            second.ackAll();
            second.next(2);
            assertThat(names()).containsExactly("a.log.COMPLETED", "b.log.COMPLETED");
        }
        try (var third = SpoutHarness.open(spout())) {
            third.next(20);
            assertThat(third.collector.lines()).isEmpty();
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
        write("b.log", "next\n", 2000);
        try (var h = SpoutHarness.open(spout())) {
            h.next(1);
            Files.writeString(file, "3\n", StandardOpenOption.APPEND);
            h.next(3);

            // Bytes written after pick-up are never read: the file is read as it was when picked up.
            assertThat(names()).containsExactly("a.log.ERROR", "b.log");
            assertThat(h.gauge("files-failed")).isEqualTo(1L);
            var fromA = h.collector.lines().stream().filter(e -> e.source().equals(file.toString())).toList();
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
        }
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
