package io.stormwatch.testing;

import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.job.loganalytics.LogStats;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Reference event-time windows of a log read in order, computed straight from the documented definition
 * and independent of the production pane code, so that the streaming results can be checked against it.
 *
 * <p>Definition: pane {@code (k·S, (k+1)·S]}; watermark = max event time seen before a line − lag; a line
 * is late when its pane's end ≤ that watermark, and is then counted as late in the pane holding the max
 * event time; a window ending at {@code E} is the merge of the panes ending in {@code (E − L, E]}; a window
 * exists when at least one of its panes does. Requires lag &gt; 0 (lag 0 moves late lines one pane on).
 */
public final class WindowOracle {

    /** One expected window. */
    public record Window(long start, long end, LogStats stats, long late) {}

    /** Windows by end time, and how many lines were late in all. */
    public record Result(NavigableMap<Long, Window> windows, long lateLines) {}

    private WindowOracle() {}

    /** The windows of records in arrival order. */
    public static Result eventTime(List<LogRecord> inOrder, long length, long slide, long lag) {
        if (lag <= 0) {
            throw new IllegalArgumentException("the oracle needs a positive lag");
        }
        TreeMap<Long, LogStats> panes = new TreeMap<>();
        TreeMap<Long, Long> lateByPane = new TreeMap<>();
        long maxTime = Long.MIN_VALUE;
        for (LogRecord record : inOrder) {
            long time = record.timeMillis();
            long paneEnd = paneEnd(time, slide);
            if (maxTime != Long.MIN_VALUE && paneEnd <= maxTime - lag) {
                lateByPane.merge(paneEnd(maxTime, slide), 1L, Long::sum);
            } else {
                panes.computeIfAbsent(paneEnd, end -> new LogStats()).add(record);
            }
            maxTime = Math.max(maxTime, time);
        }
        long lateLines = lateByPane.values().stream().mapToLong(Long::longValue).sum();
        TreeMap<Long, Window> windows = new TreeMap<>();
        for (long paneEnd : union(panes, lateByPane)) {
            for (long end = paneEnd; end < paneEnd + length; end += slide) {
                long windowEnd = end;
                windows.computeIfAbsent(windowEnd, e -> window(e, length, panes, lateByPane));
            }
        }
        return new Result(windows, lateLines);
    }

    private static Window window(long end, long length, NavigableMap<Long, LogStats> panes,
            NavigableMap<Long, Long> lateByPane) {
        LogStats stats = new LogStats();
        panes.subMap(end - length, false, end, true).values().forEach(stats::merge);
        long late = lateByPane.subMap(end - length, false, end, true).values().stream().mapToLong(Long::longValue).sum();
        return new Window(end - length, end, stats, late);
    }

    private static Iterable<Long> union(Map<Long, ?> a, Map<Long, ?> b) {
        TreeMap<Long, Boolean> keys = new TreeMap<>();
        a.keySet().forEach(k -> keys.put(k, true));
        b.keySet().forEach(k -> keys.put(k, true));
        return keys.keySet();
    }

    private static long paneEnd(long time, long slide) {
        return -Math.floorDiv(-time, slide) * slide;
    }
}
