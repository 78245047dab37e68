package io.stormwatch.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The pieces of a live run that are plain functions: the time field of a line, and CPU time from /proc. */
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
        LiveLines lines = new LiveLines(200, 7);
        for (int i = 0; i < 200; i++) {
            String line = new String(lines.next(wallMillis), StandardCharsets.ISO_8859_1);
            int at = LiveLines.timeField(line.getBytes(StandardCharsets.ISO_8859_1));
            if (at >= 0) {
                String expected = io.stormwatch.core.log.AccessLogRenderer.time(wallMillis / 1000 * 1000, 0);
                assertThat(line.substring(at, at + 26)).as(line).isEqualTo(expected);
            }
        }
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
