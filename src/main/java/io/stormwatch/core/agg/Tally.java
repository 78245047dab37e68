package io.stormwatch.core.agg;

import java.util.Arrays;
import java.util.Objects;

/**
 * The accumulator every stormwatch job counts into: scalar cells (sums, minima, maxima) and keyed counts
 * (per word, per endpoint, per status code), laid out by a {@link TallySchema}. A job's aggregate
 * ({@link io.stormwatch.core.job.Aggregate}) adds records to a tally; the engine merges tallies of
 * blocks of lines into panes, windows and all-time totals, encodes them compactly ({@link TallyCodec}),
 * stores them key by key ({@link TallyEntries}) and slides windows by taking panes out again
 * ({@link #subtract}).
 *
 * <p>A tally is a commutative monoid: {@code schema.newTally()} is the identity and {@link #merge} is
 * associative, commutative and exact, so the tally of {@code A ++ B} equals {@code tally(A).merge(tally(B))}
 * for any split of the lines — which is why a batch, a window of panes, a running total of blocks and the
 * same with other block boundaries all agree exactly.
 *
 * <p>Every tally counts {@linkplain #countRecord() records} and {@linkplain #countRejected rejected lines
 * by reason}; the job's cells and dimensions follow. A cell that has seen nothing holds its kind's
 * {@linkplain TallySchema.Kind#identity() identity} (a minimum: {@code Long.MAX_VALUE}): views decide what
 * to show for it. Equality is by schema and content. Not thread-safe.
 */
public final class Tally {

    /** Shared boxes for small int keys (status codes): {@code Integer.valueOf} caches only up to 127. */
    private static final Integer[] SMALL_INTS = new Integer[1024];

    static {
        for (int i = 0; i < SMALL_INTS.length; i++) {
            SMALL_INTS[i] = i;
        }
    }

    private final TallySchema schema;
    private final long[] cells;
    private final Counts<Object>[] dims;

    Tally(TallySchema schema) {
        this.schema = schema;
        this.cells = schema.identities().clone();
        @SuppressWarnings("unchecked")
        Counts<Object>[] empty = new Counts[schema.dimCount()];
        this.dims = empty;
        for (int d = 0; d < dims.length; d++) {
            dims[d] = new Counts<>();
        }
    }

    public TallySchema schema() {
        return schema;
    }

    public long cell(int cell) {
        return cells[cell];
    }

    /** Lines that gave a record. */
    public long records() {
        return cells[TallySchema.RECORDS];
    }

    /** Lines rejected, for any reason. */
    public long rejected() {
        return cells[TallySchema.REJECTED];
    }

    /** Counts one line that gave a record (the job's aggregate adds the record's own figures). */
    public void countRecord() {
        cells[TallySchema.RECORDS]++;
    }

    /** Counts one rejected line under its reason key, e.g. {@code too-long}. */
    public void countRejected(String reason) {
        cells[TallySchema.REJECTED]++;
        dims[TallySchema.REJECT_REASONS].increment(reason);
    }

    /** Adds {@code value} to a {@link TallySchema.Kind#SUM} cell. */
    public void sum(int cell, long value) {
        cells[cell] += value;
    }

    /** Keeps the smaller of the cell and {@code value} (a {@link TallySchema.Kind#MIN} cell). */
    public void min(int cell, long value) {
        if (value < cells[cell]) {
            cells[cell] = value;
        }
    }

    /** Keeps the larger of the cell and {@code value} (a {@link TallySchema.Kind#MAX} cell). */
    public void max(int cell, long value) {
        if (value > cells[cell]) {
            cells[cell] = value;
        }
    }

    /** Overwrites a cell: for engines that recompute a minimum or maximum a subtraction cannot undo. */
    void set(int cell, long value) {
        cells[cell] = value;
    }

    /** Counts one occurrence of {@code key} in a {@link TallySchema.KeyType#STRING} dimension. */
    public void count(int dim, String key) {
        dims[dim].increment(key);
    }

