package io.stormwatch.core.window;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A set of {@code long} offsets, stored as sorted disjoint ranges of consecutive values, to tell a replayed
 * line from a new one: {@link #add} answers whether an offset is new.
 *
 * <p>Consecutive values merge into one range ({@code 0,1,2,3} is one range; so is any run of line
 * sequence numbers, however long), and a gap that fills up joins its neighbours, so memory follows the
 * number of gaps, not of offsets. Byte offsets of lines are never consecutive: there each line is its own
 * range (16 bytes) — bounded, but growing with the input.
 *
 * <p>Appending above the maximum is O(1); an out-of-order value costs a binary search plus, for a new
 * gap, moving the ranges above it. Not thread-safe. Equality is by content.
 */
public final class OffsetSet implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Range {@code i} is {@code [lows[i], highs[i]]}, inclusive; ranges are sorted and separated by gaps. */
    private long[] lows;
    private long[] highs;
    private int ranges;

    public OffsetSet() {
        lows = new long[4];
        highs = new long[4];
    }

    private OffsetSet(long[] lows, long[] highs, int ranges) {
        this.lows = lows;
        this.highs = highs;
        this.ranges = ranges;
    }

    /** Adds {@code offset}; false when it was already present. */
    public boolean add(long offset) {
        if (ranges > 0 && offset > highs[ranges - 1]) {
            // The common case: the next offset of an input read in order.
            if (offset == highs[ranges - 1] + 1) {
                highs[ranges - 1] = offset;
            } else {
                insert(ranges, offset);
            }
            return true;
        }
        // i: the first range whose high is >= offset.
        int i = firstHighAtLeast(offset);
        if (i < ranges && lows[i] <= offset) {
            return false;
        }
        boolean joinsLeft = i > 0 && highs[i - 1] == offset - 1;
        boolean joinsRight = i < ranges && lows[i] == offset + 1;
        if (joinsLeft && joinsRight) {
            highs[i - 1] = highs[i];
            System.arraycopy(lows, i + 1, lows, i, ranges - i - 1);
            System.arraycopy(highs, i + 1, highs, i, ranges - i - 1);
            ranges--;
        } else if (joinsLeft) {
            highs[i - 1] = offset;
        } else if (joinsRight) {
            lows[i] = offset;
        } else {
            insert(i, offset);
        }
        return true;
    }

    public boolean contains(long offset) {
        int i = firstHighAtLeast(offset);
        return i < ranges && lows[i] <= offset;
    }

    /** Number of offsets in the set. */
    public long size() {
        long n = 0;
        for (int i = 0; i < ranges; i++) {
            n += highs[i] - lows[i] + 1;
        }
        return n;
    }

    /** Number of ranges the offsets are stored as: the memory footprint. */
    public int rangeCount() {
        return ranges;
    }

    public boolean isEmpty() {
        return ranges == 0;
    }

    public OffsetSet copy() {
        return new OffsetSet(Arrays.copyOf(lows, Math.max(4, ranges)), Arrays.copyOf(highs, Math.max(4, ranges)), ranges);
    }

    private int firstHighAtLeast(long offset) {
        int lo = 0;
        int hi = ranges;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (highs[mid] < offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void insert(int i, long offset) {
        if (ranges == lows.length) {
            lows = Arrays.copyOf(lows, ranges * 2);
            highs = Arrays.copyOf(highs, ranges * 2);
        }
        System.arraycopy(lows, i, lows, i + 1, ranges - i);
        System.arraycopy(highs, i, highs, i + 1, ranges - i);
        lows[i] = offset;
        highs[i] = offset;
        ranges++;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OffsetSet other && ranges == other.ranges
                && Arrays.equals(lows, 0, ranges, other.lows, 0, ranges)
                && Arrays.equals(highs, 0, ranges, other.highs, 0, ranges);
    }

    @Override
    public int hashCode() {
        int h = ranges;
        for (int i = 0; i < ranges; i++) {
            h = 31 * h + Long.hashCode(lows[i]);
            h = 31 * h + Long.hashCode(highs[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < ranges; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(lows[i]);
            if (highs[i] != lows[i]) {
                sb.append("..").append(highs[i]);
            }
        }
        return sb.append(']').toString();
    }
}
