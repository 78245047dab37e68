package io.stormwatch.storm.sink;

import io.stormwatch.core.job.DeadLetter;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.storm.task.TopologyContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes results to the log (SLF4J logger {@code io.stormwatch.storm.sink.LogSink}), for any job, using the
 * one-line {@link Result#summary()} the job's views rendered:
 * <ul>
 *   <li>a window: one INFO line {@code window (<start>, <end>] late=<n> <summary>}, times ISO-8601 UTC;</li>
 *   <li>totals: {@code final totals: <summary>} at INFO when {@link Result#isFinal()}, else
 *       {@code totals: <summary>} at DEBUG (they come about once a second);</li>
 *   <li>dead letters: at WARN, at most one per {@value #DEAD_LETTER_LOG_INTERVAL_SECS} s, with the number of
 *       those not shown since the previous one; control characters of the line shown as {@code \xNN};</li>
 *   <li>late lines: at DEBUG (their number is in each window's line);</li>
 *   <li>end of input: at INFO, with the number of dead letters never shown.</li>
 * </ul>
 * Example window line (log-analytics):
 * <pre>
 * window (2024-05-01T12:00:00Z, 2024-05-01T12:00:30Z] late=1 records=1200 rejected=3 bytes avg=5120 min=0 max=90112 codes={200=1100, 404=100} top=[/index.html=400, /a=120, /b=80]
 * </pre>
 */
public final class LogSink implements ResultSink {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LogSink.class);
    static final long DEAD_LETTER_LOG_INTERVAL_SECS = 10;
    private static final long DEAD_LETTER_LOG_INTERVAL_MILLIS = TimeUnit.SECONDS.toMillis(DEAD_LETTER_LOG_INTERVAL_SECS);

    private final Clock clock;
    private transient boolean shownAny;
    private transient long lastShownMillis;
    private transient long suppressedDeadLetters;

    public LogSink() {
        this(Clock.systemUTC());
    }

    /** With {@code clock} deciding when the next dead letter may be shown (tests move it by hand). */
    LogSink(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void open(Map<String, Object> topoConf, TopologyContext context) {
        shownAny = false;
        suppressedDeadLetters = 0;
    }

    @Override
    public void window(Result window) {
        LOG.info("{}", describe(window));
    }

    @Override
    public void totals(Result totals) {
        if (totals.isFinal()) {
            LOG.info("final totals: {}", printable(totals.summary()));
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("totals: {}", printable(totals.summary()));
        }
    }

    @Override
    public void rejected(DeadLetter deadLetter) {
        long now = clock.millis();
        // A clock set backwards must not silence dead letters until it catches up again.
        if (shownAny && now >= lastShownMillis && now - lastShownMillis < DEAD_LETTER_LOG_INTERVAL_MILLIS) {
            suppressedDeadLetters++;
            return;
        }
        shownAny = true;
        lastShownMillis = now;
        LOG.warn("rejected line {}@{}: {} ({}){}: {}", deadLetter.source(), deadLetter.offset(), deadLetter.reason(),
                deadLetter.detail(),
                suppressedDeadLetters == 0 ? "" : " [" + suppressedDeadLetters + " more rejected lines not shown]",
                printable(deadLetter.line()));
        suppressedDeadLetters = 0;
    }

    @Override
    public void late(LateLine late) {
        LOG.debug("late line {}@{} at {}, counted in the late of the pane ending {}", late.source(), late.offset(),
                Instant.ofEpochMilli(late.time()), Instant.ofEpochMilli(late.reportedIn()));
    }

    @Override
    public void flush() {}

    @Override
    public void endOfInput() {
        LOG.info("end of input{}", suppressedDeadLetters == 0 ? ""
                : " (" + suppressedDeadLetters + " more rejected lines not shown)");
    }

    @Override
    public void close() {}

    /** The line with control characters shown as {@code \xNN}, as Apache writes them: binary junk must not reach a terminal. */
    static String printable(String line) {
        StringBuilder out = null;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (out == null) {
                    out = new StringBuilder(line.length() + 16).append(line, 0, i);
                }
                out.append(String.format("\\x%02x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? line : out.toString();
    }

    /** The window's one line. Summaries hold logged text (endpoints, clients), so they are made printable too. */
    static String describe(Result window) {
        return "window (" + Instant.ofEpochMilli(window.windowStart()) + ", " + Instant.ofEpochMilli(window.windowEnd())
                + "] late=" + window.late() + " " + printable(window.summary());
    }

    @Override
    public String toString() {
        return "log";
    }
}
