package io.stormwatch.core.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.gen.HostileLines.Flavor;
import io.stormwatch.core.gen.HostileLines.Kind;
import io.stormwatch.core.gen.HostileLines.Options;
import io.stormwatch.core.gen.HostileLines.Summary;
import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.log.AccessLogParser;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.Jobs;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hostile generator: the same options give the same bytes; a {@link LineReader} (what every source reads
 * with, and what {@code produce} reads files with) counts exactly the lines the summary says — huge lines, the
 * unterminated last one, carriage returns and empty lines included — and every kind of line shows up.
 */
class HostileLinesTest {

    private static final int HUGE_BYTES = 4 * (AccessLogParser.DEFAULT_MAX_LINE_LENGTH + 1) + 1_000;

    private static byte[] bytes(Options options, Summary[] summary) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        summary[0] = new HostileLines(options).writeTo(out);
        return out.toByteArray();
    }

    private static long linesRead(byte[] bytes) throws IOException {
        long lines = 0;
        try (LineReader reader = new LineReader(new ByteArrayInputStream(bytes), AccessLogParser.DEFAULT_MAX_LINE_LENGTH)) {
            for (LineReader.Line line; (line = reader.next()) != null; ) {
                assertThat(line.text().length()).isLessThanOrEqualTo(2 * (AccessLogParser.DEFAULT_MAX_LINE_LENGTH + 1));
                lines++;
            }
        }
        return lines;
    }

    @ParameterizedTest
    @EnumSource(Flavor.class)
    void aReaderCountsExactlyTheLinesWrittenAndEveryKindIsThere(Flavor flavor) throws IOException {
        Summary[] summary = new Summary[1];
        byte[] bytes = bytes(new Options(30_000, 5, flavor, 3, HUGE_BYTES), summary);

        assertThat(summary[0].lines()).isEqualTo(30_000);
        assertThat(summary[0].bytes()).isEqualTo(bytes.length);
        assertThat(linesRead(bytes)).isEqualTo(30_000);
        assertThat(summary[0].kinds().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(30_000);
        assertThat(summary[0].kinds()).containsEntry(Kind.HUGE, 3L);
        EnumSet<Kind> expected = EnumSet.allOf(Kind.class);
        if (flavor == Flavor.ACCESS_LOG) {
            expected.remove(Kind.INVALID_JSON);
        }
        assertThat(summary[0].kinds().keySet()).containsAll(expected);
        // The stream ends inside a huge line: no terminator after it.
        byte last = bytes[bytes.length - 1];
        assertThat(last).isNotIn((byte) '\n', (byte) '\r');
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"log-analytics", "status-codes", "top-urls", "word-count", "hashtags"})
    void everyJobAcceptsOrRejectsEveryLineWithoutThrowing(String name, @TempDir Path dir) throws IOException {
        Flavor flavor = name.equals("hashtags") ? Flavor.TWEETS : Flavor.ACCESS_LOG;
        Path file = dir.resolve("hostile");
        Summary summary;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            summary = new HostileLines(new Options(20_000, 11, flavor, 2, HUGE_BYTES)).writeTo(out);
        }

        Tally totals = new Batch<>(Jobs.fromConfig(name, Map.of()), AccessLogParser.DEFAULT_MAX_LINE_LENGTH)
                .run(List.of(file), Batch.DeadLetterSink.DISCARD, bytes -> {});

        assertThat(totals.records() + totals.rejected()).isEqualTo(summary.lines());
        assertThat(totals.rejected()).isGreaterThan(summary.kinds().get(Kind.RANDOM_BYTES));
    }

    @Test
    void theSameOptionsGiveTheSameBytesAndAnotherSeedOthers() throws IOException {
        Summary[] summary = new Summary[1];
        byte[] a = bytes(new Options(5_000, 7, Flavor.ACCESS_LOG, 1, HUGE_BYTES), summary);

        assertThat(bytes(new Options(5_000, 7, Flavor.ACCESS_LOG, 1, HUGE_BYTES), summary)).isEqualTo(a);
        assertThat(Arrays.equals(bytes(new Options(5_000, 8, Flavor.ACCESS_LOG, 1, HUGE_BYTES), summary), a)).isFalse();
    }

    @Test
    void everySmallStreamCountsRightToo() throws IOException {
        // Short streams hit the edges: a single line, an empty or CR-ended line at the end, no huge line.
        Summary[] summary = new Summary[1];
        for (long seed = 0; seed < 200; seed++) {
            int lines = 1 + (int) (seed % 7);
            byte[] bytes = bytes(new Options(lines, seed, seed % 2 == 0 ? Flavor.ACCESS_LOG : Flavor.TWEETS, 0, HUGE_BYTES),
                    summary);
            assertThat(linesRead(bytes)).as("seed %d", seed).isEqualTo(lines);
        }
    }

    @Test
    void defaultsAreFiveHugeLinesOfTenMegabytesInAMillion() {
        Options options = new Options(1_000_000, 1, Flavor.ACCESS_LOG);

        assertThat(options.huge()).isEqualTo(5);
        assertThat(options.hugeBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(new Options(10, 1, Flavor.TWEETS).huge()).isEqualTo(1);
        assertThatThrownBy(() -> new Options(0, 1, Flavor.TWEETS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Options(10, 1, Flavor.TWEETS, 1, 1_000)).isInstanceOf(IllegalArgumentException.class);
    }
}
