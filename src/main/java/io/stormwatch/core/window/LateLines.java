package io.stormwatch.core.window;

import java.io.Serializable;

/**
 * Lines of a block found late within the block itself: each one's pane had closed already by the event
 * times of earlier lines of the same block. {@code reportFrom[i]} is the first pane still open after those
 * earlier lines, the earliest pane whose {@code late} may count line {@code i}; the window bolt counts it in
 * that pane or in the first pane open for its channel, whichever is later.
 *
 * @param reportFrom per line, the first pane open after the earlier lines of its block
 * @param offsets    per line, its offset in the source
 * @param times      per line, its event time, epoch ms
 */
public record LateLines(long[] reportFrom, long[] offsets, long[] times) implements Serializable {

    public static final LateLines NONE = new LateLines(new long[0], new long[0], new long[0]);

    public int size() {
        return offsets.length;
    }
}
