package io.stormwatch.storm.sink;

import io.stormwatch.core.job.DeadLetter;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Views;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.storm.task.TopologyContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes results to the log (SLF4J logger {@code io.stormwatch.storm.sink.LogSink}), for any job, using the
 * one-line summary the job's views read from a result's JSON ({@link Views#describe}), made only for the lines
 * shown:
 * <ul>
 *   <li>a window: one INFO line {@code window (<start>, <end>] late=<n> <summary>}, times ISO-8601 UTC — up to
 *       {@value #WINDOW_BURST} at once and then {@value #WINDOWS_PER_SECOND} a second, so that a live stream
 *       shows every window and a backfill of a month (a quarter of a million windows) shows a sample instead of
 *       flooding the terminal; the next line shown says how many were left out (the other sinks have them
 *       all);</li>
 *   <li>totals: {@code final totals: <summary>} at INFO when {@link Result#isFinal()}, else
 *       {@code totals: <summary>} at DEBUG (they come about once a second);</li>
 *   <li>dead letters: at WARN, at most one per {@value #DEAD_LETTER_LOG_INTERVAL_SECS} s, with the number of
 *       those not shown since the previous one; control characters of the line shown as {@code \xNN};</li>
 *   <li>late lines: at DEBUG (their number is in each window's line);</li>
 *   <li>end of input: at INFO, with the number of windows and dead letters never shown.</li>
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

    /** Window lines shown at once before the rate applies. */
    static final int WINDOW_BURST = 50;
    /** Window lines shown per second after a burst. */
    static final int WINDOWS_PER_SECOND = 10;

    private final Views views;
    private final Clock clock;
    private transient double windowTokens;
    private transient long windowTokensAtMillis;
    private transient long suppressedWindows;
    private transient boolean shownAny;
    private transient long lastShownMillis;
    private transient long suppressedDeadLetters;

    /** Describes results with {@code job}'s views. */
    public LogSink(Job<?> job) {
        this(job.views(), Clock.systemUTC());
    }

    /** With {@code clock} deciding when the next dead letter may be shown (tests move it by hand). */
    LogSink(Views views, Clock clock) {
        this.views = views;
        this.clock = clock;
    }

    @Override
    public void open(Map<String, Object> topoConf, TopologyContext context) {
        shownAny = false;
        suppressedDeadLetters = 0;
        windowTokens = WINDOW_BURST;
        windowTokensAtMillis = clock.millis();
        suppressedWindows = 0;
    }

    @Override
    public void window(Result window) {
        long now = clock.millis();
        windowTokens = Math.min(WINDOW_BURST,
                windowTokens + Math.max(0, now - windowTokensAtMillis) * WINDOWS_PER_SECOND / 1000.0);
        windowTokensAtMillis = now;
        if (windowTokens < 1) {
            suppressedWindows++;
            return;
        }
        windowTokens--;
        LOG.info("{}{}", describe(window), suppressedWindows == 0 ? "" : " [" + suppressedWindows + " windows before it not shown]");
        suppressedWindows = 0;
    }

    @Override
    public void totals(Result totals) {
        if (totals.isFinal()) {
            LOG.info("final totals: {}", summary(totals));
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("totals: {}", summary(totals));
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
    public void endOfInput(String unread) {
        if (!unread.isEmpty()) {
            LOG.warn("end of input, but the input was not read whole, so these results are partial: {}",
                    unread.replace("\n", "; "));
        }
        String windows = suppressedWindows == 0 ? "" : suppressedWindows + " more windows";
        String deadLetters = suppressedDeadLetters == 0 ? "" : suppressedDeadLetters + " more rejected lines";
        String notShown = windows.isEmpty() || deadLetters.isEmpty() ? windows + deadLetters : windows + " and " + deadLetters;
        LOG.info("end of input{}", notShown.isEmpty() ? "" : " (" + notShown + " not shown)");
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

    /** The window's one line. */
    String describe(Result window) {
        return "window (" + Instant.ofEpochMilli(window.windowStart()) + ", " + Instant.ofEpochMilli(window.windowEnd())
                + "] late=" + window.late() + " " + summary(window);
    }

    /**
     * The views' summary of a result, printable: summaries hold logged text (endpoints, clients). A result whose
     * JSON does not read back is shown as its text, cut: the log line must not be lost to it.
     */
    private String summary(Result result) {
        try {
            return printable(views.describe(SinkJson.parseObject(result.json(), "result")));
        } catch (IOException | RuntimeException e) {
            String json = result.json();
            return printable(json.length() <= 200 ? json : json.substring(0, 200) + "…");
        }
    }

    @Override
    public String toString() {
        return "log";
    }
}
