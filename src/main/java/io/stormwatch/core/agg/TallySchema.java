package io.stormwatch.core.agg;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The shape of a {@link Tally}: its scalar cells, each with how two values combine, and its keyed
 * dimensions, each with the type of its keys. Every schema starts with the cells every job counts —
 * {@link #RECORDS} (lines that gave a record) and {@link #REJECTED} (lines that did not) — and the dimension
 * {@link #REJECT_REASONS} (rejected lines by reason key); a job adds its own after them and addresses them
 * by index.
 *
 * <p>Example, the log-analytics shape:
 * <pre>
 * TallySchema.builder().sum().min().max().min().max()      // cells 2..6: content sum, min, max, first, last time
 *         .intKeys().stringKeys().stringKeys()                // dims 1..3: response codes, clients, endpoints
 *         .build();
 * </pre>
 *
 * <p>Schemas are interned: equal shapes are one instance, so a tally decoded from bytes (which carry the
 * shape) has the very schema its job built, and comparing schemas is comparing references. Immutable.
 */
public final class TallySchema implements Serializable {

    private static final long serialVersionUID = 1L;

    /** How two values of a cell combine; also what a cell holds before anything was counted. */
    public enum Kind {
        /** Added; starts at 0; the only kind a sliding window can take out again. */
        SUM(0),
        /** The smaller one; starts at {@link Long#MAX_VALUE} (no value yet). */
        MIN(Long.MAX_VALUE),
        /** The larger one; starts at {@link Long#MIN_VALUE} (no value yet). */
        MAX(Long.MIN_VALUE);

        final long identity;

        Kind(long identity) {
            this.identity = identity;
        }

        /** The value before anything was counted, which combining leaves unchanged. */
        public long identity() {
            return identity;
        }

        long combine(long a, long b) {
            return switch (this) {
                case SUM -> a + b;
                case MIN -> Math.min(a, b);
                case MAX -> Math.max(a, b);
            };
        }
    }

    /** The keys of a dimension: small whole numbers (status codes) or text (words, endpoints, clients). */
    public enum KeyType { INT, STRING }

    /** Cell: lines that gave a record. */
    public static final int RECORDS = 0;
    /** Cell: lines rejected, for any reason. */
    public static final int REJECTED = 1;
    /** Dimension: rejected lines by reason key, e.g. {@code too-long}. */
    public static final int REJECT_REASONS = 0;

    /** Every schema made so far: a handful (one per job), scanned without allocating on every decode. */
    private static final List<TallySchema> INTERNED = new CopyOnWriteArrayList<>();

    private final Kind[] kinds;
    private final KeyType[] keyTypes;
    private final long[] identities;

    private TallySchema(Kind[] kinds, KeyType[] keyTypes) {
        this.kinds = kinds;
        this.keyTypes = keyTypes;
        this.identities = new long[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            identities[i] = kinds[i].identity;
        }
    }

    /** A builder that already holds the common cells and dimension. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The schema of this shape. The first cells must be the common ones ({@code SUM, SUM}) and the first
     * dimension {@code STRING}.
     */
    public static TallySchema of(Kind[] kinds, KeyType[] keyTypes) {
        if (kinds.length > TallyCodec.MAX_CELLS || keyTypes.length > TallyCodec.MAX_DIMS) {
            throw new IllegalArgumentException("a tally has at most " + TallyCodec.MAX_CELLS + " cells and "
                    + TallyCodec.MAX_DIMS + " dimensions, got " + kinds.length + " and " + keyTypes.length);
        }
        if (kinds.length < 2 || kinds[RECORDS] != Kind.SUM || kinds[REJECTED] != Kind.SUM
                || keyTypes.length < 1 || keyTypes[REJECT_REASONS] != KeyType.STRING) {
            throw new IllegalArgumentException("a tally starts with the records and rejected sums and the reject"
                    + " reasons: got " + Arrays.toString(kinds) + " " + Arrays.toString(keyTypes));
        }
        TallySchema known = find(kinds, keyTypes);
        if (known != null) {
            return known;
        }
        synchronized (INTERNED) {
            known = find(kinds, keyTypes);
            if (known == null) {
                known = new TallySchema(kinds.clone(), keyTypes.clone());
                INTERNED.add(known);
            }
            return known;
        }
    }

    private static TallySchema find(Kind[] kinds, KeyType[] keyTypes) {
        for (TallySchema schema : INTERNED) {
            if (Arrays.equals(schema.kinds, kinds) && Arrays.equals(schema.keyTypes, keyTypes)) {
                return schema;
            }
        }
        return null;
    }

    public int cellCount() {
        return kinds.length;
    }

    public Kind kind(int cell) {
        return kinds[cell];
    }

    public int dimCount() {
        return keyTypes.length;
    }

    public KeyType keyType(int dim) {
        return keyTypes[dim];
    }

    /** A tally of this shape with nothing counted. */
    public Tally newTally() {
        return new Tally(this);
    }

    long[] identities() {
        return identities;
    }

    /** Keeps the interning across Java serialization (Flux and Storm ship components that hold a schema). */
    private Object readResolve() {
        return of(kinds, keyTypes);
    }

    @Override
    public String toString() {
        return "TallySchema" + Arrays.toString(kinds) + Arrays.toString(keyTypes);
    }

    /** Adds a job's cells and dimensions after the common ones; their indices follow in the order added. */
    public static final class Builder {
        private final List<Kind> kinds = new ArrayList<>(List.of(Kind.SUM, Kind.SUM));
        private final List<KeyType> keyTypes = new ArrayList<>(List.of(KeyType.STRING));

        public Builder sum() {
            kinds.add(Kind.SUM);
            return this;
        }

        public Builder min() {
            kinds.add(Kind.MIN);
            return this;
        }

        public Builder max() {
            kinds.add(Kind.MAX);
            return this;
        }

        public Builder intKeys() {
            keyTypes.add(KeyType.INT);
            return this;
        }

        public Builder stringKeys() {
            keyTypes.add(KeyType.STRING);
            return this;
        }

        public TallySchema build() {
            return of(kinds.toArray(new Kind[0]), keyTypes.toArray(new KeyType[0]));
        }
    }
}
