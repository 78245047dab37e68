package io.stormwatch.core.totals;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The positions of one source already counted, as sorted, disjoint, half-open ranges {@code [start, end)},
 * to tell a replayed line from a new one: {@link #add(long, long) add(offset, nextOffset)} answers whether
 * the line is new.
 *
 * <p>A line occupies {@code [offset, nextOffset)}: its first byte up to where the next line starts (a
 * line sequence number {@code n} occupies {@code [n, n + 1)}). Consecutive lines of a source touch
 * ({@code line[k].nextOffset == line[k + 1].offset}), and touching ranges merge, so a source read in order
 * is one range however long it is, and a gap that fills up joins its neighbours: memory follows the number
 * of gaps (lines still in flight, lines lost), not of lines.
 *
 * <p><b>Assumption: lines of one source never overlap.</b> Two lines are either the same line (same
 * offsets) or disjoint. So a line that overlaps anything counted is a line seen before, and {@code add}
 * returns false without changing the set. That includes a <em>partial</em> overlap, which the assumption
 * rules out for distinct lines: it can only be the same line reported with other boundaries (a spout that
 * broke its contract, or a source name reused for other content); counting it again would double-count,
 * so it is not counted. {@link #covers} tells such a partial overlap from a clean repeat, for callers that
 * report it. The set keeps no line boundaries inside a range, so it cannot tell a repeat of a counted line
 * from a different line inside counted bytes — which, by the assumption, does not exist.
 *
 * <p>Example: {@code add(0, 57)}, {@code add(131, 200)} → {@code {[0, 57), [131, 200)}}; {@code add(57, 131)}
 * fills the gap → {@code {[0, 200)}}; {@code add(57, 131)} again → false; {@code add(50, 60)} → false
 * (partial overlap), and {@code covers(50, 60)} is true while {@code covers(190, 210)} is false.
 *
 * <p>Cost: the next line of a source read in order (at or after the last end) is O(1); any other line is
 * a binary search plus, when it opens a new gap or closes one, moving the ranges above it (few: only the
 * newest part of a source has gaps). Not thread-safe. Equality is by content.
 */
public final class OffsetSet implements Serializable {

    private static final long serialVersionUID = 2L;

    /**
     * Range {@code i} is {@code [starts[i], ends[i])}, non-empty; ranges are sorted and separated by gaps
     * ({@code ends[i] < starts[i + 1]}), so {@code ends} is strictly increasing too.
     */
    private long[] starts;
    private long[] ends;
    private int ranges;

    public OffsetSet() {
        starts = new long[4];
        ends = new long[4];
    }

    private OffsetSet(long[] starts, long[] ends, int ranges) {
        this.starts = starts;
        this.ends = ends;
        this.ranges = ranges;
    }

    /**
     * Counts the line {@code [offset, nextOffset)}; false when it overlaps a counted range (then the set is
     * unchanged).
     *
     * @throws IllegalArgumentException when {@code nextOffset <= offset}: a line always occupies something
     */
    public boolean add(long offset, long nextOffset) {
        if (nextOffset <= offset) {
            throw new IllegalArgumentException("empty line range [" + offset + ", " + nextOffset + ")");
        }
        int last = ranges - 1;
        if (last < 0 || offset >= ends[last]) {
            // The common case: the next line of a source read in order.
            if (last >= 0 && offset == ends[last]) {
                ends[last] = nextOffset;
            } else {
                insert(ranges, offset, nextOffset);
            }
            return true;
        }
        // i: the first range ending after offset, the only one that can overlap or follow the line.
        int i = firstEndAfter(offset);
        if (i < ranges && starts[i] < nextOffset) {
            return false;
        }
        boolean joinsLeft = i > 0 && ends[i - 1] == offset;
        boolean joinsRight = i < ranges && starts[i] == nextOffset;
        if (joinsLeft && joinsRight) {
            ends[i - 1] = ends[i];
            System.arraycopy(starts, i + 1, starts, i, ranges - i - 1);
            System.arraycopy(ends, i + 1, ends, i, ranges - i - 1);
            ranges--;
        } else if (joinsLeft) {
            ends[i - 1] = nextOffset;
        } else if (joinsRight) {
            starts[i] = offset;
        } else {
            insert(i, offset, nextOffset);
        }
        return true;
    }

    /** True when all of {@code [offset, nextOffset)} is counted (false for an empty or inverted range). */
    public boolean covers(long offset, long nextOffset) {
        if (nextOffset <= offset) {
            return false;
        }
        int i = firstEndAfter(offset);
        return i < ranges && starts[i] <= offset && nextOffset <= ends[i];
    }

    /** Number of ranges the counted lines are stored as: the memory footprint, 16 bytes each. */
    public int rangeCount() {
        return ranges;
    }

    public OffsetSet copy() {
        int capacity = Math.max(4, ranges);
        return new OffsetSet(Arrays.copyOf(starts, capacity), Arrays.copyOf(ends, capacity), ranges);
    }

    private int firstEndAfter(long offset) {
        int lo = 0;
        int hi = ranges;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] <= offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private void insert(int i, long start, long end) {
        if (ranges == starts.length) {
            starts = Arrays.copyOf(starts, ranges * 2);
            ends = Arrays.copyOf(ends, ranges * 2);
        }
        System.arraycopy(starts, i, starts, i + 1, ranges - i);
        System.arraycopy(ends, i, ends, i + 1, ranges - i);
        starts[i] = start;
        ends[i] = end;
        ranges++;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OffsetSet other && ranges == other.ranges
                && Arrays.equals(starts, 0, ranges, other.starts, 0, ranges)
                && Arrays.equals(ends, 0, ranges, other.ends, 0, ranges);
    }

    @Override
    public int hashCode() {
        int h = ranges;
        for (int i = 0; i < ranges; i++) {
            h = 31 * h + Long.hashCode(starts[i]);
            h = 31 * h + Long.hashCode(ends[i]);
        }
        return h;
    }

    /** For example {@code {[0, 57), [131, 200)}}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < ranges; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('[').append(starts[i]).append(", ").append(ends[i]).append(')');
        }
        return sb.append('}').toString();
    }
}
