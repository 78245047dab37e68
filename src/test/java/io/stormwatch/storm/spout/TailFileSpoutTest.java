package io.stormwatch.storm.spout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailFileSpoutTest {

    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("access.log");
    }

    private String source(int generation) {
        return log() + "#" + generation;
    }

    private TailFileSpout spout() {
        return new TailFileSpout(log().toString()).withPollIntervalMillis(0).withCheckpointIntervalMillis(0);
    }

    private void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void readsTheFileAndThenWhatIsAppendedHoldingAPartialLine() throws IOException {
        append(log(), "one\ntw");
        try (var h = SpoutHarness.open(spout())) {
            h.next(5);
            assertThat(h.collector.lines())
                    .extracting(e -> e.line(), e -> e.source(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(tuple("one", source(1), 0L, 4L));

            append(log(), "o\nthree\n");
            h.next(5);
            assertThat(h.collector.lines()).extracting(e -> e.line(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(tuple("one", 0L, 4L), tuple("two", 4L, 8L), tuple("three", 8L, 14L));
            assertThat(h.collector.lines()).extracting(e -> e.messageId())
                    .contains(new LineMessageId(source(1), 4));
        }
    }

    /** Whether a line ending in {@code \r} is followed by a {@code \n} decides where the next line starts. */
    @Test
    void holdsALineEndingInCrUntilTheNextByteShowsWhereTheNextLineStarts() throws IOException {
        append(log(), "one\r");
        try (var h = SpoutHarness.open(spout())) {
            h.next(5);
            assertThat(h.collector.lines()).isEmpty();

            append(log(), "\ntwo\r\n");
            h.next(5);
            assertThat(h.collector.lines()).extracting(e -> e.line(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(tuple("one", 0L, 5L), tuple("two", 5L, 10L));
        }
    }

    @Test
    void waitsForAFileThatDoesNotExistYet() throws IOException {
        try (var h = SpoutHarness.open(spout())) {
            h.next(5);
            assertThat(h.collector.emits).isEmpty();
            append(log(), "now\n");
            h.next(5);
            assertThat(h.collector.lines()).extracting(e -> e.line()).containsExactly("now");
        }
    }

    @Test
    void replaysAFailedLine() throws IOException {
        append(log(), "a\nb\n");
        try (var h = SpoutHarness.open(spout())) {
            h.next(3);
            h.spout.fail(h.collector.lines().get(0).messageId());
            h.next(1);
            assertThat(h.collector.lines()).extracting(e -> e.line(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(tuple("a", 0L, 2L), tuple("b", 2L, 4L), tuple("a", 0L, 2L));
        }
    }

    @Test
    void afterARenameItFinishesTheOldFileThenReadsTheNewOneOnceTheOldIsAcked() throws IOException {
        append(log(), "old 1\n");
        try (var h = SpoutHarness.open(spout())) {
            h.next(3);
            Path rotated = dir.resolve("access.log.1");
            Files.move(log(), rotated);
            append(rotated, "old 2\nold 3 unterminated");   // the writer still had the old file open
            append(log(), "new 1\n");
            h.next(10);

            assertThat(h.collector.lines())
                    .extracting(e -> e.line(), e -> e.source(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(tuple("old 1", source(1), 0L, 6L), tuple("old 2", source(1), 6L, 12L),
                            tuple("old 3 unterminated", source(1), 12L, 30L));
            assertThat(h.gauge("rotations")).isEqualTo(1L);

            h.ackAll();
            h.next(5);
            assertThat(h.collector.lines()).last()
                    .extracting(e -> e.line(), e -> e.source(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly("new 1", source(2), 0L, 6L);
        }
    }

    @Test
    void afterATruncationItReadsAgainFromTheStartAsANewGenerationOnceTheOldLinesAreAcked() throws IOException {
        append(log(), "long line before\n");
        try (var h = SpoutHarness.open(spout())) {
            h.next(3);
            try (FileChannel channel = FileChannel.open(log(), StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
            append(log(), "short\n");
            h.next(5);
            assertThat(h.gauge("truncations")).isEqualTo(1L);
            assertThat(h.collector.lines()).extracting(e -> e.line()).containsExactly("long line before");

            h.spout.fail(h.collector.lines().get(0).messageId());
            h.next(1);
            h.ackAll();
            h.next(5);
            assertThat(h.collector.lines())
                    .extracting(e -> e.line(), e -> e.source(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(tuple("long line before", source(1), 0L, 17L),
                            tuple("long line before", source(1), 0L, 17L), tuple("short", source(2), 0L, 6L));
        }
    }

    @Test
    void aRestartResumesAtTheAckedPrefixWithTheSameSource() throws IOException {
        append(log(), "a\nb\nc\n");
        var first = SpoutHarness.open(spout());
        first.next(5);
        first.spout.ack(first.collector.lines().get(0).messageId());
        first.spout.ack(first.collector.lines().get(2).messageId());
        first.close();
        append(log(), "d\n");

        try (var second = SpoutHarness.open(spout())) {
            second.next(10);
            assertThat(second.collector.lines())
                    .extracting(e -> e.line(), e -> e.source(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(tuple("b", source(1), 2L, 4L), tuple("c", source(1), 4L, 6L),
                            tuple("d", source(1), 6L, 8L));
        }
        assertThat(dir.resolve(".stormwatch/tail")).isDirectoryContaining(p -> p.toString().endsWith(".progress"));
    }

    @Test
    void aRestartAfterARotationWhileStoppedFinishesTheRotatedFileFirst() throws IOException {
        append(log(), "a\nb\n");
        var first = SpoutHarness.open(spout());
        first.next(5);
        first.spout.ack(first.collector.lines().get(0).messageId());
        first.close();
        Files.move(log(), dir.resolve("access.log.1"));
        append(dir.resolve("access.log.1"), "c\n");
        append(log(), "new\n");

        try (var second = SpoutHarness.open(spout())) {
            second.next(10);
            assertThat(second.collector.lines()).extracting(e -> e.line(), e -> e.source())
                    .containsExactly(tuple("b", source(1)), tuple("c", source(1)));
            second.ackAll();
            second.next(5);
            assertThat(second.collector.lines()).last().extracting(e -> e.line(), e -> e.source(), e -> e.offset())
                    .containsExactly("new", source(2), 0L);
        }
    }

    @Test
    void aRestartAfterATruncationWhileStoppedStartsANewGeneration() throws IOException {
        append(log(), "a long first line\n");
        var first = SpoutHarness.open(spout());
        first.next(3);
        first.ackAll();
        first.close();
        try (FileChannel channel = FileChannel.open(log(), StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        append(log(), "b\n");

        try (var second = SpoutHarness.open(spout())) {
            second.next(5);
            assertThat(second.collector.lines()).extracting(e -> e.line(), e -> e.source(), e -> e.offset())
                    .containsExactly(tuple("b", source(2), 0L));
        }
    }

    @Test
    void keepsStateWhereItIsTold() throws IOException {
        append(log(), "a\n");
        Path state = dir.resolve("state");
        try (var h = SpoutHarness.open(spout().withStateDirectory(state.toString()))) {
            h.next(2);
            h.ackAll();
            h.next(2);
        }
        assertThat(state).isDirectoryContaining(p -> p.toString().endsWith(".progress"));
        assertThat(dir.resolve(".stormwatch")).doesNotExist();
    }

    @Test
    void onlyTheFirstTaskFollowsTheFile() throws IOException {
        append(log(), "a\n");
        try (var h = SpoutHarness.open(spout(), 1, 2)) {
            h.next(5);
            assertThat(h.collector.emits).isEmpty();
        }
    }
}
