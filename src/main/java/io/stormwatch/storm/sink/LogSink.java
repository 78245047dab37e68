package io.stormwatch.storm.sink;

import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.window.WindowResult;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.storm.task.TopologyContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes results to the log (SLF4J logger {@code io.stormwatch.storm.sink.LogSink}): one INFO line per
 * window, the final totals at INFO and running totals at DEBUG, dead letters at WARN — at most one per
 * {@value #DEAD_LETTER_LOG_INTERVAL_SECS} s, with the count of those not shown — and late records at DEBUG
 * (their number is in each window's line). Example window line:
 * <pre>
 * window (2024-05-01T12:00:00Z, 2024-05-01T12:00:30Z] records=1200 rejected=3 late=1 bytes avg=5120 min=0 max=90112 codes={200=1100, 404=100} top=[/index.html=400, /a=120, /b=80]
 * </pre>
 */
public final class LogSink implements StatsSink {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LogSink.class);
    static final long DEAD_LETTER_LOG_INTERVAL_SECS = 10;
    private static final int TOP_ENDPOINTS = 3;

    private transient long nextDeadLetterLogNanos;
    private transient long suppressedDeadLetters;

    @Override
    public void open(Map<String, Object> topoConf, TopologyContext context) {
        nextDeadLetterLogNanos = System.nanoTime();
        suppressedDeadLetters = 0;
    }

    @Override
    public void window(WindowResult window) {
        LOG.info("{}", describe(window));
    }

    @Override
    public void totals(LogStats totals, boolean isFinal) {
        if (isFinal) {
            LOG.info("final totals: {}", describe(totals));
        } else {
            LOG.debug("totals: {}", describe(totals));
        }
    }

    @Override
    public void rejected(DeadLetter deadLetter) {
        long now = System.nanoTime();
        if (now - nextDeadLetterLogNanos < 0) {
            suppressedDeadLetters++;
            return;
        }
        nextDeadLetterLogNanos = now + TimeUnit.SECONDS.toNanos(DEAD_LETTER_LOG_INTERVAL_SECS);
        LOG.warn("rejected line {}@{}: {} ({}){}: {}", deadLetter.source(), deadLetter.offset(), deadLetter.reason(),
                deadLetter.detail(),
                suppressedDeadLetters == 0 ? "" : " [" + suppressedDeadLetters + " more rejected lines not shown]",
                printable(deadLetter.line()));
        suppressedDeadLetters = 0;
    }

    @Override
    public void late(LateRecord late) {
        LOG.debug("late record {}@{} at {}", late.source(), late.offset(), late.record().time());
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

    /** The window's one-line description. */
    static String describe(WindowResult window) {
        return "window (" + Instant.ofEpochMilli(window.start()) + ", " + Instant.ofEpochMilli(window.end()) + "] "
                + describe(window.stats(), " late=" + window.late());
    }

    private static String describe(LogStats stats) {
        return describe(stats, "");
    }

    private static String describe(LogStats stats, String extraCounts) {
        return "records=" + stats.records() + " rejected=" + stats.rejected() + extraCounts
                + " bytes avg=" + stats.contentAvg() + " min=" + stats.contentMin() + " max=" + stats.contentMax()
                + " codes=" + stats.responseCodes().sortedByCountDesc(Integer::compare).stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}"))
                + " top=" + stats.topEndpoints(TOP_ENDPOINTS).stream()
                        .map(e -> e.endpoint() + "=" + e.count()).collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public String toString() {
        return "log";
    }
}
