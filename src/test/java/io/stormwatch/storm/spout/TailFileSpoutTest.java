package io.stormwatch.storm.spout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.stormwatch.core.io.BlockBounds;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.spout.RecordingSpoutOutputCollector.EmittedLine;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.apache.storm.topology.OutputFieldsGetter;
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
            assertThat(h.collector.blocks())
                    .extracting(e -> e.texts(), e -> e.source(), e -> e.offset(), e -> e.nextOffset(), e -> e.messageId())
                    .containsExactly(tuple(List.of("one"), source(1), 0L, 4L, new BlockMessageId(source(1), 0)));

            append(log(), "o\nthree\n");
            h.next(5);
            assertThat(h.collector.blocks()).extracting(e -> e.texts(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(tuple(List.of("one"), 0L, 4L), tuple(List.of("two", "three"), 4L, 14L));
            assertThat(h.collector.lines()).containsExactly(new EmittedLine("one", source(1), 0, 4),
                    new EmittedLine("two", source(1), 4, 8), new EmittedLine("three", source(1), 8, 14));
            assertThat(h.collector.blocks()).extracting(e -> e.position().seq()).containsExactly(0L, 1L);
            assertThat(h.gauge("blocks-emitted")).isEqualTo(2L);
            assertThat(h.gauge("lines-emitted")).isEqualTo(3L);
        }
    }

    @Test
    void appendsAtALowRateGiveOneLineBlocks() throws IOException {
        append(log(), "");
        try (var h = SpoutHarness.open(spout())) {
            for (int i = 0; i < 4; i++) {
                append(log(), "line " + i + "\n");
                h.next(3);
            }
            assertThat(h.collector.blocks()).extracting(e -> e.texts())
                    .containsExactly(List.of("line 0"), List.of("line 1"), List.of("line 2"), List.of("line 3"));
        }
    }

    /** Whether a line ending in {@code \r} is followed by a {@code \n} decides where the next line starts. */
    @Test
    void holdsALineEndingInCrUntilTheNextByteShowsWhereTheNextLineStarts() throws IOException {
        append(log(), "one\r");
        try (var h = SpoutHarness.open(spout())) {
            h.next(5);
            assertThat(h.collector.blocks()).isEmpty();

            append(log(), "\ntwo\r\n");
            h.next(5);
            assertThat(h.collector.lines()).extracting(EmittedLine::text, EmittedLine::offset, EmittedLine::end)
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
            assertThat(h.collector.texts()).containsExactly("now");
        }
    }

    @Test
    void replaysAFailedBlockAsSingleLineParts() throws IOException {
        append(log(), "a\nb\n");
        try (var h = SpoutHarness.open(spout())) {
            h.next(3);
            BlockPosition position = h.collector.blocks().get(0).position();
            h.fail(0);
            h.next(3);
            assertThat(h.collector.blocks())
                    .extracting(e -> e.texts(), e -> e.offset(), e -> e.nextOffset(), e -> e.position(), e -> e.messageId())
                    .containsExactly(
                            tuple(List.of("a", "b"), 0L, 4L, position, new BlockMessageId(source(1), 0)),
                            tuple(List.of("a"), 0L, 2L, position.part(0, 2), new BlockMessageId(source(1), 0)),
                            tuple(List.of("b"), 2L, 4L, position.part(1, 2), new BlockMessageId(source(1), 2)));
            assertThat(h.gauge("lines-replayed")).isEqualTo(2L);
        }
    }

    @Test
    void afterARenameItFinishesTheOldFileThenReadsTheNewOneOnceTheOldIsAckedAndRetired() throws IOException {
        append(log(), "old 1\n");
        try (var h = SpoutHarness.open(spout())) {
            h.next(3);
            Path rotated = dir.resolve("access.log.1");
            Files.move(log(), rotated);
            append(rotated, "old 2\nold 3 unterminated");   // the writer still had the old file open
            append(log(), "new 1\n");
            h.next(10);

            assertThat(h.collector.lines()).containsExactly(new EmittedLine("old 1", source(1), 0, 6),
                    new EmittedLine("old 2", source(1), 6, 12), new EmittedLine("old 3 unterminated", source(1), 12, 30));
            assertThat(h.collector.blocks()).extracting(e -> e.source()).containsOnly(source(1));
            assertThat(h.gauge("rotations")).isEqualTo(1L);
            assertThat(h.collector.retired()).isEmpty();

            h.ackAll();
            h.next(5);
            assertThat(h.collector.blocks()).last()
                    .extracting(e -> e.texts(), e -> e.source(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(List.of("new 1"), source(2), 0L, 6L);
            assertThat(h.collector.retired()).containsExactly(source(1));
            assertThat(h.collector.emits.stream().filter(e -> e.stream().equals(Schema.RETIRED_STREAM)))
                    .singleElement().satisfies(e -> assertThat(e.messageId()).as("unanchored").isNull());
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
            assertThat(h.collector.texts()).containsExactly("long line before");

            h.fail(0);
            h.next(1);
            h.ackAll();
            h.next(5);
            assertThat(h.collector.lines()).containsExactly(new EmittedLine("long line before", source(1), 0, 17),
                    new EmittedLine("long line before", source(1), 0, 17), new EmittedLine("short", source(2), 0, 6));
            assertThat(h.collector.retired()).containsExactly(source(1));
        }
    }

    @Test
    void aRestartResumesAtTheAckedPrefixWithTheSameSource() throws IOException {
        append(log(), "a\nb\nc\n");
        var first = SpoutHarness.open(spout().withBlockBounds(BlockBounds.SINGLE_LINE));
        first.next(5);
        first.ack(0);
        first.ack(2);
        first.close();
        append(log(), "d\n");

        try (var second = SpoutHarness.open(spout())) {
            second.next(10);
            assertThat(second.collector.blocks())
                    .extracting(e -> e.texts(), e -> e.source(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(tuple(List.of("b", "c", "d"), source(1), 2L, 8L));
        }
        assertThat(dir.resolve(".stormwatch/tail")).isDirectoryContaining(p -> p.toString().endsWith(".progress"));
    }

    @Test
    void aRestartAfterARotationWhileStoppedFinishesTheRotatedFileFirst() throws IOException {
        append(log(), "a\nb\n");
        var first = SpoutHarness.open(spout().withBlockBounds(BlockBounds.SINGLE_LINE));
        first.next(5);
        first.ack(0);
        first.close();
        Files.move(log(), dir.resolve("access.log.1"));
        append(dir.resolve("access.log.1"), "c\n");
        append(log(), "new\n");

        try (var second = SpoutHarness.open(spout())) {
            second.next(10);
            assertThat(second.collector.blocks()).extracting(e -> e.texts(), e -> e.source())
                    .containsExactly(tuple(List.of("b", "c"), source(1)));
            second.ackAll();
            second.next(5);
            assertThat(second.collector.blocks()).last().extracting(e -> e.texts(), e -> e.source(), e -> e.offset())
                    .containsExactly(List.of("new"), source(2), 0L);
            assertThat(second.collector.retired()).containsExactly(source(1));
        }
    }

    @Test
    void aRestartAfterATruncationWhileStoppedStartsANewGenerationAndRetiresTheOld() throws IOException {
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
            assertThat(second.collector.blocks()).extracting(e -> e.texts(), e -> e.source(), e -> e.offset())
                    .containsExactly(tuple(List.of("b"), source(2), 0L));
            assertThat(second.collector.retired()).containsExactly(source(1));
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

    @Test
    void declaresTheBlockEndOfInputAndRetiredStreams() {
        OutputFieldsGetter declared = new OutputFieldsGetter();
        spout().declareOutputFields(declared);
        assertThat(declared.getFieldsDeclaration().get("default").get_output_fields())
                .isEqualTo(Schema.BLOCK_FIELDS.toList());
        assertThat(declared.getFieldsDeclaration().get(Schema.END_OF_INPUT_STREAM).get_output_fields())
                .isEqualTo(Schema.END_OF_INPUT_FIELDS.toList());
        assertThat(declared.getFieldsDeclaration().get(Schema.RETIRED_STREAM).get_output_fields())
                .isEqualTo(Schema.RETIRED_FIELDS.toList());
    }
}
