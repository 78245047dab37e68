package io.stormwatch.compare;

import java.util.Arrays;

/**
 * Per-line latency of a run, from the two stamps taken on the compare process's clock: when line {@code i}
 * (from 0) was sent ({@link PacedFeed}) and when the first progress count {@code ≥ i + 1} arrived
 * ({@link ProgressReceiver}): "line written → its effect visible in the running count". Counts are of lines, so
 * the match assumes lines are counted in the order sent — exact for engines that count a prefix (Spark's
 * micro-batches, one socket spout); with several parse tasks a count may hold a later line before an earlier
 * one, which can only make a latency look shorter by the spread of that reordering (microseconds here).
 */
final class Latency {

    private Latency() {}

    /**
     * Latencies in ns of lines {@code [from, to)}; a line never seen gets {@code -1}.
     *
     * @param writeNanos when each line was sent
     * @param arrivals   counts as they arrived, both arrays increasing
     */
    static long[] perLine(long[] writeNanos, ProgressReceiver.Arrivals arrivals, int from, int to) {
        long[] latencies = new long[to - from];
        long[] counts = arrivals.counts();
        long[] nanos = arrivals.nanos();
        int k = 0;
        for (int i = from; i < to; i++) {
            while (k < counts.length && counts[k] < i + 1L) {
                k++;
            }
            latencies[i - from] = k < counts.length ? Math.max(0, nanos[k] - writeNanos[i]) : -1;
        }
        return latencies;
    }

    /** Nearest-rank percentile ({@code p} in (0, 100]) of sorted values; NaN for none. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length / 100 - 1e-9); // 99.9 / 100 × 10,000 is 9,990.000000000002
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    /** The seen latencies (≥ 0), sorted. */
    static long[] seenSorted(long[] latencies) {
        return Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
    }

    /** Lines never seen. */
    static long unseen(long[] latencies) {
        return Arrays.stream(latencies).filter(l -> l < 0).count();
    }

    /**
     * Whether latency stayed bounded over the run: every line seen, and the p99 of the last quarter of the lines
     * at most 1.5 × that of the first quarter plus 100 ms (a backlog that grows makes later lines wait longer).
     */
    static boolean bounded(long[] latencies) {
        if (latencies.length < 8 || unseen(latencies) > 0) {
            return false;
        }
        int quarter = latencies.length / 4;
        double first = percentile(seenSorted(Arrays.copyOfRange(latencies, 0, quarter)), 99);
        double last = percentile(seenSorted(Arrays.copyOfRange(latencies, latencies.length - quarter, latencies.length)), 99);
        return last <= 1.5 * first + 100_000_000L;
    }
}
