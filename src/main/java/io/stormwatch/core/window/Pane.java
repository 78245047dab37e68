package io.stormwatch.core.window;

import io.stormwatch.core.stats.LogStats;
import java.io.Serializable;

/**
 * The statistics of one slide of time, {@code (end − slide, end]}, handed out once the pane is closed.
 *
 * @param end        end of the pane's interval, epoch ms; a multiple of the slide
 * @param stats      what the pane holds; owned by the pane once handed out
 * @param late       records that arrived while this pane was the current one but belonged to an already
 *                   closed pane (they are in no pane's {@code stats})
 * @param endOfInput true only for the marker that follows the last pane of a finite input; a marker has
 *                   empty stats and is not part of any window's statistics
 */
public record Pane(long end, LogStats stats, long late, boolean endOfInput) implements Serializable {

    public Pane(long end, LogStats stats, long late) {
        this(end, stats, late, false);
    }

    /** The marker placed at {@code end} after the last pane: it lets the window downstream fire its last windows. */
    public static Pane endOfInputMarker(long end) {
        return new Pane(end, new LogStats(), 0, true);
    }
}
