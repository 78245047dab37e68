package io.stormwatch.core.window;

import io.stormwatch.core.agg.Tally;
import java.io.Serializable;

/**
 * The lines of one block that fall into one pane, counted: the unit the window bolt adds to a pane, or
 * reports as late when the pane has closed. {@code offsets} and {@code times} name its lines (their first
 * byte and event time), so that late lines can be reported one by one. Treat as immutable: the same
 * object may be read by the window and the totals bolt at once.
 *
 * @param paneEnd the end of the pane its lines fall into
 * @param tally   the lines' tally
 * @param offsets each line's offset in its source
 * @param times   each line's event time, epoch ms
 */
public record PanePartial(long paneEnd, Tally tally, long[] offsets, long[] times) implements Serializable {

    /** Lines in the partial. */
    public int lineCount() {
        return offsets.length;
    }
}
