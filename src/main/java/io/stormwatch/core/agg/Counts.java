package io.stormwatch.core.agg;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.ObjLongConsumer;

/**
 * A multiset: how often each key was seen. Counting does not box (a {@code long[1]} per key), which
 * keeps per-line aggregation cheap. Equality is by content.
 *
 * @param <K> key type; must have value equality
 */
public final class Counts<K> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final HashMap<K, long[]> counts;

    public Counts() {
        counts = new HashMap<>();
    }

    private Counts(HashMap<K, long[]> counts) {
        this.counts = counts;
    }

    /**
     * Adds {@code n} to {@code key}'s count. A key whose count is 0 is absent, whatever got it there, so that
     * equal counts are equal maps.
     */
    public void add(K key, long n) {
        if (n == 0) {
            return;
        }
        long[] cell = counts.get(key);
        if (cell == null) {
            counts.put(key, new long[] {n});
        } else if ((cell[0] += n) == 0) {
            counts.remove(key);
        }
    }

    public void increment(K key) {
        add(key, 1);
    }

    /**
     * Takes {@code n} away from {@code key}'s count, forgetting the key when it reaches 0, so that taking out
     * what was added leaves exactly what was there before (for sliding windows).
     *
     * @throws IllegalStateException when the key's count would go below 0: what is taken out was never added
     */
    public void subtract(K key, long n) {
        long[] cell = counts.get(key);
        long left = (cell == null ? 0 : cell[0]) - n;
        if (left < 0) {
            throw new IllegalStateException("cannot take " + n + " from " + key + ", which counts " + (cell == null ? 0 : cell[0]));
        }
        if (left == 0) {
            counts.remove(key);
        } else {
            cell[0] = left;
        }
    }

    /** {@link #subtract} of every count of {@code other}. */
    public void subtractAll(Counts<K> other) {
        other.counts.forEach((key, cell) -> subtract(key, cell[0]));
    }

    public long get(K key) {
        long[] cell = counts.get(key);
        return cell == null ? 0 : cell[0];
    }

    public int size() {
        return counts.size();
    }

    public boolean isEmpty() {
        return counts.isEmpty();
    }

    /** Forgets every key. */
    public void clear() {
        counts.clear();
    }

    public void addAll(Counts<K> other) {
        other.counts.forEach((key, cell) -> add(key, cell[0]));
    }

    public void forEach(ObjLongConsumer<K> action) {
        counts.forEach((key, cell) -> action.accept(key, cell[0]));
    }

    public Counts<K> copy() {
        HashMap<K, long[]> copy = new HashMap<>(Math.max(16, counts.size() * 4 / 3 + 1));
        counts.forEach((key, cell) -> copy.put(key, new long[] {cell[0]}));
        return new Counts<>(copy);
    }

    /** All entries, most frequent first, ties by key order: deterministic output for any insertion order. */
    public List<Map.Entry<K, Long>> sortedByCountDesc(Comparator<? super K> keyOrder) {
        List<Map.Entry<K, Long>> entries = new ArrayList<>(counts.size());
        counts.forEach((key, cell) -> entries.add(Map.entry(key, cell[0])));
        entries.sort(mostFirst(keyOrder));
        return entries;
    }

    /**
     * The {@code k} most frequent entries, most frequent first, ties by key order: {@code sortedByCountDesc}
     * cut to {@code k}, in O(n log k) — a top-10 over a million keys does not sort the million.
     */
    public List<Map.Entry<K, Long>> top(int k, Comparator<? super K> keyOrder) {
        if (k <= 0) {
            return List.of();
        }
        Comparator<Map.Entry<K, Long>> order = mostFirst(keyOrder);
        // A heap of the best k seen so far, worst on top.
        PriorityQueue<Map.Entry<K, Long>> best = new PriorityQueue<>(k + 1, order.reversed());
        counts.forEach((key, cell) -> {
            if (best.size() < k) {
                best.add(Map.entry(key, cell[0]));
            } else {
                Map.Entry<K, Long> worst = best.peek();
                long count = cell[0];
                if (count > worst.getValue() || (count == worst.getValue() && keyOrder.compare(key, worst.getKey()) < 0)) {
                    best.poll();
                    best.add(Map.entry(key, count));
                }
            }
        });
        List<Map.Entry<K, Long>> top = new ArrayList<>(best);
        top.sort(order);
        return top;
    }

    /** Every entry counted more than {@code threshold} times, most frequent first, ties by key order. */
    public List<Map.Entry<K, Long>> over(long threshold, Comparator<? super K> keyOrder) {
        List<Map.Entry<K, Long>> over = new ArrayList<>();
        counts.forEach((key, cell) -> {
            if (cell[0] > threshold) {
                over.add(Map.entry(key, cell[0]));
            }
        });
        over.sort(mostFirst(keyOrder));
        return over;
    }

    /**
     * Most frequent first, ties by key order. Written out rather than composed from {@code comparingByValue}
     * and {@code thenComparing}: a window's view sorts thousands of clients, and the composed chain was most
     * of the cost of rendering it.
     */
    private static <K> Comparator<Map.Entry<K, Long>> mostFirst(Comparator<? super K> keyOrder) {
        return (a, b) -> {
            int byCount = Long.compare(b.getValue(), a.getValue());
            return byCount != 0 ? byCount : keyOrder.compare(a.getKey(), b.getKey());
        };
    }

    /** A plain map copy, e.g. for assertions and serialization. */
    public Map<K, Long> toMap() {
        Map<K, Long> map = new LinkedHashMap<>();
        counts.forEach((key, cell) -> map.put(key, cell[0]));
        return map;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Counts<?> other) || other.counts.size() != counts.size()) {
            return false;
        }
        for (Map.Entry<K, long[]> e : counts.entrySet()) {
            long[] theirs = other.counts.get(e.getKey());
            if (theirs == null || theirs[0] != e.getValue()[0]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (Map.Entry<K, long[]> e : counts.entrySet()) {
            h += e.getKey().hashCode() ^ Long.hashCode(e.getValue()[0]);
        }
        return h;
    }

    @Override
    public String toString() {
        return toMap().toString();
    }
}
