package io.stormwatch.core.window;

import io.stormwatch.core.stats.LogStats;
import io.stormwatch.core.stats.LogStatsCodec;
import java.io.Serializable;
import java.util.Arrays;

/**
 * The statistics of one slide of time, {@code (end − slide, end]}, handed out once the pane is closed.
 *
 * <p>A window holds thousands of panes for as long as it spans (a 1 h window sliding every second: 3,600),
 * so a pane keeps its statistics encoded by {@link LogStatsCodec} — about a tenth of the heap of the
 * {@link LogStats} maps — and decodes them on {@link #stats()}. The pane is immutable: the stats given to
 * the constructor are encoded at once (later changes to them do not reach the pane), and each
 * {@code stats()} call returns a fresh copy. Equality is by value; the encoding is canonical, so equal
 * stats make equal panes.
 *
 * <p>Fields: {@code end}, the end of the pane's interval in epoch ms, a multiple of the slide;
 * {@code late}, records that arrived while this pane was the current one but belonged to an already closed
 * pane (they are in no pane's stats); {@code endOfInput}, true only for the marker that follows the last pane
 * of a finite input (a marker has empty stats and is not part of any window's statistics).
 */
public final class Pane implements Serializable {

    private static final long serialVersionUID = 2L;

    private final long end;
    private final byte[] encodedStats;
    private final long late;
    private final boolean endOfInput;

    public Pane(long end, LogStats stats, long late, boolean endOfInput) {
        this(end, LogStatsCodec.encode(stats), late, endOfInput);
    }

    /** For Kryo, which builds a pane with this and then sets its fields from the tuple's bytes. */
    private Pane() {
        this(0, (byte[]) null, 0, false);
    }

    private Pane(long end, byte[] encodedStats, long late, boolean endOfInput) {
        this.end = end;
        this.encodedStats = encodedStats;
        this.late = late;
        this.endOfInput = endOfInput;
    }

    public Pane(long end, LogStats stats, long late) {
        this(end, stats, late, false);
    }

    /** The marker placed at {@code end} after the last pane: it lets the window downstream fire its last windows. */
    public static Pane endOfInputMarker(long end) {
        return new Pane(end, new LogStats(), 0, true);
    }

    public long end() {
        return end;
    }

    /** The pane's statistics, decoded afresh on every call. */
    public LogStats stats() {
        return LogStatsCodec.decode(encodedStats);
    }

    public long late() {
        return late;
    }

    public boolean endOfInput() {
        return endOfInput;
    }

    /** Adds this pane's statistics to a window's merge without building them first. */
    void addStatsTo(LogStatsCodec.Merger window) {
        window.add(encodedStats);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Pane p && end == p.end && late == p.late && endOfInput == p.endOfInput
                && Arrays.equals(encodedStats, p.encodedStats);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Long.hashCode(end) + Long.hashCode(late)) + Boolean.hashCode(endOfInput))
                + Arrays.hashCode(encodedStats);
    }

    @Override
    public String toString() {
        return "Pane[end=" + end + ", stats=" + stats() + ", late=" + late + ", endOfInput=" + endOfInput + ']';
    }
}
