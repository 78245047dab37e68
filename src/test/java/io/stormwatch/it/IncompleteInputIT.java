package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.testing.CliProcess;
import io.stormwatch.testing.Oracle;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A finite run whose input cannot be read whole — here a gzip file cut short, as a copy interrupted mid-way
 * leaves it — must not look complete: {@code bin/stormwatch local} exits 1 with one line naming what was not
 * read, writes no {@code _SUCCESS} but {@code _INCOMPLETE}, and still writes what it did read.
 */
class IncompleteInputIT {

    private static final Duration LIMIT = Duration.ofMinutes(3);

    @TempDir
    Path tmp;

    @Test
    void aCutGzipFileEndsTheRunWithExit1AndNoSuccessMarker() throws Exception {
        Path cut = cutGzip(Oracle.generate(tmp.resolve("access.log"), 20_000, 45, 0.01), tmp.resolve("access.log.gz"));
        Path out = tmp.resolve("out");

        CliProcess local = CliProcess.stormwatch(tmp, LIMIT, "local", "log-analytics", "--source", "file:" + cut,
                "--output", "jsonl:" + out);

        assertThat(local.exitCode()).as(local.stderr()).isEqualTo(1);
        assertThat(ownLines(local)).singleElement().asString()
                .startsWith("stormwatch local: input not read whole: " + cut + ": cannot be read")
                .endsWith("the results in " + out.toAbsolutePath() + " are partial");
        assertThat(out.resolve(JsonLinesSink.SUCCESS)).doesNotExist();
        assertThat(Files.readAllLines(out.resolve(JsonLinesSink.INCOMPLETE))).singleElement().asString().startsWith(cut + ":");
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS)).get("records").asLong())
                .as("the readable part is counted").isPositive().isLessThan(20_000);
    }

    @Test
    void aSpoolWithABrokenFileEndsWithExit1AfterCountingTheGoodOne() throws Exception {
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        Path good = Oracle.generate(spool.resolve("a.log"), 2_000, 46, 0.0);
        Path cut = cutGzip(Oracle.generate(tmp.resolve("b.log"), 20_000, 47, 0.0), spool.resolve("b.log.gz"));
        Path out = tmp.resolve("out");

        CliProcess local = CliProcess.stormwatch(tmp, LIMIT, "local", "log-analytics", "--source", "spool:" + spool,
                "--output", "jsonl:" + out);

        assertThat(local.exitCode()).as(local.stderr()).isEqualTo(1);
        assertThat(ownLines(local)).singleElement().asString().contains(cut + ": cannot be read");
        assertThat(out.resolve(JsonLinesSink.SUCCESS)).doesNotExist();
        assertThat(spool.resolve("b.log.gz.ERROR")).exists();
        assertThat(spool.resolve("a.log.COMPLETED")).exists();
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS)).get("records").asLong())
                .isGreaterThan(Oracle.totals(good.resolveSibling("a.log.COMPLETED")).get("records").asLong());
    }

    /** The CLI's own lines on stderr (the rest is the log). */
    private static List<String> ownLines(CliProcess run) {
        return run.stderrLines().stream().filter(line -> line.startsWith("stormwatch ")).toList();
    }

    /** {@code log} gzipped, then cut to half its compressed length. */
    private static Path cutGzip(Path log, Path target) throws IOException {
        Path whole = target.resolveSibling(target.getFileName() + ".whole");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(whole))) {
            Files.copy(log, out);
        }
        byte[] bytes = Files.readAllBytes(whole);
        Files.delete(whole);
        return Files.write(target, Arrays.copyOf(bytes, bytes.length / 2));
    }
}
