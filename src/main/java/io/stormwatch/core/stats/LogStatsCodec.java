package io.stormwatch.core.stats;

import io.stormwatch.core.log.RejectReason;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A compact, canonical binary form of a {@link LogStats}: what a closed pane keeps while it waits in a
 * window, at about a ninth of the heap of the maps it encodes (≈ 14 bytes per key instead of ≈ 125).
 *
 * <p>Canonical: keys are written in sorted order, so equal stats always give equal bytes, and byte
 * equality can stand for stats equality. {@link #decodeInto} adds the encoded stats straight into an
 * existing accumulator ({@code decodeInto(encode(s), t)} leaves {@code t} equal to {@code t.merge(s)})
 * without building intermediate maps, which is how a window merges its panes.
 *
 * <p>Layout (all integers LEB128 varints; signed ones zig-zag encoded):
 * <pre>
 * version=1
 * records, rejected
 * if records &gt; 0: contentSum(signed), contentMin(signed), contentMax − contentMin(signed),
 *                  firstTime(signed), lastTime − firstTime(signed)
 * responseCodes: n, then n × (code − previous code (signed; previous starts at 0), count)
 * clients, endpoints: n, then n × (bytes shared with the previous key's UTF-8, further byte count, those
 *                     bytes, count)     — sorted keys share prefixes: "10.0.0.12" after "10.0.0.1" is 2+1 bytes
 * rejectReasons: n, then n × (name length, name as UTF-8, count)    — by name, so reordering the enum is safe
 * </pre>
 * Counts are written as unsigned 64-bit varints (any long round-trips). Decoding input that was not produced
 * by {@link #encode} fails with an {@link IllegalArgumentException} (the target may then hold part of it).
 */
public final class LogStatsCodec {

    private static final int VERSION = 1;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private LogStatsCodec() {}

    public static byte[] encode(LogStats stats) {
        Writer out = new Writer(64 + 16 * (stats.clients().size() + stats.endpoints().size()));
        out.varint(VERSION);
        out.varint(stats.records());
        out.varint(stats.rejected());
        if (stats.records() > 0) {
            out.signed(stats.contentSum());
            out.signed(stats.contentMin());
            out.signed(stats.contentMax() - stats.contentMin());
            out.signed(stats.firstTimeMillis());
            out.signed(stats.lastTimeMillis() - stats.firstTimeMillis());
        }
        List<Map.Entry<Integer, Long>> codes = sorted(stats.responseCodes(), Comparator.naturalOrder());
        out.varint(codes.size());
        long previous = 0;
        for (Map.Entry<Integer, Long> e : codes) {
            out.signed(e.getKey() - previous);
            out.varint(e.getValue());
            previous = e.getKey();
        }
        writeStrings(out, stats.clients());
        writeStrings(out, stats.endpoints());
        List<Map.Entry<RejectReason, Long>> reasons = sorted(stats.rejectReasons(), Comparator.comparing(Enum::name));
        out.varint(reasons.size());
        for (Map.Entry<RejectReason, Long> e : reasons) {
            byte[] name = e.getKey().name().getBytes(StandardCharsets.UTF_8);
            out.varint(name.length);
            out.bytes(name, 0, name.length);
            out.varint(e.getValue());
        }
        return out.toByteArray();
    }

    public static LogStats decode(byte[] encoded) {
        LogStats stats = new LogStats();
        decodeInto(encoded, stats);
        return stats;
    }

    /** Adds the stats {@code encoded} holds into {@code target}, as {@link LogStats#merge} would; returns it. */
    public static LogStats decodeInto(byte[] encoded, LogStats target) {
        decode(encoded, target, into(target.clients()), into(target.endpoints()));
        return target;
    }

    /** Decodes into {@code target}, except the clients and endpoints, which go to their sinks. */
    private static void decode(byte[] encoded, LogStats target, KeySink clients, KeySink endpoints) {
        Reader in = new Reader(encoded);
        long version = in.varint();
        if (version != VERSION) {
            throw new IllegalArgumentException("not an encoded LogStats (version " + version + ")");
        }
        long records = in.varint();
        long rejected = in.varint();
        long contentSum = 0;
        long contentMin = 0;
        long contentMax = 0;
        long first = 0;
        long last = 0;
        if (records > 0) {
            contentSum = in.signed();
            contentMin = in.signed();
            contentMax = contentMin + in.signed();
            first = in.signed();
            last = first + in.signed();
        }
        target.mergeScalars(records, rejected, contentSum, contentMin, contentMax, first, last);
        int codes = in.count();
        long code = 0;
        for (int i = 0; i < codes; i++) {
            code += in.signed();
            target.addResponseCode((int) code, in.varint());
        }
        readStrings(in, clients);
        readStrings(in, endpoints);
        int reasons = in.count();
        for (int i = 0; i < reasons; i++) {
            int length = in.count();
            String name = new String(encoded, in.skip(length), length, StandardCharsets.UTF_8);
            target.rejectReasons().add(RejectReason.valueOf(name), in.varint());
        }
        if (in.position != encoded.length) {
            throw new IllegalArgumentException("not an encoded LogStats: " + (encoded.length - in.position)
                    + " bytes after the end");
        }
    }

    private static <K> List<Map.Entry<K, Long>> sorted(Counts<K> counts, Comparator<? super K> order) {
        List<Map.Entry<K, Long>> entries = new ArrayList<>(counts.size());
        counts.forEach((key, n) -> entries.add(Map.entry(key, n)));
        entries.sort(Map.Entry.comparingByKey(order));
        return entries;
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

    /** Receives the keys of a string section; {@code key[0, length)} is valid only during the call. */
    private interface KeySink {
        void accept(byte[] key, int length, int hash, long count);
    }

    private static KeySink into(Counts<String> target) {
        return (key, length, hash, count) -> target.add(new String(key, 0, length, StandardCharsets.UTF_8), count);
    }

    /** Reads a string section. */
    private static void readStrings(Reader in, KeySink sink) {
        int n = in.count();
        byte[] key = new byte[64];
        int previousLength = 0;
        for (int i = 0; i < n; i++) {
            int shared = in.count();
            int further = in.count();
            int length = shared + further;
            if (shared > previousLength) {
                throw new IllegalArgumentException("not an encoded LogStats: shares more than the previous key");
            }
            if (length + Long.BYTES > key.length) {
                key = Arrays.copyOf(key, Math.max(length + Long.BYTES, key.length * 2));
            }
            System.arraycopy(in.bytes, in.skip(further), key, shared, further);
            sink.accept(key, length, hash(key, length), in.varint());
            previousLength = length;
        }
    }

    /**
     * A hash of {@code key[0, length)} eight bytes at a step ({@code key} must extend 8 bytes past it): merging
     * a window hashes every key of every pane, and a byte-at-a-time hash was most of that work.
     */
    private static int hash(byte[] key, int length) {
        long hash = length;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            hash = (hash ^ (long) LONGS.get(key, i)) * GOLDEN;
        }
        if (i < length) {
            long tail = (long) LONGS.get(key, i) & (-1L >>> (Long.SIZE - Byte.SIZE * (length - i)));
            hash = (hash ^ tail) * GOLDEN;
        }
        return (int) (hash ^ (hash >>> 32));
    }

    /**
     * Adds many encoded stats into one, faster than {@link #decodeInto} one after another: each client and
     * endpoint is counted under its UTF-8 bytes, and becomes a {@code String} only once, in {@link #into}.
     * This is how a window merges thousands of panes that share most keys. Not thread-safe.
     */
    public static final class Merger {
        /** All but the clients and endpoints. */
        private final LogStats rest = new LogStats();
        private final KeyTable clients = new KeyTable();
        private final KeyTable endpoints = new KeyTable();

        public Merger add(byte[] encoded) {
            decode(encoded, rest, clients, endpoints);
            return this;
        }

        /** Adds everything added so far into {@code target}; returns it. */
        public LogStats into(LogStats target) {
            target.merge(rest);
            clients.addTo(target.clients());
            endpoints.addTo(target.endpoints());
            return target;
        }
    }

    /** Counts by UTF-8 key: open addressing over one byte arena, no object per key. */
    private static final class KeyTable implements KeySink {
        private byte[] arena = new byte[4096];
        private int arenaSize;
        private int[] offsets = new int[256];
        private int[] lengths = new int[256];
        private long[] counts = new long[256];
        private int size;
        /**
         * Per slot the key's hash (high half) and its entry index + 1 (low half), 0 when free; at most half
         * full. The hash sits in the slot so that a probe rarely reads the entry.
         */
        private long[] slots = new long[512];

        @Override
        public void accept(byte[] key, int length, int hash, long count) {
            int mask = slots.length - 1;
            for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
                long occupant = slots[slot];
                if (occupant == 0) {
                    slots[slot] = slotValue(hash, insert(key, length, count));
                    if (size * 2 > slots.length) {
                        rehash();
                    }
                    return;
                }
                int entry = (int) occupant - 1;
                if ((int) (occupant >>> 32) == hash && lengths[entry] == length
                        && Arrays.equals(arena, offsets[entry], offsets[entry] + length, key, 0, length)) {
                    counts[entry] += count;
                    return;
                }
            }
        }

        private static long slotValue(int hash, int entry) {
            return (long) hash << 32 | (entry + 1);
        }

        private int insert(byte[] key, int length, long count) {
            if (size == offsets.length) {
                int capacity = size * 2;
                offsets = Arrays.copyOf(offsets, capacity);
                lengths = Arrays.copyOf(lengths, capacity);
                counts = Arrays.copyOf(counts, capacity);
            }
            if (arenaSize + length > arena.length) {
                arena = Arrays.copyOf(arena, Math.max(arenaSize + length, arena.length * 2));
            }
            System.arraycopy(key, 0, arena, arenaSize, length);
            offsets[size] = arenaSize;
            lengths[size] = length;
            counts[size] = count;
            arenaSize += length;
            return size++;
        }

        private void rehash() {
            long[] old = slots;
            slots = new long[old.length * 2];
            int mask = slots.length - 1;
            for (long occupant : old) {
                if (occupant != 0) {
                    int slot = (int) (occupant >>> 32) & mask;
                    while (slots[slot] != 0) {
                        slot = (slot + 1) & mask;
                    }
                    slots[slot] = occupant;
                }
            }
        }

        void addTo(Counts<String> target) {
            for (int entry = 0; entry < size; entry++) {
                target.add(new String(arena, offsets[entry], lengths[entry], StandardCharsets.UTF_8), counts[entry]);
            }
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
                    throw new IllegalArgumentException("not an encoded LogStats: truncated");
                }
                byte b = bytes[position++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("not an encoded LogStats: varint longer than 10 bytes");
        }

        long signed() {
            long zigzag = varint();
            return (zigzag >>> 1) ^ -(zigzag & 1);
        }

        /** A length or a number of entries: a varint that must fit what is left, as an int. */
        int count() {
            long n = varint();
            if (n < 0 || n > bytes.length) {
                throw new IllegalArgumentException("not an encoded LogStats: bad length " + n);
            }
            return (int) n;
        }

        /** Skips {@code length} bytes; returns where they start. */
        int skip(int length) {
            if (length > bytes.length - position) {
                throw new IllegalArgumentException("not an encoded LogStats: truncated");
            }
            int start = position;
            position += length;
            return start;
        }
    }
}
