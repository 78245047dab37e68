package io.stormwatch.storm.spout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.stormwatch.core.io.FileIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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

    @Test
    void readsTheFileOnceAndSendsEndOfInputOnlyAfterEveryLineIsAcked() throws IOException {
        Path file = Files.writeString(dir.resolve("access.log"), "one\ntwo\nthree");
        String source = FileIdentity.of(file).sourceOf(file);
        try (var h = SpoutHarness.open(new FileSpout(file.toString()))) {
            h.next(10);
            assertThat(h.collector.lines())
                    .extracting(e -> e.line(), e -> e.source(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(tuple("one", source, 0L, 4L), tuple("two", source, 4L, 8L),
                            tuple("three", source, 8L, 13L));
            assertThat(h.collector.endOfInput()).isEmpty();

            h.spout.ack(h.collector.lines().get(0).messageId());
            h.spout.ack(h.collector.lines().get(2).messageId());
            h.next(10);
            assertThat(h.collector.endOfInput()).isEmpty();

            h.spout.ack(h.collector.lines().get(1).messageId());
            h.next(10);
            assertThat(h.collector.endOfInput()).singleElement()
                    .satisfies(e -> assertThat(e.values()).containsExactly(file.toString()));
            assertThat(h.collector.lines()).hasSize(3);
        }
        assertThat(dirContents()).containsExactly("access.log");
        assertThat(file).hasContent("one\ntwo\nthree");
    }

    /** All tuples of one complete run of the file: each line is acked once emitted. */
    private static List<RecordingSpoutOutputCollector.Emit> run(Path file) {
        try (var h = SpoutHarness.open(new FileSpout(file.toString()))) {
            h.nextUntil(() -> {
                h.ackAll();
                return !h.collector.endOfInput().isEmpty();
            }, 100);
            assertThat(h.collector.endOfInput()).hasSize(1);
            return h.collector.lines();
        }
    }

    @Test
    void theSameUnchangedFileReadAgainGivesTheSameTuplesAndMessageIds() throws IOException {
        Path file = Files.writeString(dir.resolve("access.log"), "one\ntwo\n");
        List<RecordingSpoutOutputCollector.Emit> first = run(file);
        List<RecordingSpoutOutputCollector.Emit> again = run(file);

        assertThat(first).hasSize(2);
        assertThat(again).as("nothing downstream would count a second time").isEqualTo(first);
    }

    @Test
    void aFileChangedBetweenRunsIsANewSource() throws IOException {
        Path file = Files.writeString(dir.resolve("access.log"), "one\ntwo\n");
        FileTime modified = Files.getLastModifiedTime(file);
        String original = run(file).get(0).source();

        Files.writeString(file, "three\n", StandardOpenOption.APPEND);
        Files.setLastModifiedTime(file, modified);
        List<RecordingSpoutOutputCollector.Emit> appended = run(file);
        assertThat(appended).extracting(e -> e.line()).containsExactly("one", "two", "three");
        assertThat(appended).extracting(e -> e.source()).as("another size").doesNotContain(original);

        Files.setLastModifiedTime(file, FileTime.fromMillis(modified.toMillis() + 1));
        String touched = run(file).get(0).source();
        assertThat(touched).as("another modification time").isNotIn(original, appended.get(0).source());

        Path replacement = Files.writeString(dir.resolve("access.log.new"), "ONE\nTWO\nTHREE\n");
        Files.setLastModifiedTime(replacement, FileTime.fromMillis(modified.toMillis() + 1));
        Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING);
        List<RecordingSpoutOutputCollector.Emit> replaced = run(file);
        assertThat(replaced).extracting(e -> e.line()).containsExactly("ONE", "TWO", "THREE");
        assertThat(replaced.get(0).source()).as("same size and time, another inode").isNotEqualTo(touched)
                .startsWith(file + "#" + (modified.toMillis() + 1) + "-14-");
    }

    @Test
    void replaysFailedLines() throws IOException {
        Path file = Files.writeString(dir.resolve("access.log"), "one\ntwo\n");
        try (var h = SpoutHarness.open(new FileSpout(file.toString()))) {
            h.next(3);
            h.spout.fail(h.collector.lines().get(0).messageId());
            h.next(1);
            assertThat(h.collector.lines()).extracting(e -> e.line(), e -> e.offset(), e -> e.nextOffset())
                    .containsExactly(tuple("one", 0L, 4L), tuple("two", 4L, 8L), tuple("one", 0L, 4L));
            h.ackAll();
            h.next(3);
            assertThat(h.collector.endOfInput()).hasSize(1);
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
            assertThat(h.collector.lines()).extracting(e -> e.line()).containsExactly("a", "b");
            assertThat(h.gauge("files-failed")).isEqualTo(1L);
            assertThat(h.gauge("files-completed")).isEqualTo(2L);
            assertThat(h.collector.endOfInput()).hasSize(1);
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
                h.collector.lines().forEach(e -> lines.add(e.line()));
            }
        }
        assertThat(lines).containsExactlyInAnyOrder("line 0", "line 1", "line 2", "line 3", "line 4");
    }
}
