package io.stormwatch.storm.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.window.WindowResult;
import io.stormwatch.testing.Records;
import org.junit.jupiter.api.Test;

class LogSinkTest {

    @Test
    void describesAWindowOnOneReadableLine() {
        LogStats stats = new LogStats()
                .add(Records.record(1_000, "a", "/index.html", 200, 100))
                .add(Records.record(2_000, "b", "/index.html", 200, 300))
                .add(Records.record(3_000, "c", "/missing", 404, 0));

        String line = LogSink.describe(new WindowResult(0, 30_000, stats, 2));

        assertThat(line).isEqualTo("window (1970-01-01T00:00:00Z, 1970-01-01T00:00:30Z] records=3 rejected=0 late=2"
                + " bytes avg=133 min=0 max=300 codes={200=2, 404=1} top=[/index.html=2, /missing=1]");
    }

    @Test
    void showsControlCharactersOfRejectedLinesEscaped() {
        assertThat(LogSink.printable("GET /\u0000\u001b[2J x\u007f")).isEqualTo("GET /\\x00\\x1b[2J x\\x7f");
        assertThat(LogSink.printable("plain \"text\"")).isEqualTo("plain \"text\"");
    }
}
