package io.stormwatch.core.agg;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.ObjLongConsumer;

/**
 * A multiset: how often each key was seen. Equality is by content; a key whose count is 0 is absent.
 *
 * <p>Kept as an open-addressing table (linear probing) of keys and a parallel {@code long[]} of counts, not a
 * {@code HashMap}: a key costs no objects of its own, so that the totals of a million endpoints and the tens of
 * thousands of small tallies of a backfill's panes cost the garbage collector little, and counting neither boxes
 * nor chases pointers. An empty instance holds no table until its first key.
 *
 * @param <K> key type; must have value equality and not be null
 */
public final class Counts<K> implements Serializable {

    private static final long serialVersionUID = 2L;
    private static final Object[] NO_KEYS = {};
    private static final long[] NO_COUNTS = {};
    private static final int FIRST_CAPACITY = 8;

    /** Slots: a key, or null for a free slot. The length is 0 or a power of two, at most half full. */
    private Object[] keys = NO_KEYS;
    private long[] counts = NO_COUNTS;
    private int size;

    public Counts() {}

    /**
     * Adds {@code n} to {@code key}'s count. A key whose count is 0 is absent, whatever got it there, so that
     * equal counts are equal tables.
     */
    public void add(K key, long n) {
        if (n == 0) {
            return;
        }
        int slot = find(key);
        if (slot >= 0) {
            if ((counts[slot] += n) == 0) {
                removeAt(slot);
            }
        } else {
            insertAt(-slot - 1, key, n);
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
        int slot = find(key);
        long had = slot >= 0 ? counts[slot] : 0;
        long left = had - n;
        if (left < 0) {
            throw new IllegalStateException("cannot take " + n + " from " + key + ", which counts " + had);
        }
        if (slot < 0) {
            return; // took 0 from an absent key
        }
        if (left == 0) {
            removeAt(slot);
        } else {
            counts[slot] = left;
        }
    }

    /** {@link #subtract} of every count of {@code other}. */
    @SuppressWarnings("unchecked")
    public void subtractAll(Counts<K> other) {
        Object[] theirKeys = other.keys;
        long[] theirCounts = other.counts;
        for (int i = 0; i < theirKeys.length; i++) {
            if (theirKeys[i] != null) {
                subtract((K) theirKeys[i], theirCounts[i]);
            }
        }
    }

    public long get(K key) {
        int slot = find(key);
        return slot >= 0 ? counts[slot] : 0;
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Forgets every key. */
    public void clear() {
        keys = NO_KEYS;
        counts = NO_COUNTS;
        size = 0;
    }

    @SuppressWarnings("unchecked")
    public void addAll(Counts<K> other) {
        Object[] theirKeys = other.keys;
        long[] theirCounts = other.counts;
        for (int i = 0; i < theirKeys.length; i++) {
            if (theirKeys[i] != null) {
                add((K) theirKeys[i], theirCounts[i]);
            }
        }
    }

    /** Every key with its count, in no particular order; {@code action} must not change this. */
    @SuppressWarnings("unchecked")
    public void forEach(ObjLongConsumer<K> action) {
        Object[] ks = keys;
        long[] cs = counts;
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] != null) {
                action.accept((K) ks[i], cs[i]);
            }
        }
    }

    public Counts<K> copy() {
        Counts<K> copy = new Counts<>();
        copy.keys = keys.clone();
        copy.counts = counts.clone();
        copy.size = size;
        return copy;
    }

    /** All entries, most frequent first, ties by key order: deterministic output for any insertion order. */
    public List<Map.Entry<K, Long>> sortedByCountDesc(Comparator<? super K> keyOrder) {
        List<Map.Entry<K, Long>> entries = new ArrayList<>(size);
        forEach((key, n) -> entries.add(Map.entry(key, n)));
        entries.sort(mostFirst(keyOrder));
        return entries;
    }

    /**
     * The {@code k} most frequent entries, most frequent first, ties by key order: {@code sortedByCountDesc}
     * cut to {@code k}, in O(n log k) — a top-10 over a million keys does not sort the million.
     */
    @SuppressWarnings("unchecked")
    public List<Map.Entry<K, Long>> top(int k, Comparator<? super K> keyOrder) {
        if (k <= 0) {
            return List.of();
        }
        Comparator<Map.Entry<K, Long>> order = mostFirst(keyOrder);
        // A heap of the best k seen so far, worst on top.
        PriorityQueue<Map.Entry<K, Long>> best = new PriorityQueue<>(k + 1, order.reversed());
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) {
                continue;
            }
            K key = (K) keys[i];
            long count = counts[i];
            if (best.size() < k) {
                best.add(Map.entry(key, count));
            } else {
                Map.Entry<K, Long> worst = best.peek();
                if (count > worst.getValue() || (count == worst.getValue() && keyOrder.compare(key, worst.getKey()) < 0)) {
                    best.poll();
                    best.add(Map.entry(key, count));
                }
            }
        }
        List<Map.Entry<K, Long>> top = new ArrayList<>(best);
        top.sort(order);
        return top;
    }

    /** Every entry counted more than {@code threshold} times, most frequent first, ties by key order. */
    public List<Map.Entry<K, Long>> over(long threshold, Comparator<? super K> keyOrder) {
        List<Map.Entry<K, Long>> over = new ArrayList<>();
        forEach((key, n) -> {
            if (n > threshold) {
                over.add(Map.entry(key, n));
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
        forEach(map::put);
        return map;
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Counts<?> other) || other.size != size) {
            return false;
        }
        Counts<Object> theirs = (Counts<Object>) other;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null && theirs.get(keys[i]) != counts[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                h += keys[i].hashCode() ^ Long.hashCode(counts[i]);
            }
        }
        return h;
    }

    @Override
    public String toString() {
        return toMap().toString();
    }

    /** The slot holding {@code key}, or {@code -(free slot) - 1} where it would go. */
    private int find(Object key) {
        Objects.requireNonNull(key, "key");
        Object[] ks = keys;
        if (ks.length == 0) {
            return -1; // insertAt grows the table first
        }
        int mask = ks.length - 1;
        for (int slot = home(key, mask); ; slot = (slot + 1) & mask) {
            Object there = ks[slot];
            if (there == null) {
                return -slot - 1;
            }
            if (there == key || there.equals(key)) {
                return slot;
            }
        }
    }

    private void insertAt(int slot, Object key, long n) {
        if (2 * (size + 1) > keys.length) {
            grow();
            slot = -find(key) - 1;
        }
        keys[slot] = key;
        counts[slot] = n;
        size++;
    }

    private void grow() {
        Object[] oldKeys = keys;
        long[] oldCounts = counts;
        int capacity = oldKeys.length == 0 ? FIRST_CAPACITY : oldKeys.length * 2;
        keys = new Object[capacity];
        counts = new long[capacity];
        int mask = capacity - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            Object key = oldKeys[i];
            if (key != null) {
                int slot = home(key, mask);
                while (keys[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = key;
                counts[slot] = oldCounts[i];
            }
        }
    }

    /**
     * Empties {@code slot} and moves later keys of its probe run back into the gap (backward-shift deletion),
     * so that no tombstones pile up in tables that keys keep entering and leaving (a sliding window's).
     */
    private void removeAt(int slot) {
        Object[] ks = keys;
        int mask = ks.length - 1;
        int gap = slot;
        for (int next = (gap + 1) & mask; ks[next] != null; next = (next + 1) & mask) {
            int home = home(ks[next], mask);
            // The key at next may fill the gap unless its home lies cyclically in (gap, next].
            boolean homeAfterGap = gap <= next ? gap < home && home <= next : gap < home || home <= next;
            if (!homeAfterGap) {
                ks[gap] = ks[next];
                counts[gap] = counts[next];
                gap = next;
            }
        }
        ks[gap] = null;
        counts[gap] = 0;
        size--;
    }

    private static int home(Object key, int mask) {
        int h = key.hashCode() * 0x9E3779B9; // spreads the low bits of String and Integer hashes
        return (h ^ (h >>> 16)) & mask;
    }
}
