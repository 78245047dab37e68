package io.stormwatch.core.window;

import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.stats.LogStats;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Sorts records into panes of one slide each and closes the panes as time moves on, so that a window is
 * just the merge of its {@code length / slide} closed panes: per-line work happens once, here, and a
 * window holds one small summary per slide instead of its lines.
 *
 * <p><b>Time.</b> Every call carries a time: the record's event time in {@link TimeMode#EVENT}, the arrival
 * clock in {@link TimeMode#PROCESSING} (the caller passes {@code now}; {@link #advanceTo} moves the clock
 * when no data arrives). The watermark is {@code W = (max time seen so far) − lag}. A pane is closed once
 * {@code W ≥ its end}; {@link #takeClosed()} hands out closed panes in end order, each exactly once.
 *
 * <p><b>Late records.</b> A record whose pane was already closed by the times seen before it is late: it
 * is in no pane's statistics; it is counted in the {@link Pane#late()} of the current pane (the pane that
 * holds the max time seen, or the next one if that pane is already closed, which happens only with lag 0)
 * and {@link #add} returns false so the caller can report it. Time that runs backwards by less than the
 * lag is not late: the record goes to its own, still open, pane.
 *
 * <p><b>Worked example</b> (slide 10 s, lag 5 s; times in seconds, panes named by their end):
 * <pre>
 *  call            max   W    pane   outcome                         takeClosed()
 *  add(12s)         12    7    20    added to pane 20                 —
 *  add(19s)         19   14    20    added to pane 20                 —
 *  add(31s)         31   26    40    added to pane 40                 pane 20 {12s, 19s}
 *  add(14s)         31   26    20    LATE (20 ≤ 26): pane 40 late=1   —
 *  add(28s)         31   26    30    added to pane 30 (30 &gt; 26)       —
 *  add(36s)         36   31    40    added to pane 40                 pane 30 {28s}
 *  closeAll()                                                         pane 40 {31s, 36s}, late 1
 * </pre>
 * With a 20 s window the window ending at 40 s merges panes 30 and 40: 3 records, 1 late.
 *
 * <p><b>Rejected lines</b> have no event time. In event time the caller leaves them out (they are in the
 * running totals and the dead letters, not in windows); in processing time {@link #reject} counts them in
 * the pane of their arrival.
 *
 * <p>{@link #closeAll()} closes every open pane at the end of a finite input; anything added after it
 * for a pane at or before the last closed one is late. Not thread-safe.
 */
public final class PaneAssembler {

    private final WindowSpec spec;
    private final NavigableMap<Long, OpenPane> open = new TreeMap<>();
    private long maxTime = Long.MIN_VALUE;
    /** Every pane ending at or before this is closed; only moves forward. */
    private long closedThrough = Long.MIN_VALUE;

    public PaneAssembler(WindowSpec spec) {
        this.spec = spec;
    }

    /** Adds a parsed line seen at {@code timeMillis}; false when it is late and was only counted as such. */
    public boolean add(LogRecord record, long timeMillis) {
        OpenPane pane = paneFor(timeMillis);
        if (pane == null) {
            return false;
        }
        pane.stats.add(record);
        return true;
    }

    /** Counts a rejected line arriving at {@code timeMillis} (processing time only); false when late. */
    public boolean reject(RejectReason reason, long timeMillis) {
        OpenPane pane = paneFor(timeMillis);
        if (pane == null) {
            return false;
        }
        pane.stats.reject(reason);
        return true;
    }

    /** Moves time forward without data, e.g. on a processing-time tick. Earlier times are ignored. */
    public void advanceTo(long timeMillis) {
        observe(timeMillis);
    }

    /** The panes closed since the last call, in end order. */
    public List<Pane> takeClosed() {
        List<Pane> closed = new ArrayList<>();
        while (!open.isEmpty() && open.firstKey() <= closedThrough) {
            closed.add(open.pollFirstEntry().getValue().toPane());
        }
        return closed;
    }

    /** Closes and returns every pane still open, in end order: the end of a finite input. */
    public List<Pane> closeAll() {
        if (!open.isEmpty()) {
            closedThrough = Math.max(closedThrough, open.lastKey());
        }
        return takeClosed();
    }

    /**
     * Every pane ending at or before this is closed: the watermark (max time seen minus the lag), or after
     * {@link #closeAll()} the end of the last pane it closed; {@code Long.MIN_VALUE} before any time was seen.
     */
    public long watermark() {
        return closedThrough;
    }

    /** Panes that hold data and are not yet handed out. */
    public int openPanes() {
        return open.size();
    }

    private OpenPane paneFor(long timeMillis) {
        long end = spec.paneEnd(timeMillis);
        // Lateness is judged against the times seen before this one: with lag 0 a record at a pane's end
        // still belongs to that pane, which its own time then closes.
        boolean late = end <= closedThrough;
        observe(timeMillis);
        if (late) {
            long current = Math.max(spec.paneEnd(maxTime), spec.paneEnd(closedThrough + 1));
            open.computeIfAbsent(current, OpenPane::new).late++;
            return null;
        }
        return open.computeIfAbsent(end, OpenPane::new);
    }

    private void observe(long timeMillis) {
        if (timeMillis > maxTime) {
            maxTime = timeMillis;
            long watermark = timeMillis - spec.lagMillis();
            if (watermark > closedThrough) {
                closedThrough = watermark;
            }
        }
    }

    private static final class OpenPane {
        final long end;
        final LogStats stats = new LogStats();
        long late;

        OpenPane(long end) {
            this.end = end;
        }

        Pane toPane() {
            return new Pane(end, stats, late);
        }
    }

    @Override
    public String toString() {
        return "PaneAssembler{max=" + maxTime + ", closedThrough=" + closedThrough + ", open="
                + open.keySet() + '}';
    }
}
