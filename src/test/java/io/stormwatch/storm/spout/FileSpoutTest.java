package io.stormwatch.storm.spout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.stormwatch.core.io.BlockBounds;
import io.stormwatch.core.io.FileIdentity;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.storm.spout.RecordingSpoutOutputCollector.EmittedLine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.storm.topology.OutputFieldsGetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSpoutTest {

    @TempDir
    Path dir;

    private List<String> dirContents() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static FileSpout spout(Path file, int linesPerBlock) {
        return new FileSpout(file.toString()).withBlockBounds(new BlockBounds(linesPerBlock, 1 << 20));
    }

    @Test
    void emitsBlocksWithTheirFieldsByNameAndSendsEndOfInputOnlyAfterEveryBlockIsAcked() throws IOException {
        Path file = Files.writeString(dir.resolve("access.log"), "one\ntwo\nthree");
        String source = FileIdentity.of(file).sourceOf(file);
        try (var h = SpoutHarness.open(spout(file, 2))) {
            h.next(10);
            assertThat(h.collector.blocks())
                    .extracting(e -> e.texts(), e -> e.source(), e -> e.offset(), e -> e.nextOffset(), e -> e.messageId())
                    .containsExactly(
                            tuple(List.of("one", "two"), source, 0L, 8L, new BlockMessageId(source, 0)),
                            tuple(List.of("three"), source, 8L, 13L, new BlockMessageId(source, 8)));
            assertThat(h.collector.blocks()).allSatisfy(e -> {
                assertThat(e.block().source()).isEqualTo(e.source());
                assertThat(e.block().offset()).isEqualTo(e.offset());
                assertThat(e.block().nextOffset()).isEqualTo(e.nextOffset());
            });
            assertThat(h.collector.blocks()).extracting(e -> e.position().seq()).containsExactly(0L, 1L);
            assertThat(h.collector.lines()).containsExactly(new EmittedLine("one", source, 0, 4),
                    new EmittedLine("two", source, 4, 8), new EmittedLine("three", source, 8, 13));
            assertThat(h.collector.endOfInput()).isEmpty();

            h.ack(1);
            h.next(10);
            assertThat(h.collector.endOfInput()).isEmpty();

            h.ack(0);
            h.next(10);
            assertThat(h.collector.endOfInput()).singleElement()
                    .satisfies(e -> assertThat(e.values()).containsExactly(file.toString(), ""));
            assertThat(h.collector.blocks()).hasSize(2);
            assertThat(h.collector.retired()).as("a file read again keeps its source: never retired").isEmpty();
            assertThat(h.gauge("blocks-emitted")).isEqualTo(2L);
            assertThat(h.gauge("lines-emitted")).isEqualTo(3L);
        }
        assertThat(dirContents()).containsExactly("access.log");
        assertThat(file).hasContent("one\ntwo\nthree");
    }

    /** All lines of one complete run of the file: each block is acked once emitted. */
    private static List<RecordingSpoutOutputCollector.Emit> run(Path file) {
        try (var h = SpoutHarness.open(new FileSpout(file.toString()))) {
            h.drainAcking(100);
            assertThat(h.collector.endOfInput()).hasSize(1);
            assertThat(h.collector.retired()).isEmpty();
            return h.collector.blocks();
        }
    }

    @Test
    void theSameUnchangedFileReadAgainGivesTheSameBlocksAndMessageIds() throws IOException {
        Path file = Files.writeString(dir.resolve("access.log"), "one\ntwo\n");
        List<RecordingSpoutOutputCollector.Emit> first = run(file);
        List<RecordingSpoutOutputCollector.Emit> again = run(file);

        assertThat(first).hasSize(1);
        assertThat(again).as("nothing downstream would count a second time")
                .extracting(e -> e.lines(), e -> e.messageId())
                .containsExactlyElementsOf(first.stream().map(e -> tuple(e.lines(), e.messageId())).toList());
    }

    @Test
    void aFileChangedBetweenRunsIsANewSource() throws IOException {
        Path file = Files.writeString(dir.resolve("access.log"), "one\ntwo\n");
        FileTime modified = Files.getLastModifiedTime(file);
        String original = run(file).get(0).source();

        Files.writeString(file, "three\n", StandardOpenOption.APPEND);
        Files.setLastModifiedTime(file, modified);
        List<RecordingSpoutOutputCollector.Emit> appended = run(file);
        assertThat(appended).flatExtracting(e -> e.texts()).containsExactly("one", "two", "three");
        assertThat(appended).extracting(e -> e.source()).as("another size").doesNotContain(original);

        Files.setLastModifiedTime(file, FileTime.fromMillis(modified.toMillis() + 1));
        String touched = run(file).get(0).source();
        assertThat(touched).as("another modification time").isNotIn(original, appended.get(0).source());

        Path replacement = Files.writeString(dir.resolve("access.log.new"), "ONE\nTWO\nTHREE\n");
        Files.setLastModifiedTime(replacement, FileTime.fromMillis(modified.toMillis() + 1));
        Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING);
        List<RecordingSpoutOutputCollector.Emit> replaced = run(file);
        assertThat(replaced).flatExtracting(e -> e.texts()).containsExactly("ONE", "TWO", "THREE");
        assertThat(replaced.get(0).source()).as("same size and time, another inode").isNotEqualTo(touched)
                .startsWith(file + "#" + (modified.toMillis() + 1) + "-14-");
    }

    @Test
    void aFailedBlockComesBackAsSingleLinePartsAtItsPosition() throws IOException {
        Path file = Files.writeString(dir.resolve("access.log"), "one\ntwo\nthree\n");
        String source = FileIdentity.of(file).sourceOf(file);
        try (var h = SpoutHarness.open(spout(file, 10))) {
            h.next(3);
            assertThat(h.collector.blocks()).hasSize(1);
            BlockPosition position = h.collector.blocks().get(0).position();
            h.fail(0);
            h.next(3);
            assertThat(h.collector.blocks().subList(1, h.collector.blocks().size()))
                    .extracting(e -> e.texts(), e -> e.offset(), e -> e.nextOffset(), e -> e.position(), e -> e.messageId())
                    .containsExactly(
                            tuple(List.of("one"), 0L, 4L, position.part(0, 3), new BlockMessageId(source, 0)),
                            tuple(List.of("two"), 4L, 8L, position.part(1, 3), new BlockMessageId(source, 4)),
                            tuple(List.of("three"), 8L, 14L, position.part(2, 3), new BlockMessageId(source, 8)));
            assertThat(h.gauge("lines-replayed")).isEqualTo(3L);
            assertThat(h.gauge("lines-in-flight")).isEqualTo(3);

            h.fail(2);
            h.next(1);
            assertThat(h.collector.blocks()).last().extracting(e -> e.texts(), e -> e.position())
                    .containsExactly(List.of("two"), position.part(1, 3));
            h.ackAll();
            h.next(3);
            assertThat(h.collector.endOfInput()).hasSize(1);
            assertThat(h.gauge("blocks-emitted")).as("parts are no new blocks").isEqualTo(1L);
        }
    }

    @Test
    void readsAListInOrderAndReportsAMissingFileWithoutStopping() throws IOException {
        Path a = Files.writeString(dir.resolve("a.log"), "a\n");
        Path missing = dir.resolve("missing.log");
        Path b = Files.writeString(dir.resolve("b.log"), "b\n");
        try (var h = SpoutHarness.open(new FileSpout(List.of(a.toString(), missing.toString(), b.toString())))) {
            h.next(10);
            h.ackAll();
            h.next(10);
            assertThat(h.collector.blocks()).extracting(e -> e.texts()).containsExactly(List.of("a"), List.of("b"));
            assertThat(h.gauge("files-failed")).isEqualTo(1L);
            assertThat(h.gauge("files-completed")).isEqualTo(2L);
            assertThat(h.collector.endOfInput()).singleElement().satisfies(e -> assertThat(e.values()).last()
                    .as("end of input names what was not read").isEqualTo(missing + ": does not exist"));
            assertThat(h.collector.retired()).isEmpty();
        }
    }

    @Test
    void deactivatedWhenDeactivationEndsTheInputItReadsNoMoreAndEndsOnceItsBlocksInFlightAreAcked() throws IOException {
        Path file = Files.writeString(dir.resolve("access.log"), "one\ntwo\nthree\nfour\n");
        try (var h = SpoutHarness.open(spout(file, 1), Map.of(StormwatchConfig.DEACTIVATE_ENDS_INPUT, true))) {
            h.next(2);
            h.spout.deactivate();
            h.next(5);
            assertThat(h.collector.texts()).as("nothing read after deactivation").containsExactly("one", "two");
            assertThat(h.collector.endOfInput()).isEmpty();

            h.ack(0);
            assertThat(h.collector.endOfInput()).as("a block still in flight").isEmpty();
            h.ack(1);

            assertThat(h.collector.endOfInput()).singleElement().satisfies(e -> assertThat(e.values()).last()
                    .isEqualTo(file.toAbsolutePath() + ": stopped before the end of its input, after 2 lines"));
        }
    }

    @Test
    void withoutThatSettingDeactivationOnlyPauses() throws IOException {
        Path file = Files.writeString(dir.resolve("access.log"), "one\ntwo\n");
        try (var h = SpoutHarness.open(spout(file, 1))) {
            h.next(1);
            h.spout.deactivate();
            h.ackAll();
            assertThat(h.collector.endOfInput()).isEmpty();
            h.spout.activate();
            assertThat(h.drainAcking(10)).isTrue();
            assertThat(h.collector.texts()).containsExactly("one", "two");
            assertThat(h.collector.endOfInput()).singleElement().satisfies(e -> assertThat(e.values()).last().isEqualTo(""));
        }
    }

    @Test
    void aGzipFileCutShortIsNamedInTheEndOfInputAfterItsReadableLines() throws IOException {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (Writer out = new OutputStreamWriter(new GZIPOutputStream(gzipped), StandardCharsets.UTF_8)) {
            for (int i = 0; i < 20_000; i++) {
                out.write("line " + i + " of a log long enough to span several deflate blocks " + (i * 7919L) + "\n");
            }
        }
        byte[] whole = gzipped.toByteArray();
        Path cut = Files.write(dir.resolve("cut.log.gz"), Arrays.copyOf(whole, whole.length / 2));
        Path good = Files.writeString(dir.resolve("good.log"), "good\n");
        try (var h = SpoutHarness.open(new FileSpout(List.of(good.toString(), cut.toString())))) {
            h.next(100);
            h.ackAll();
            h.next(10);
            assertThat(h.collector.texts()).first().isEqualTo("good");
            assertThat(h.collector.texts()).as("the readable part of the cut file is emitted").hasSizeGreaterThan(1);
            assertThat(h.collector.endOfInput()).singleElement().satisfies(e -> assertThat(e.values()).last()
                    .asString().startsWith(cut + ": cannot be read").doesNotContain("\n"));
        }
    }

    @Test
    void tasksShareTheListWithoutOverlapAndEachSendsEndOfInput() throws IOException {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            paths.add(Files.writeString(dir.resolve(i + ".log"), "line " + i + "\n").toString());
        }
        List<String> lines = new ArrayList<>();
        for (int task = 0; task < 2; task++) {
            try (var h = SpoutHarness.open(new FileSpout(paths), task, 2)) {
                h.next(10);
                h.ackAll();
                h.next(10);
                assertThat(h.collector.endOfInput()).hasSize(1);
                lines.addAll(h.collector.texts());
            }
        }
        assertThat(lines).containsExactlyInAnyOrder("line 0", "line 1", "line 2", "line 3", "line 4");
    }

    @Test
    void declaresTheBlockEndOfInputAndRetiredStreams() {
        OutputFieldsGetter declared = new OutputFieldsGetter();
        new FileSpout("x").declareOutputFields(declared);
        assertThat(declared.getFieldsDeclaration().get("default").get_output_fields())
                .isEqualTo(Schema.BLOCK_FIELDS.toList());
        assertThat(declared.getFieldsDeclaration().get(Schema.END_OF_INPUT_STREAM).get_output_fields())
                .isEqualTo(Schema.END_OF_INPUT_FIELDS.toList());
        assertThat(declared.getFieldsDeclaration().get(Schema.RETIRED_STREAM).get_output_fields())
                .isEqualTo(Schema.RETIRED_FIELDS.toList());
    }
}
