package io.stormwatch.core.window;

import io.stormwatch.core.agg.Tally;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A block of consecutive lines of one source, counted and cut by pane: what a parse task makes of a block
 * ({@link BlockSplitter}) and hands to both the window bolt (the panes, in channel order) and the running
 * totals (every tally of it, exactly once per block range). Treat as immutable: both may read one object.
 *
 * <ul>
 *   <li>{@code panes}: per pane, the tally of the block's lines in it that are not late within the block;</li>
 *   <li>{@code rest}: what the totals count but no window does — rejected lines and records without an event
 *       time (in event time they have no time) and the lines of {@code late};</li>
 *   <li>{@code late}: lines already late within the block ({@link LateLines});</li>
 *   <li>{@code maxTime}: the largest event time of the block's records, {@code Long.MIN_VALUE} if none.</li>
 * </ul>
 *
 * @param channel  the spout task that emitted the block: blocks of one channel are taken in its order
 * @param position the block's place in that order
 * @param source   the block's source (file instance, connection, ...)
 * @param offset   where the block starts in the source
 * @param nextOffset where the line after the block starts
 * @param slideMillis the slide (pane size) the block was cut with
 * @param lagMillis  the lag its lateness was judged with
 */
public record BlockPanes(int channel, BlockPosition position, String source, long offset, long nextOffset,
        long slideMillis, long lagMillis, long maxTime, PanePartial[] panes, Tally rest, LateLines late)
        implements Serializable {

    /** Every tally of the block, for totals: the panes' and the rest. */
    public Tally[] tallies() {
        Tally[] tallies = Arrays.copyOf(Arrays.stream(panes).map(PanePartial::tally).toArray(Tally[]::new), panes.length + 1);
        tallies[panes.length] = rest;
        return tallies;
    }

    /** Lines counted in the block, records and rejected. */
    public long lineCount() {
        long lines = rest.records() + rest.rejected();
        for (PanePartial pane : panes) {
            lines += pane.tally().records() + pane.tally().rejected();
        }
        return lines;
    }
}
