package io.stormwatch.storm.sink;

import java.io.Serializable;

/**
 * A window or the totals as the job's views rendered them: what the window and totals bolts send to the
 * sinks instead of the tally itself, so a sink gets a few kilobytes, not a copy of a million keys.
 *
 * @param windowStart exclusive start of the window, epoch ms (totals: {@code Long.MIN_VALUE})
 * @param windowEnd   inclusive end of the window, epoch ms (totals: {@code Long.MIN_VALUE})
 * @param late        late lines counted in the window (totals: 0)
 * @param isFinal     totals only: the last totals of a finite input
 * @param json        the JSON object (compact): the job's object, for windows followed by {@code windowStart},
 *                    {@code windowEnd} and {@code late}
 */
public record Result(long windowStart, long windowEnd, long late, boolean isFinal, String json) implements Serializable {

    /** The rendered totals. */
    public static Result totals(boolean isFinal, String json) {
        return new Result(Long.MIN_VALUE, Long.MIN_VALUE, 0, isFinal, json);
    }

    /** A rendered window {@code (start, end]}. */
    public static Result window(long start, long end, long late, String json) {
        return new Result(start, end, late, false, json);
    }

    public boolean isWindow() {
        return windowEnd != Long.MIN_VALUE;
    }
}
