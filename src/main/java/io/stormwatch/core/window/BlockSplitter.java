package io.stormwatch.core.window;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallySchema;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts one block of lines into {@link BlockPanes}: one tally per event-time pane the block touches. The
 * parse bolt and {@code stormwatch batch} use it, so both cut lines into panes the same way. (A window in
 * processing time takes every tally of the block into the pane of its arrival, so the parse side is the
 * same in both modes.)
 *
 * <p><b>Late within the block.</b> In event time a line is late when its pane had closed by the time it is
 * read: its pane end is at or before the watermark of its channel — the largest event time read before it,
 * minus the lag. That watermark is made of the channel's earlier blocks (which only the window bolt knows)
 * and of the earlier lines of this block (which only the parse task knows). This class applies the second
 * part: a line whose pane ends at or before {@code (largest time of earlier lines of the block) − lag} is late
 * whatever came before the block, and goes to {@link LateLines} with the first pane open after those lines;
 * the other lines go to their pane's partial, which the window bolt finds late as a whole when its pane ends
 * at or before the channel's watermark at the start of the block. Both parts together decide exactly what a
 * line-by-line pass over the channel decides, for any block boundaries: a line is late iff
 * {@code pane ≤ max(W_before_block, max_earlier_in_block − lag)}.
 *
 * <p>Example (slide 10 s, lag 5 s; one block of four lines at 12, 31, 14, 28 s): 12 → pane 20; 31 → pane 40;
 * 14 → pane 20 ≤ 31 − 5 = 26: late within the block, reported from pane 30 (the first pane ending after 26);
 * 28 → pane 30 &gt; 26: in the partial of pane 30. The window bolt then adds partials 20, 30, 40 unless the
 * channel's watermark had already passed them.
 *
 * <p>Rejected lines, and records without an event time ({@link #untimed()}), have no time: they go to
 * {@code rest}. Reusable: {@link #finish} hands out the block and
 * starts the next. Not thread-safe.
 */
public final class BlockSplitter {

    private final WindowSpec spec;
    private final TallySchema schema;

    private final Map<Long, PaneBuilder> panes = new TreeMap<>();
    private PaneBuilder lastPane;
    private Tally rest;
    private final LongList lateFrom = new LongList();
    private final LongList lateOffsets = new LongList();
    private final LongList lateTimes = new LongList();
    private long maxTime = Long.MIN_VALUE;

    public BlockSplitter(WindowSpec spec, TallySchema schema) {
        this.spec = spec;
        this.schema = schema;
        this.rest = schema.newTally();
    }

    /**
     * The tally to count a record into: the one of its pane, or {@code rest} when it is late within the block.
     *
     * @param offset    the line's offset in its source
     * @param eventTime the record's event time, epoch ms
     */
    public Tally tallyFor(long offset, long eventTime) {
        long paneEnd = spec.paneEnd(eventTime);
        long earlier = maxTime;
        if (eventTime > maxTime) {
            maxTime = eventTime;
        }
        if (earlier != Long.MIN_VALUE && paneEnd <= earlier - spec.lagMillis()) {
            lateFrom.add(spec.paneEnd(earlier - spec.lagMillis() + 1));
            lateOffsets.add(offset);
            lateTimes.add(eventTime);
            return rest;
        }
        PaneBuilder pane = lastPane != null && lastPane.end == paneEnd ? lastPane : panes.computeIfAbsent(paneEnd, PaneBuilder::new);
        lastPane = pane;
        pane.offsets.add(offset);
        pane.times.add(eventTime);
        return pane.tally;
    }

    /**
     * The tally to count a record without an event time into ({@code Job.NO_EVENT_TIME}): {@code rest}, with
     * the rejected lines — in the totals, in no event-time pane, and no watermark moved.
     */
    public Tally untimed() {
        return rest;
    }

    /** Counts a rejected line. */
    public void reject(String reason) {
        rest.countRejected(reason);
    }

    /** The block counted so far, with its place and range; starts the next block. */
    public BlockPanes finish(int channel, BlockPosition position, String source, long offset, long nextOffset) {
        PanePartial[] partials = new PanePartial[panes.size()];
        int i = 0;
        for (PaneBuilder pane : panes.values()) {
            partials[i++] = new PanePartial(pane.end, pane.tally, pane.offsets.toArray(), pane.times.toArray());
        }
        LateLines late = lateOffsets.size == 0 ? LateLines.NONE
                : new LateLines(lateFrom.toArray(), lateOffsets.toArray(), lateTimes.toArray());
        BlockPanes block = new BlockPanes(channel, position, source, offset, nextOffset, spec.slideMillis(),
                spec.lagMillis(), maxTime, partials, rest, late);
        panes.clear();
        lastPane = null;
        rest = schema.newTally();
        lateFrom.clear();
        lateOffsets.clear();
        lateTimes.clear();
        maxTime = Long.MIN_VALUE;
        return block;
    }

    private final class PaneBuilder {
        final long end;
        final Tally tally = schema.newTally();
        final LongList offsets = new LongList();
        final LongList times = new LongList();

        PaneBuilder(long end) {
            this.end = end;
        }
    }

    /** A growable {@code long[]}. */
    private static final class LongList {
        long[] values = new long[16];
        int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }

        void clear() {
            size = 0;
        }
    }
}
