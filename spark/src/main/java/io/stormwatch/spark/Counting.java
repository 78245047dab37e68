package io.stormwatch.spark;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallyCodec;
import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.job.BlockCounter;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.core.window.PanePartial;
import io.stormwatch.core.window.WindowSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts the lines of one Spark partition with stormwatch's own {@link BlockCounter} (the code the parse bolt
 * and {@code batch} count with), so every line is extracted, rejected or counted exactly as there, and hands
 * the result to Spark as encoded tallies ({@link TallyCodec}) that Spark merges: Spark never re-derives a
 * statistic.
 *
 * <ul>
 *   <li>{@link #total}: one tally of the whole partition — what DStream jobs merge per batch, per window and
 *       into their running state;</li>
 *   <li>{@link #byEventTime}: one tally per distinct event time (in ms) of the partition, plus one without a
 *       time (rejected lines, records without event time) — what Structured Streaming groups into its own
 *       event-time windows. Counting uses panes of 1 ms with the largest lag there is, so nothing is judged
 *       late here: lateness is left to Spark's watermark, whose rules are Spark's.</li>
 * </ul>
 *
 * <p>Lines arrive as text, or as raw bytes that are decoded here by {@link LineReader#decode} so that invalid
 * UTF-8 is rejected as {@code invalid-utf8} exactly as stormwatch's readers do (Spark's own decoding would
 * turn it into U+FFFD and count the line).
 */
public final class Counting {

    /** Lines per {@link BlockCounter} block, as {@code batch} reads them. */
    static final int BLOCK_LINES = 1024;
    /** Panes of one millisecond: a pane end is the event time itself. */
    private static final WindowSpec EXACT_TIMES = new WindowSpec(1, 1, Integer.MAX_VALUE);

    /** An encoded tally of lines with one event time; {@code timeMillis} is {@code null} for lines without one. */
    public record Timed(Long timeMillis, byte[] tally) {}

    private Counting() {}

    /** The encoded tally of {@code lines}: one per partition. */
    public static byte[] total(Job<?> job, int maxLineLength, Iterator<String> lines) {
        Tally total = job.aggregate().createAccumulator();
        each(job, maxLineLength, lines, panes -> {
            for (Tally tally : panes.tallies()) {
                total.merge(tally);
            }
        });
        return TallyCodec.encode(total);
    }

    /** The encoded tallies of {@code lines} by exact event time, and the one of lines without a time. */
    public static List<Timed> byEventTime(Job<?> job, int maxLineLength, Iterator<String> lines) {
        Map<Long, Tally> byTime = new TreeMap<>();
        Tally untimed = job.aggregate().createAccumulator();
        each(job, maxLineLength, lines, panes -> {
            for (PanePartial pane : panes.panes()) {
                byTime.merge(pane.paneEnd(), pane.tally(), Tally::merge);
            }
            untimed.merge(panes.rest()); // nothing is late with this lag: rest is rejected and untimed lines
        });
        List<Timed> timed = new ArrayList<>(byTime.size() + 1);
        byTime.forEach((time, tally) -> timed.add(new Timed(time, TallyCodec.encode(tally))));
        if (!untimed.isEmpty()) {
            timed.add(new Timed(null, TallyCodec.encode(untimed)));
        }
        return timed;
    }

    /** Raw line bytes (Spark's text or Kafka source, cast to binary) as stormwatch's readers decode them. */
    public static Iterator<String> decoded(Iterator<byte[]> lines) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return lines.hasNext();
            }

            @Override
            public String next() {
                byte[] line = lines.next();
                return line == null ? "" : LineReader.decode(line, 0, line.length);
            }
        };
    }

    /** Merges encoded tallies; {@code null} is the empty tally. */
    public static byte[] merge(byte[] a, byte[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return TallyCodec.encode(TallyCodec.mergeInto(b, TallyCodec.decode(a)));
    }

    /** Takes the encoded tally {@code b} out of {@code a} (sums and keyed counts only: see {@link Tally#subtract}). */
    public static byte[] subtract(byte[] a, byte[] b) {
        if (b == null) {
            return a;
        }
        return TallyCodec.encode(TallyCodec.subtractFrom(b, TallyCodec.decode(a)));
    }

    private interface BlockSink {
        void accept(BlockPanes panes);
    }

    private static void each(Job<?> job, int maxLineLength, Iterator<String> lines, BlockSink sink) {
        BlockCounter<?> counter = new BlockCounter<>(job, EXACT_TIMES, maxLineLength);
        String[] block = new String[BLOCK_LINES];
        long[] offsets = new long[BLOCK_LINES];
        long offset = 0;
        long seq = 0;
        int n = 0;
        while (lines.hasNext()) {
            block[n] = lines.next();
            // Offsets only name lines in dead letters and late reports, which this engine does not write.
            offsets[n] = offset++;
            if (++n == BLOCK_LINES) {
                sink.accept(counter.count(0, BlockPosition.whole(0, seq++), "spark", block, offsets, offset).panes());
                n = 0;
            }
        }
        if (n > 0) {
            sink.accept(counter.count(0, BlockPosition.whole(0, seq), "spark", Arrays.copyOf(block, n),
                    Arrays.copyOf(offsets, n), offset).panes());
        }
    }
}
