package io.stormwatch.core.stats;

import io.stormwatch.core.log.RejectReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A compact, canonical binary form of a {@link LogStats}: what a closed pane keeps while it waits in a
 * window, at about a tenth of the heap of the maps it encodes (≈ 12 bytes per IPv4 client instead of ≈ 125).
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
        readStrings(in, target.clients());
        readStrings(in, target.endpoints());
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
        return target;
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

    private static void readStrings(Reader in, Counts<String> target) {
        int n = in.count();
        byte[] key = new byte[64];
        for (int i = 0; i < n; i++) {
            int shared = in.count();
            int further = in.count();
            int length = shared + further;
            if (length > key.length) {
                key = Arrays.copyOf(key, Math.max(length, key.length * 2));
            }
            System.arraycopy(in.bytes, in.skip(further), key, shared, further);
            target.add(new String(key, 0, length, StandardCharsets.UTF_8), in.varint());
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
