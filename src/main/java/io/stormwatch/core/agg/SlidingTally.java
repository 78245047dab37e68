package io.stormwatch.core.agg;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The tally of a sliding window, kept up to date pane by pane: {@link #add} merges a pane that closed,
 * {@link #evictThrough} takes out the panes that left the window. Sums and keyed counts are added and
 * subtracted exactly ({@link Tally#subtract}); minima and maxima cannot be subtracted, so {@link #window()}
 * recomputes them from the small cell arrays the panes keep. A slide therefore costs the keys of the pane
 * that enters and of the pane that leaves, whatever the window's length: a 1 h window sliding every second
 * costs per slide what a 30 s one does (Spark calls this {@code reduceByKeyAndWindow} with an inverse
 * function).
 *
 * <p>Panes are kept encoded ({@link TallyCodec}) when asked: a window holds one pane per slide of its length,
 * for as long as it spans, and the bytes take about a tenth of the heap of the maps.
 *
 * <p>Example (panes named by their end, each with the records it holds): add(10: 3), add(20: 1),
 * add(30: 2) → window() has 6 records; evictThrough(10) → 3; add(40: 5) → 8. Not thread-safe.
 */
public final class SlidingTally {

    /** A pane in the window: its tally as is, or encoded (then {@code tally} is null). */
    private record Held(long end, Tally tally, byte[] encoded, long[] cells, long late) {}

    private final Tally window;
    private final ArrayDeque<Held> panes = new ArrayDeque<>();
    private final boolean hasExtremes;
    private final boolean encodePanes;
    private long late;

    /** Panes kept encoded. */
    public SlidingTally(TallySchema schema) {
        this(schema, true);
    }

    /**
     * @param encodePanes keep panes encoded: worth it for long windows (thousands of panes); a window of a few
     *                    panes keeps them as they are and spares the encoding and decoding of each
     */
    public SlidingTally(TallySchema schema, boolean encodePanes) {
        this.encodePanes = encodePanes;
        this.window = schema.newTally();
        boolean extremes = false;
        for (int c = 0; c < schema.cellCount(); c++) {
            extremes |= schema.kind(c) != TallySchema.Kind.SUM;
        }
        this.hasExtremes = extremes;
    }

    /**
     * Adds a closed pane ending at {@code end}, later than every pane added before; {@code late} counts the
     * late lines reported in it. The window takes the pane over: do not change it afterwards.
     */
    public void add(long end, Tally pane, long late) {
        if (!panes.isEmpty() && end <= panes.peekLast().end) {
            throw new IllegalArgumentException("pane " + end + " does not follow pane " + panes.peekLast().end);
        }
        window.merge(pane);
        panes.addLast(encodePanes ? new Held(end, null, TallyCodec.encode(pane), pane.cells(), late)
                : new Held(end, pane, null, pane.cells(), late));
        this.late += late;
    }

    /** Takes out every pane ending at or before {@code time}. */
    public void evictThrough(long time) {
        if (!panes.isEmpty() && panes.peekLast().end <= time) {
            // Everything leaves (e.g. a gap in the data): start afresh instead of subtracting pane by pane.
            panes.clear();
            window.clear();
            late = 0;
            return;
        }
        while (!panes.isEmpty() && panes.peekFirst().end <= time) {
            Held expired = panes.pollFirst();
            if (expired.tally != null) {
                window.subtract(expired.tally);
            } else {
                TallyCodec.subtractFrom(expired.encoded, window);
            }
            late -= expired.late;
        }
    }

    /** True when no pane is in the window. */
    public boolean isEmpty() {
        return panes.isEmpty();
    }

    /** Panes in the window. */
    public int paneCount() {
        return panes.size();
    }

    /** End of the newest pane, or {@code Long.MIN_VALUE} when empty. */
    public long newestEnd() {
        return panes.isEmpty() ? Long.MIN_VALUE : panes.peekLast().end;
    }

    /** Receives a pane of the window: see {@link #forEachPane}. */
    @FunctionalInterface
    public interface PaneVisitor {
        /** {@code encoded} gives the pane's {@link TallyCodec} bytes, encoding it only when asked. */
        void pane(long end, java.util.function.Supplier<byte[]> encoded, long late);
    }

    /** Hands every pane in the window, oldest first, e.g. to checkpoint those that changed. */
    public void forEachPane(PaneVisitor visitor) {
        for (Held held : panes) {
            visitor.pane(held.end, () -> held.encoded != null ? held.encoded : TallyCodec.encode(held.tally), held.late);
        }
    }

    /** Late lines reported in the window's panes. */
    public long late() {
        return late;
    }

    /**
     * The window's tally, with minima and maxima recomputed over its panes. It is the live accumulator: read
     * it before the next change and do not modify it.
     */
    public Tally window() {
        if (hasExtremes) {
            resetExtremes();
            TallySchema schema = window.schema();
            for (Iterator<Held> it = panes.iterator(); it.hasNext(); ) {
                long[] cells = it.next().cells;
                for (int c = 0; c < cells.length; c++) {
                    switch (schema.kind(c)) {
                        case MIN -> window.min(c, cells[c]);
                        case MAX -> window.max(c, cells[c]);
                        case SUM -> { }
                    }
                }
            }
        }
        return window;
    }

    private void resetExtremes() {
        TallySchema schema = window.schema();
        for (int c = 0; c < schema.cellCount(); c++) {
            if (schema.kind(c) != TallySchema.Kind.SUM) {
                window.set(c, schema.kind(c).identity());
            }
        }
    }
}