    /** Counts {@code n} occurrences of {@code key} in a {@link TallySchema.KeyType#STRING} dimension. */
    public void count(int dim, String key, long n) {
        dims[dim].add(key, n);
    }

    /** Counts one occurrence of {@code key} in an {@link TallySchema.KeyType#INT} dimension. */
    public void count(int dim, int key) {
        dims[dim].increment(box(key));
    }

    /** Counts {@code n} occurrences of {@code key} in an {@link TallySchema.KeyType#INT} dimension. */
    public void count(int dim, int key, long n) {
        dims[dim].add(box(key), n);
    }

    /** The counts of a dimension, keyed by {@code String} or {@code Integer} as its key type says. */
    @SuppressWarnings("unchecked")
    public <K> Counts<K> dim(int dim) {
        return (Counts<K>) (Counts<?>) dims[dim];
    }

    static Integer box(int key) {
        return key >= 0 && key < SMALL_INTS.length ? SMALL_INTS[key] : Integer.valueOf(key);
    }

    /** True when no line was counted. */
    public boolean isEmpty() {
        return records() == 0 && rejected() == 0;
    }

    /** Adds everything {@code other} counted into this; returns this. */
    public Tally merge(Tally other) {
        requireSameSchema(other);
        for (int c = 0; c < cells.length; c++) {
            cells[c] = schema.kind(c).combine(cells[c], other.cells[c]);
        }
        for (int d = 0; d < dims.length; d++) {
            dims[d].addAll(other.dims[d]);
        }
        return this;
    }

    /**
     * Takes out what {@code other} counted, which must have been merged into this before: the sums and the
     * keyed counts go back exactly (keys whose count reaches 0 disappear); minima and maxima cannot be taken
     * out and stay as they are — whoever subtracts recomputes them ({@link SlidingTally} does).
     *
     * @throws IllegalStateException when a count would go below 0
     */
    public Tally subtract(Tally other) {
        requireSameSchema(other);
        for (int c = 0; c < cells.length; c++) {
            if (schema.kind(c) == TallySchema.Kind.SUM) {
                cells[c] -= other.cells[c];
            }
        }
        for (int d = 0; d < dims.length; d++) {
            dims[d].subtractAll(other.dims[d]);
        }
        return this;
    }

    /**
     * Sets every cell from a copy of {@link #cells()} taken earlier, e.g. when the totals come back from a
     * state store key by key.
     */
    public void restoreCells(long[] values) {
        if (values.length != cells.length) {
            throw new IllegalArgumentException("expected " + cells.length + " cells, got " + values.length);
        }
        System.arraycopy(values, 0, cells, 0, cells.length);
    }

    /** Forgets everything counted: back to the identity. */
    void clear() {
        System.arraycopy(schema.identities(), 0, cells, 0, cells.length);
        for (Counts<Object> dim : dims) {
            dim.clear();
        }
    }

    public Tally copy() {
        Tally copy = new Tally(schema);
        System.arraycopy(cells, 0, copy.cells, 0, cells.length);
        for (int d = 0; d < dims.length; d++) {
            copy.dims[d] = dims[d].copy();
        }
        return copy;
    }

    /** The cells, copied. */
    public long[] cells() {
        return cells.clone();
    }

    /** Keys over all dimensions: a measure of the tally's size. */
    public long keyCount() {
        long keys = 0;
        for (Counts<Object> dim : dims) {
            keys += dim.size();
        }
        return keys;
    }

    private void requireSameSchema(Tally other) {
        if (other.schema != schema) {
            throw new IllegalArgumentException("cannot combine tallies of different shapes: " + schema + " and " + other.schema);
        }
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Tally t && t.schema == schema && Arrays.equals(cells, t.cells)
                && Arrays.equals(dims, t.dims);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(cells), Arrays.hashCode(dims));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tally{cells=").append(Arrays.toString(cells));
        for (int d = 0; d < dims.length; d++) {
            sb.append(", dim").append(d).append('=').append(dims[d].size() <= 20 ? dims[d].toString() : dims[d].size() + " keys");
        }
        return sb.append('}').toString();
    }
}
