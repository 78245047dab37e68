package io.stormwatch.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Jobs;
import io.stormwatch.core.job.LineExtraction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The pieces of a live run that are plain functions: the lines and their time fields, and CPU time from /proc. */
class FeedPiecesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] \"GET / HTTP/1.0\" 200 2326|13",
        "[31/Mar/2024:00:00:00 +0000] x|1",
        "no time here|-1",
        "1.2.3.4 - - [10/Oct/2000:13:55:36 -0700 \"GET / HTTP/1.0\" 200 2326|-1",
        "[not/a/time/field/at/all/x]|-1",
    })
    void findsTheTimeField(String line, int at) {
        assertThat(LiveLines.timeField(line.getBytes(StandardCharsets.US_ASCII))).isEqualTo(at);
    }

    @ParameterizedTest
    @ValueSource(longs = {1_711_843_230_000L, 1_711_843_230_999L, 1_796_000_000_123L})
    void stampsLinesWithTheSecondTheyAreSent(long wallMillis) {
        LiveLines lines = LiveLines.forJob("log-analytics", 200, 7);
        for (int i = 0; i < 200; i++) {
            String line = new String(lines.next(wallMillis), StandardCharsets.ISO_8859_1);
            int at = LiveLines.timeField(line.getBytes(StandardCharsets.ISO_8859_1));
            if (at >= 0) {
                String expected = io.stormwatch.core.log.AccessLogRenderer.time(wallMillis / 1000 * 1000, 0);
                assertThat(line.substring(at, at + 26)).as(line).isEqualTo(expected);
            }
        }
    }

    /**
     * Every job's live lines: most are records of the job, and those with a time of their own (access-log
     * lines, tweets and the notices that carry one) carry the second they are sent.
     */
    @ParameterizedTest
    @MethodSource("io.stormwatch.core.job.Jobs#names")
    void everyJobsLinesAreItsRecordsStampedWithTheSecondTheyAreSent(String jobName) {
        stampedWithTheirSecond(Jobs.fromConfig(jobName, Map.of()), LiveLines.forJob(jobName, 2_000, 3));
    }

    private static <R> void stampedWithTheirSecond(Job<R> job, LiveLines lines) {
        LineExtraction<R> extraction = new LineExtraction<>(job, 1_000_000);
        long wallMillis = 1_796_000_000_123L;
        int records = 0;
        int timed = 0;
        for (int i = 0; i < 2_000; i++) {
            String line = new String(lines.next(wallMillis), StandardCharsets.UTF_8);
            R record = extraction.extract(line, (reason, detail) -> { });
            if (record != null) {
                records++;
                long time = job.eventTimeMillis(record);
                if (job.hasEventTime() && time != Job.NO_EVENT_TIME) {
                    assertThat(time).as(line).isEqualTo(wallMillis / 1000 * 1000);
                    timed++;
                }
            }
        }
        assertThat(records).as("records of %s", job.name()).isGreaterThan(1_900);
        assertThat(timed).as("timed records of %s", job.name()).isGreaterThan(job.hasEventTime() ? 1_900 : -1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1234 (java) S 1 1234 1234 0 -1 4194560 1000 0 0 0 250 50 0 0 20 0 40 0 100 0 0|3.0",
        "1234 (my (odd) name) R 1 1234 1234 0 -1 4194560 1000 0 0 0 1 2 0 0 20 0 40 0 100 0 0|0.03",
    })
    void readsCpuSecondsFromProcStat(String stat, double seconds) {
        assertThat(ProcStats.cpuSeconds(stat)).isEqualTo(seconds);
    }
}
