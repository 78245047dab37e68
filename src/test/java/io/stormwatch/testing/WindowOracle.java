package io.stormwatch.testing;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallySchema;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.ToLongFunction;

/**
 * Reference event-time windows, computed line by line straight from the documented definition and
 * independent of the production pane code (BlockSplitter, WindowAssembler), so that the engine and the
 * streaming results can be checked against it.
 *
 * <p>Definition, per channel (a spout task's lines, in its order): the channel's watermark before a line is
 * the largest event time of its earlier lines minus the lag; a line whose pane {@code (k·S, (k+1)·S]} ends
 * at or before that watermark is late, goes into no pane and is counted in the {@code late} of the first
 * pane after the watermark; other lines go into their pane. A window ending at {@code E} merges the panes
 * ending in {@code (E − L, E]} and exists when one of them holds a line or a late count. Channels never go
 * idle here (the only rule where timing matters).
 */
public final class WindowOracle {

    /** One expected window. */
    public record Window(long start, long end, Tally tally, long late) {}

    /** Windows by end time, and how many lines were late in all. */
    public record Result(NavigableMap<Long, Window> windows, long lateLines) {}

    private WindowOracle() {}

    /**
     * The windows of records, each channel's list in its order.
     *
     * @param add  counts a record into a tally (the job's aggregate)
     * @param time a record's event time
     */
    public static <R> Result eventTime(List<List<R>> channels, TallySchema schema, BiConsumer<R, Tally> add,
            ToLongFunction<R> time, long length, long slide, long lag) {
        TreeMap<Long, Tally> panes = new TreeMap<>();
        TreeMap<Long, Long> lateByPane = new TreeMap<>();
        for (List<R> channel : channels) {
            long maxTime = Long.MIN_VALUE;
            for (R record : channel) {
                long t = time.applyAsLong(record);
                long paneEnd = paneEnd(t, slide);
                if (maxTime != Long.MIN_VALUE && paneEnd <= maxTime - lag) {
                    lateByPane.merge(paneEnd(maxTime - lag + 1, slide), 1L, Long::sum);
                } else {
                    add.accept(record, panes.computeIfAbsent(paneEnd, end -> schema.newTally()));
                }
                maxTime = Math.max(maxTime, t);
            }
        }
        long lateLines = lateByPane.values().stream().mapToLong(Long::longValue).sum();
        TreeMap<Long, Window> windows = new TreeMap<>();
        TreeMap<Long, Boolean> paneEnds = new TreeMap<>();
        panes.keySet().forEach(e -> paneEnds.put(e, true));
        lateByPane.keySet().forEach(e -> paneEnds.put(e, true));
        for (long paneEnd : paneEnds.keySet()) {
            for (long end = paneEnd; end < paneEnd + length; end += slide) {
                windows.computeIfAbsent(end, e -> window(e, length, schema, panes, lateByPane));
            }
        }
        return new Result(windows, lateLines);
    }

    private static Window window(long end, long length, TallySchema schema, NavigableMap<Long, Tally> panes,
            NavigableMap<Long, Long> lateByPane) {
        Tally tally = schema.newTally();
        panes.subMap(end - length, false, end, true).values().forEach(tally::merge);
        long late = 0;
        for (Map.Entry<Long, Long> e : lateByPane.subMap(end - length, false, end, true).entrySet()) {
            late += e.getValue();
        }
        return new Window(end - length, end, tally, late);
    }

    public static long paneEnd(long time, long slide) {
        return -Math.floorDiv(-time, slide) * slide;
    }
}
