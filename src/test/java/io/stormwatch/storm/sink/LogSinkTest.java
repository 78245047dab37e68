package io.stormwatch.storm.sink;

import static io.stormwatch.storm.sink.Results.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.job.DeadLetter;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.testing.CapturedLog;
import io.stormwatch.testing.ManualClock;
import io.stormwatch.testing.Records;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LogSinkTest {

    private static final String LOGGER = LogSink.class.getName();

    private final ManualClock clock = new ManualClock(1_000_000);
    private final LogSink sink = new LogSink(Results.VIEWS, clock);
    private Level level;
    private CapturedLog log;

    @BeforeEach
    void captureDebug() {
        // The test configuration logs stormwatch at INFO; the DEBUG lines are part of this sink's contract.
        level = LogManager.getLogger(LOGGER).getLevel();
        Configurator.setLevel(LOGGER, Level.DEBUG);
        log = CapturedLog.attach(Level.DEBUG, LOGGER);
        sink.open(Map.of(), null);
    }

    @AfterEach
    void restore() {
        sink.close();
        log.close();
        Configurator.setLevel(LOGGER, level);
    }

    private static DeadLetter deadLetter(long offset) {
        return new DeadLetter("a.log#1", offset, "malformed", "bad status", "line " + offset);
    }

    @Test
    void describesAWindowOnOneReadableLine() {
        LogStats stats = new LogStats()
                .add(Records.record(T0 + 1_000, "a", "/index.html", 200, 100))
                .add(Records.record(T0 + 2_000, "b", "/index.html", 200, 300))
                .add(Records.record(T0 + 3_000, "c", "/missing", 404, 0));

        sink.window(Results.window(T0, T0 + 30_000, 2, stats));

        assertThat(log.lines()).containsExactly("window (2024-03-31T00:00:00Z, 2024-03-31T00:00:30Z] late=2"
                + " records=3 rejected=0 bytes avg=133 min=0 max=300 codes={200=2, 404=1} top=[/index.html=2, /missing=1]");
    }

    @Test
    void finalTotalsAtInfoRunningTotalsAtDebug() {
        try (CapturedLog info = CapturedLog.attach(Level.INFO, LOGGER)) {
            sink.totals(Results.totals(false, new LogStats().add(Records.at(T0))));
            sink.totals(Results.totals(true, new LogStats().add(Records.at(T0)).add(Records.at(T0))));

            String one = "records=1 rejected=0 bytes avg=100 min=100 max=100 codes={200=1} top=[/=1]";
            String two = "records=2 rejected=0 bytes avg=100 min=100 max=100 codes={200=2} top=[/=2]";
            assertThat(log.lines()).containsExactly("totals: " + one, "final totals: " + two);
            assertThat(info.lines()).containsExactly("final totals: " + two);
        }
    }

    @Test
    void deadLettersAreShownAtMostOncePerIntervalWithTheCountNotShown() {
        try (CapturedLog warn = CapturedLog.attach(Level.WARN, LOGGER)) {
            sink.rejected(deadLetter(1));
            clock.set(clock.millis() + 1_000);
            sink.rejected(deadLetter(2));
            clock.set(clock.millis() + 8_999);
            sink.rejected(deadLetter(3));
            clock.set(clock.millis() + 1);
            sink.rejected(deadLetter(4));
            sink.rejected(deadLetter(5));
            sink.endOfInput("");

            assertThat(warn.lines()).containsExactly(
                    "rejected line a.log#1@1: malformed (bad status): line 1",
                    "rejected line a.log#1@4: malformed (bad status) [2 more rejected lines not shown]: line 4");
            assertThat(log.lines()).last().isEqualTo("end of input (1 more rejected lines not shown)");
        }
    }

    @Test
    void aClockSetBackwardsDoesNotSilenceDeadLetters() {
        sink.rejected(deadLetter(1));
        clock.set(clock.millis() - 60_000);
        sink.rejected(deadLetter(2));

        assertThat(log.lines()).hasSize(2);
    }

    @Test
    void endOfInputWithNothingSuppressed() {
        sink.endOfInput("");
        assertThat(log.lines()).containsExactly("end of input");
    }

    @Test
    void anInputNotReadWholeIsAWarningBeforeTheEnd() {
        try (CapturedLog error = CapturedLog.attach(Level.WARN, LOGGER)) {
            sink.endOfInput("/logs/b.log.gz: cannot be read from offset 0: java.io.EOFException\n/logs/c.log: does not exist");

            assertThat(error.lines()).containsExactly("end of input, but the input was not read whole, so these results are "
                    + "partial: /logs/b.log.gz: cannot be read from offset 0: java.io.EOFException; /logs/c.log: does not exist");
        }
    }

    @Test
    void controlCharactersAreShownEscaped() {
        sink.rejected(new DeadLetter("bin.log#1", 0, "binary", "NUL byte", "GET /\u0000\u001b[2J x\u007f"));

        assertThat(log.lines()).containsExactly("rejected line bin.log#1@0: binary (NUL byte): GET /\\x00\\x1b[2J x\\x7f");
        assertThat(LogSink.printable("plain \"text\"")).isEqualTo("plain \"text\"");
    }

    @Test
    void lateLinesAtDebug() {
        sink.late(new LateLine("a.log#1", 42, T0 + 14_000, T0 + 40_000));

        assertThat(log.lines()).containsExactly(
                "late line a.log#1@42 at 2024-03-31T00:00:14Z, counted in the late of the pane ending 2024-03-31T00:00:40Z");
    }
}
