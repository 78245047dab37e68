package io.stormwatch.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.log.AccessLogParser;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins down what {@link Batch#read} does when a file breaks: what was read is kept — the files before it, its
 * own lines read whole before the break, the files after it — and the {@link Batch.Outcome} names each broken
 * file with its cause, in input order.
 */
class BatchBrokenFileTest {

    private static final String GOOD =
            "10.0.0.1 - - [31/Mar/2024:01:00:00 +0100] \"GET / HTTP/1.1\" 200 100 \"-\" \"curl/8.5.0\"\n";

    @TempDir
    Path dir;

    @Test
    void aCutGzipFileCountsUpToTheBreakAndTheRunGoesOn() throws IOException {
        Path first = Files.writeString(dir.resolve("first.log"), GOOD.repeat(3));
        byte[] whole = gzip(GOOD.repeat(20_000));
        Path cut = Files.write(dir.resolve("cut.log.gz"), Arrays.copyOf(whole, whole.length / 2));
        Path last = Files.writeString(dir.resolve("last.log"), GOOD.repeat(2));

        Batch.Outcome outcome = batch().read(List.of(first, cut, last), Batch.DeadLetterSink.DISCARD, bytes -> {});

        long readableLines = readableLines(cut);
        assertThat(readableLines).isPositive().isLessThan(20_000);
        assertThat(LogStats.of(outcome.totals()).records()).isEqualTo(3 + readableLines + 2);
        assertThat(LogStats.of(outcome.totals()).rejected()).isZero();
        assertThat(outcome.failures()).extracting(Batch.ReadException::file, e -> e.getCause().getClass())
                .containsExactly(tuple(cut, EOFException.class));
    }

    @Test
    void aFileThatCannotBeOpenedIsAFailureAndTheOthersAreCounted() throws IOException {
        Path first = Files.writeString(dir.resolve("first.log"), GOOD);
        Path missing = dir.resolve("missing.log");
        Path last = Files.writeString(dir.resolve("last.log"), GOOD);

        Batch.Outcome outcome = batch().read(List.of(first, missing, last), Batch.DeadLetterSink.DISCARD, bytes -> {});

        assertThat(LogStats.of(outcome.totals()).records()).isEqualTo(2);
        assertThat(outcome.failures()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo(missing);
            assertThat(e.getCause()).isInstanceOf(NoSuchFileException.class);
        });
    }

    private static Batch<?> batch() {
        return new Batch<>(LogAnalytics.defaults(), AccessLogParser.DEFAULT_MAX_LINE_LENGTH);
    }

    /** The lines whole in what can be decompressed of {@code cut}: gunzip's output up to its error. */
    private static long readableLines(Path cut) throws IOException {
        ByteArrayOutputStream readable = new ByteArrayOutputStream();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(cut))) {
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                readable.write(buffer, 0, n);
            }
        } catch (EOFException expected) {
            // Where the cut file ends.
        }
        return readable.toString(StandardCharsets.UTF_8).chars().filter(c -> c == '\n').count();
    }

    private static byte[] gzip(String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
