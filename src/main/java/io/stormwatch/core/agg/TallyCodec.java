package io.stormwatch.core.agg;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A compact, canonical binary form of a {@link Tally}: what tuples carry between workers, what a closed pane
 * keeps while it waits in a window (≈ 14 bytes per key instead of ≈ 125 for the maps), and what a checkpoint
 * could write for a whole tally.
 *
 * <p>Canonical: keys are written in sorted order, so equal tallies always give equal bytes. Self-describing:
 * the bytes carry the tally's shape, so they decode into the very {@link TallySchema} the job built.
 * {@link #mergeInto} and {@link #subtractFrom} add or take out encoded counts straight into an existing
 * tally without building one first; {@link #cells} reads only the scalar cells.
 *
 * <p>Layout (integers LEB128 varints; signed ones zig-zag encoded):
 * <pre>
 * version=1
 * shape:  cell count, one byte per cell (kind ordinal); dimension count, one byte per dimension (key type)
 * cells:  mask of cells that differ from their kind's identity (bit i = cell i), then each such cell (signed)
 * dims:   per dimension: n, then n entries sorted by key:
 *           INT keys:    key − previous key (signed; previous starts at 0), count
 *           STRING keys: bytes shared with the previous key's UTF-8, further byte count, those bytes, count
 * </pre>
 * Counts are unsigned varints. Sorted string keys share prefixes: {@code "10.0.0.12"} after
 * {@code "10.0.0.1"} costs 2 + 1 bytes. Input that {@link #encode} did not produce fails with an
 * {@link IllegalArgumentException} (a target tally may then hold part of it).
 */
public final class TallyCodec {

    private static final int VERSION = 1;
    /** The cell mask is one varint long. */
    static final int MAX_CELLS = 63;
    static final int MAX_DIMS = 255;

    private TallyCodec() {}

    public static byte[] encode(Tally tally) {
        TallySchema schema = tally.schema();
        Writer out = new Writer(64 + 16 * (int) Math.min(1 << 20, tally.keyCount()));
        out.varint(VERSION);
        out.varint(schema.cellCount());
        for (int c = 0; c < schema.cellCount(); c++) {
            out.varint(schema.kind(c).ordinal());
        }
        out.varint(schema.dimCount());
        for (int d = 0; d < schema.dimCount(); d++) {
            out.varint(schema.keyType(d).ordinal());
        }
        long mask = 0;
        for (int c = 0; c < schema.cellCount(); c++) {
            if (tally.cell(c) != schema.kind(c).identity()) {
                mask |= 1L << c;
            }
        }
        out.varint(mask);
        for (int c = 0; c < schema.cellCount(); c++) {
            if ((mask & (1L << c)) != 0) {
                out.signed(tally.cell(c));
            }
        }
        for (int d = 0; d < schema.dimCount(); d++) {
            if (schema.keyType(d) == TallySchema.KeyType.INT) {
                writeInts(out, tally.dim(d));
            } else {
                writeStrings(out, tally.dim(d));
            }
        }
        return out.toByteArray();
    }

    public static Tally decode(byte[] encoded) {
        Reader in = new Reader(encoded);
        Tally tally = readShape(in).newTally();
        readBody(in, tally, 1);
        return tally;
    }

    /** Adds the encoded tally into {@code target}, as {@code target.merge(decode(encoded))} would; returns it. */
    public static Tally mergeInto(byte[] encoded, Tally target) {
        Reader in = new Reader(encoded);
        requireShape(readShape(in), target);
        readBody(in, target, 1);
        return target;
    }

    /**
     * Takes the encoded tally out of {@code target}, as {@code target.subtract(decode(encoded))} would (minima
     * and maxima untouched); returns it.
     */
    public static Tally subtractFrom(byte[] encoded, Tally target) {
        Reader in = new Reader(encoded);
        requireShape(readShape(in), target);
        readBody(in, target, -1);
        return target;
    }

    /** The scalar cells of the encoded tally, without reading its keys. */
    public static long[] cells(byte[] encoded) {
        Reader in = new Reader(encoded);
        TallySchema schema = readShape(in);
        long[] cells = schema.identities().clone();
        readCells(in, schema, cells);
        return cells;
    }

    private static void requireShape(TallySchema schema, Tally target) {
        if (schema != target.schema()) {
            throw new IllegalArgumentException("encoded " + schema + " does not fit a tally of " + target.schema());
        }
    }

    private static TallySchema readShape(Reader in) {
        long version = in.varint();
        if (version != VERSION) {
            throw new IllegalArgumentException("not an encoded tally (version " + version + ")");
        }
        TallySchema.Kind[] kinds = new TallySchema.Kind[in.count(MAX_CELLS)];
        for (int c = 0; c < kinds.length; c++) {
            kinds[c] = TallySchema.Kind.values()[in.count(TallySchema.Kind.values().length - 1)];
        }
        TallySchema.KeyType[] keyTypes = new TallySchema.KeyType[in.count(MAX_DIMS)];
        for (int d = 0; d < keyTypes.length; d++) {
            keyTypes[d] = TallySchema.KeyType.values()[in.count(TallySchema.KeyType.values().length - 1)];
        }
        try {
            return TallySchema.of(kinds, keyTypes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an encoded tally: " + e.getMessage(), e);
        }
    }

    private static void readCells(Reader in, TallySchema schema, long[] cells) {
        long mask = in.varint();
        if ((mask >>> schema.cellCount()) != 0) {
            throw new IllegalArgumentException("not an encoded tally: cell mask " + Long.toBinaryString(mask));
        }
        for (int c = 0; c < schema.cellCount(); c++) {
            if ((mask & (1L << c)) != 0) {
                cells[c] = in.signed();
            }
        }
    }

    /** Reads cells and keys into {@code target}: added when {@code sign} is 1, taken out when −1. */
    private static void readBody(Reader in, Tally target, int sign) {
        TallySchema schema = target.schema();
        long[] cells = schema.identities().clone();
        readCells(in, schema, cells);
        for (int c = 0; c < cells.length; c++) {
            switch (schema.kind(c)) {
                case SUM -> target.sum(c, sign * cells[c]);
                case MIN -> {
                    if (sign > 0) {
                        target.min(c, cells[c]);
                    }
                }
                case MAX -> {
                    if (sign > 0) {
                        target.max(c, cells[c]);
                    }
                }
            }
        }
        for (int d = 0; d < schema.dimCount(); d++) {
            if (schema.keyType(d) == TallySchema.KeyType.INT) {
                readInts(in, target.dim(d), sign);
            } else {
                readStrings(in, target.dim(d), sign);
            }
        }
        if (in.position != in.bytes.length) {
            throw new IllegalArgumentException("not an encoded tally: " + (in.bytes.length - in.position) + " bytes after the end");
        }
    }

    private static <K> List<Map.Entry<K, Long>> sorted(Counts<K> counts, Comparator<? super K> order) {
        List<Map.Entry<K, Long>> entries = new ArrayList<>(counts.size());
        counts.forEach((key, n) -> entries.add(Map.entry(key, n)));
        entries.sort(Map.Entry.comparingByKey(order));
        return entries;
    }

    private static void writeInts(Writer out, Counts<Integer> counts) {
        List<Map.Entry<Integer, Long>> entries = sorted(counts, Comparator.naturalOrder());
        out.varint(entries.size());
        long previous = 0;
        for (Map.Entry<Integer, Long> e : entries) {
            out.signed(e.getKey() - previous);
            out.varint(e.getValue());
            previous = e.getKey();
        }
    }

    private static void readInts(Reader in, Counts<Integer> target, int sign) {
        int n = in.count(in.bytes.length);
        long key = 0;
        for (int i = 0; i < n; i++) {
            key += in.signed();
            if (key < Integer.MIN_VALUE || key > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("not an encoded tally: int key " + key);
            }
            apply(target, Tally.box((int) key), in.varint(), sign);
        }
    }

    private static void writeStrings(Writer out, Counts<String> counts) {
        List<Map.Entry<String, Long>> entries = sorted(counts, Comparator.naturalOrder());
        out.varint(entries.size());
        byte[] previous = new byte[0];
        for (Map.Entry<String, Long> e : entries) {
            byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
            int mismatch = Arrays.mismatch(previous, key);
            int shared = mismatch < 0 ? key.length : mismatch;
            out.varint(shared);
            out.varint(key.length - shared);
            out.bytes(key, shared, key.length - shared);
            out.varint(e.getValue());
            previous = key;
        }
    }

    private static void readStrings(Reader in, Counts<String> target, int sign) {
        int n = in.count(in.bytes.length);
        byte[] key = new byte[64];
        int previousLength = 0;
        for (int i = 0; i < n; i++) {
            int shared = in.count(in.bytes.length);
            int further = in.count(in.bytes.length);
            int length = shared + further;
            if (shared > previousLength) {
                throw new IllegalArgumentException("not an encoded tally: shares more than the previous key");
            }
            if (length > key.length) {
                key = Arrays.copyOf(key, Math.max(length, key.length * 2));
            }
            System.arraycopy(in.bytes, in.skip(further), key, shared, further);
            apply(target, new String(key, 0, length, StandardCharsets.UTF_8), in.varint(), sign);
            previousLength = length;
        }
    }

    private static <K> void apply(Counts<K> target, K key, long count, int sign) {
        if (sign > 0) {
            target.add(key, count);
        } else {
            target.subtract(key, count);
        }
    }

    private static final class Writer {
        private byte[] buffer;
        private int size;

        Writer(int capacity) {
            buffer = new byte[capacity];
        }

        void varint(long value) {
            ensure(10);
            while ((value & ~0x7FL) != 0) {
                buffer[size++] = (byte) ((value & 0x7F) | 0x80);
                value >>>= 7;
            }
            buffer[size++] = (byte) value;
        }

        void signed(long value) {
            varint((value << 1) ^ (value >> 63));
        }

        void bytes(byte[] source, int from, int length) {
            ensure(length);
            System.arraycopy(source, from, buffer, size, length);
            size += length;
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(size + more, buffer.length * 2));
            }
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buffer, size);
        }
    }

    private static final class Reader {
        final byte[] bytes;
        int position;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (position >= bytes.length) {
                    throw new IllegalArgumentException("not an encoded tally: truncated");
                }
                byte b = bytes[position++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("not an encoded tally: varint longer than 10 bytes");
        }

        long signed() {
            long zigzag = varint();
            return (zigzag >>> 1) ^ -(zigzag & 1);
        }

        /** A length, a number of entries or an ordinal: a varint no larger than {@code max}. */
        int count(int max) {
            long n = varint();
            if (n < 0 || n > max) {
                throw new IllegalArgumentException("not an encoded tally: bad count " + n);
            }
            return (int) n;
        }

        /** Skips {@code length} bytes; returns where they start. */
        int skip(int length) {
            if (length > bytes.length - position) {
                throw new IllegalArgumentException("not an encoded tally: truncated");
            }
            int start = position;
            position += length;
            return start;
        }
    }
}
