package io.stormwatch.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.log.AccessLogParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins down {@link Batch} running log-analytics over files (totals only): every line is counted, each rejected
 * one handed to the dead-letter sink with its file and byte offset — across block boundaries too —; a gzip
 * file counts as its content; several files count as the merge of their counts; lines over the bound are cut
 * and rejected as too long; every raw byte read is reported for progress; and a file that cannot be read or
 * decompressed fails with a {@link Batch.ReadException} naming it.
 */
class BatchTest {

    private static final String GOOD_1 =
            "10.0.0.1 - - [31/Mar/2024:01:00:00 +0100] \"GET / HTTP/1.1\" 200 100 \"-\" \"curl/8.5.0\"";
    private static final String GOOD_2 = "10.0.0.2 - - [31/Mar/2024:01:00:01 +0100] \"GET /a HTTP/1.1\" 404 -";
    private static final String CUT = "10.0.0.3 - - [31/Mar/2024:01:00:02 +0100] \"GET /b";

    @TempDir
    Path dir;

    @Test
    void countsEveryLineAndHandsOnEachRejectWithItsFileAndByteOffset() throws IOException {
        Path file = write("a.log", GOOD_1 + "\n\n" + CUT + "\r\n" + GOOD_2);
        List<DeadLetter> rejects = new ArrayList<>();

        LogStats stats = run(List.of(file), rejects::add);

        assertThat(stats.records()).isEqualTo(2);
        assertThat(stats.rejectReasons().toMap()).containsOnly(Map.entry("empty", 1L), Map.entry("truncated", 1L));
        long emptyOffset = GOOD_1.length() + 1;
        assertThat(rejects).extracting(DeadLetter::source, DeadLetter::offset, DeadLetter::reason, DeadLetter::line)
                .containsExactly(
                        tuple(file.toString(), emptyOffset, "empty", ""),
                        tuple(file.toString(), emptyOffset + 1, "truncated", CUT));
    }

    @Test
    void rejectsInLaterBlocksKeepTheirOffsets() throws IOException {
        StringBuilder content = new StringBuilder();
        List<Long> emptyOffsets = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            if (i % 1_000 == 999) {
                emptyOffsets.add((long) content.length());
                content.append('\n');
            } else {
                content.append(GOOD_2).append('\n');
            }
        }
        List<DeadLetter> rejects = new ArrayList<>();

        LogStats stats = run(List.of(write("many.log", content.toString())), rejects::add);

        assertThat(stats.records()).isEqualTo(2_498);
        assertThat(rejects).extracting(DeadLetter::offset).containsExactlyElementsOf(emptyOffsets);
    }

    @Test
    void gzipFilesGiveTheSameStatsAsTheirContent() throws IOException {
        String content = GOOD_1 + "\n" + CUT + "\n" + GOOD_2 + "\n";
        Path plain = write("plain.log", content);
        Path gzip = gzip("compressed.log", content); // no .gz: told by content

        assertThat(run(List.of(gzip))).isEqualTo(run(List.of(plain)));
        assertThat(run(List.of(gzip)).records()).isEqualTo(2);
    }

    @Test
    void severalFilesGiveTheMergeOfTheirStats() throws IOException {
        Path a = write("a.log", GOOD_1 + "\n" + CUT + "\n");
        Path b = write("b.log", GOOD_2 + "\n" + GOOD_1 + "\n");
        Path ab = write("ab.log", GOOD_1 + "\n" + CUT + "\n" + GOOD_2 + "\n" + GOOD_1 + "\n");

        LogStats both = run(List.of(a, b));

        assertThat(both).isEqualTo(run(List.of(ab)));
        assertThat(both).isEqualTo(run(List.of(a)).merge(run(List.of(b))));
        assertThat(both.records()).isEqualTo(3);
    }

    @Test
    void linesOverTheBoundAreCutAndRejectedAsTooLong() throws IOException {
        String longLine = "10.0.0.1 - - [31/Mar/2024:01:00:00 +0100] \"GET /" + "x".repeat(200) + " HTTP/1.1\" 200 1";
        Path file = write("long.log", longLine + "\n" + GOOD_2 + "\n");
        List<DeadLetter> rejects = new ArrayList<>();

        Tally totals = new Batch<>(LogAnalytics.defaults(), 100).run(List.of(file), rejects::add, bytes -> {});

        assertThat(LogStats.of(totals).records()).isEqualTo(1);
        assertThat(rejects).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("too-long");
            assertThat(r.line()).isEqualTo(longLine.substring(0, 101));
            assertThat(r.offset()).isZero();
        });
    }

    @Test
    void reportsEveryRawByteReadForProgress() throws IOException {
        Path a = write("a.log", GOOD_1 + "\n");
        Path b = write("b.log", GOOD_2 + "\n" + CUT);
        Path c = gzip("c.log.gz", GOOD_1 + "\n" + GOOD_2 + "\n");
        AtomicLong read = new AtomicLong();

        new Batch<>(LogAnalytics.defaults(), AccessLogParser.DEFAULT_MAX_LINE_LENGTH)
                .run(List.of(a, b, c), Batch.DeadLetterSink.DISCARD, read::addAndGet);

        assertThat(read.get()).isEqualTo(Files.size(a) + Files.size(b) + Files.size(c));
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        Path missing = dir.resolve("missing.log");

        assertThatThrownBy(() -> run(List.of(missing)))
                .isInstanceOfSatisfying(Batch.ReadException.class, e -> assertThat(e.file()).isEqualTo(missing))
                .hasMessageContaining(missing.toString())
                .hasCauseInstanceOf(NoSuchFileException.class);
    }

    @Test
    void aCutGzipFileIsAnErrorNamingIt() throws IOException {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 2_000; i++) {
            content.append(i % 2 == 0 ? GOOD_1 : GOOD_2).append('\n');
        }
        Path whole = gzip("whole.log", content.toString());
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.log.gz"), Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> run(List.of(write("first.log", GOOD_1 + "\n"), cut)))
                .isInstanceOfSatisfying(Batch.ReadException.class, e -> assertThat(e.file()).isEqualTo(cut))
                .hasMessageContaining(cut.toString())
                .hasCauseInstanceOf(IOException.class);
    }

    private LogStats run(List<Path> files) throws IOException {
        return run(files, Batch.DeadLetterSink.DISCARD);
    }

    private static LogStats run(List<Path> files, Batch.DeadLetterSink deadLetters) throws IOException {
        return LogStats.of(new Batch<>(LogAnalytics.defaults(), AccessLogParser.DEFAULT_MAX_LINE_LENGTH)
                .run(files, deadLetters, bytes -> {}));
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private Path gzip(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }
}
