package io.stormwatch.storm.state;

import java.util.AbstractMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.storm.state.InMemoryKeyValueState;
import org.apache.storm.state.KeyValueState;

/**
 * An in-memory {@link KeyValueState} with the observable behaviour of Storm's {@link InMemoryKeyValueState},
 * whose {@link #prepareCommit}, {@link #commit(long)}, {@link #commit()} and {@link #rollback()} cost what
 * was written since the previous one of them, not what the state holds. Storm's copies the whole map at
 * every prepare and every {@code commit()}: with a million keys and a checkpoint every 100 ms that copying
 * is most of the work.
 *
 * <p>Contract, as Storm's:
 * <ul>
 *   <li>{@link #get}, {@link #put}, {@link #delete} and {@link #iterator} see the latest writes. Keys and
 *       values must not be null ({@link NullPointerException}, as Storm's {@code ConcurrentHashMap}).
 *       {@code delete} returns the value it removed, or null.</li>
 *   <li>{@code prepareCommit(txid)} takes a snapshot of the current contents for {@code txid}. While one is
 *       pending the same or a lower txid may be prepared again (a new snapshot replaces it); a higher one
 *       throws {@code RuntimeException("Cannot prepare a new txn while there is a pending txn")}.</li>
 *   <li>{@code commit(txid)} makes the snapshot prepared for {@code txid} the committed contents; with no
 *       snapshot or another txid it throws {@code RuntimeException("Invalid prepared state for commit, ...")}.
 *       Writes made after the prepare stay visible and uncommitted.</li>
 *   <li>{@code commit()} makes the current contents committed and leaves a pending snapshot pending: a later
 *       {@code commit(txid)} commits that older snapshot, as Storm's does.</li>
 *   <li>{@code rollback()} drops the pending snapshot and every uncommitted write: the contents are the last
 *       committed ones, or empty if nothing was committed. A failed call changes nothing.</li>
 *   <li>Values are kept by reference, as Storm's are: the caller must not change a value after putting it
 *       (and must not change one it got), or the change also reaches committed and prepared contents.</li>
 *   <li>The iterator is weakly consistent, like a {@code ConcurrentHashMap}'s: it never throws
 *       {@code ConcurrentModificationException}, returns each key present when it was created at most once
 *       (exactly once if it is neither deleted nor rolled back meanwhile), with its value when reached, and
 *       may or may not return keys added since. {@code remove()} deletes the key; an entry's
 *       {@code setValue} puts.</li>
 * </ul>
 *
 * <p>One difference, on purpose: after Storm's {@code rollback()} its live map <em>is</em> its committed
 * map, so writes made after a rollback survive the next rollback unless a commit came between (Storm 2.8.3).
 * Here a rollback always returns to what was committed. Exception messages do not print the contents.
 *
 * <p>How: three layers, read from the top. {@code committed} holds the committed contents; {@code prepared}
 * the changes of the pending snapshot over them; {@code changes} the writes since (a {@link #TOMBSTONE} for a
 * delete). Preparing hands the change map over (merging it in when re-preparing); committing applies the
 * prepared changes to the committed map; rolling back drops the two change maps. Memory over the committed
 * map is proportional to the pending changes. {@code commit()} with a snapshot pending keeps that snapshot
 * as changes over the new committed contents, off the read path ({@code preparedAside}).
 *
 * <p>Thread safety as Storm's: the maps are concurrent, so single reads and writes may race with each
 * other, but prepare, commit and rollback must not race with anything (Storm's executor makes every call
 * from one thread).
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class MemoryKeyValueState<K, V> implements KeyValueState<K, V> {

    /** A deleted key in a change map. */
    private static final Object TOMBSTONE = new Object();

    private final ConcurrentHashMap<K, V> committed = new ConcurrentHashMap<>();
    /** Changes of the prepared snapshot over {@code committed}; null when none is pending. */
    private volatile ConcurrentHashMap<K, Object> prepared;
    /**
     * True when the prepared snapshot is not under {@code changes}: after {@code commit()} while it was
     * pending, the current contents are {@code committed + changes} and the snapshot a branch off them.
     */
    private volatile boolean preparedAside;
    private long preparedTxid;
    /** Writes since the prepare (or the last commit when none is pending). */
    private volatile ConcurrentHashMap<K, Object> changes = new ConcurrentHashMap<>();
    private long lastCheckpointCost;

    @Override
    public void put(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        changes.put(key, value);
    }

    @Override
    public V get(K key) {
        Objects.requireNonNull(key, "key");
        Object value = changes.get(key);
        return value != null ? unmask(value) : below(key);
    }

    @Override
    public V get(K key, V defaultValue) {
        V value = get(key);
        return value != null ? value : defaultValue;
    }

    @Override
    public V delete(K key) {
        Objects.requireNonNull(key, "key");
        V previous = get(key);
        if (previous != null) {
            if (below(key) == null) {
                changes.remove(key); // only written since: forgetting the write is enough
            } else {
                changes.put(key, TOMBSTONE);
            }
        }
        return previous;
    }

    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        return new MergedIterator();
    }

    @Override
    public void prepareCommit(long txid) {
        ConcurrentHashMap<K, Object> pending = prepared;
        if (pending != null && txid > preparedTxid) {
            throw new RuntimeException("Cannot prepare a new txn while there is a pending txn");
        }
        long cost = 0;
        if (pending == null || preparedAside) {
            // The snapshot is committed + changes: the change map itself, handed over.
            prepared = changes;
        } else {
            // Re-preparing: the snapshot is committed + prepared + changes.
            for (Map.Entry<K, Object> e : changes.entrySet()) {
                pending.put(e.getKey(), e.getValue());
                cost++;
            }
        }
        preparedAside = false;
        preparedTxid = txid;
        changes = new ConcurrentHashMap<>();
        lastCheckpointCost = cost;
    }

    @Override
    public void commit(long txid) {
        ConcurrentHashMap<K, Object> pending = prepared;
        if (pending == null || txid != preparedTxid) {
            throw new RuntimeException("Invalid prepared state for commit, preparedState "
                    + (pending == null ? "null" : "txid " + preparedTxid + " (" + pending.size() + " changes)")
                    + " txid " + txid);
        }
        long cost = 0;
        if (preparedAside) {
            // The current contents, committed + changes, must not move: keep what the snapshot changes in them.
            for (K key : pending.keySet()) {
                changes.computeIfAbsent(key, k -> mask(committed.get(k)));
                cost++;
            }
        }
        cost += apply(pending);
        prepared = null;
        preparedAside = false;
        lastCheckpointCost = cost;
    }

    @Override
    public void commit() {
        ConcurrentHashMap<K, Object> pending = prepared;
        ConcurrentHashMap<K, Object> written = changes;
        long cost = 0;
        if (pending != null) {
            // Storm keeps the pending snapshot: restate it as changes over the new committed contents, which
            // differ from it only where the writes since went.
            ConcurrentHashMap<K, Object> aside = preparedAside ? pending : new ConcurrentHashMap<>();
            for (K key : written.keySet()) {
                Object snapshot = pending.get(key);
                if (snapshot == null) {
                    snapshot = mask(committed.get(key));
                }
                aside.put(key, snapshot);
                cost++;
            }
            if (!preparedAside) {
                cost += apply(pending);
            }
            prepared = aside;
            preparedAside = true;
        }
        cost += apply(written);
        changes = new ConcurrentHashMap<>();
        lastCheckpointCost = cost;
    }

    @Override
    public void rollback() {
        prepared = null;
        preparedAside = false;
        changes = new ConcurrentHashMap<>();
        lastCheckpointCost = 0;
    }

    /**
     * How many entries the last {@code prepareCommit}, {@code commit} or {@code rollback} handled one by one:
     * its cost, for tests (a prepare that hands a change map over, or a rollback, costs 0).
     */
    long lastCheckpointCost() {
        return lastCheckpointCost;
    }

    /** Pending changes in memory besides the committed map: written since the last commit, tombstones included. */
    long pendingChanges() {
        ConcurrentHashMap<K, Object> pending = prepared;
        return changes.size() + (pending == null ? 0 : pending.size());
    }

    @Override
    public String toString() {
        ConcurrentHashMap<K, Object> pending = prepared;
        return "MemoryKeyValueState{committed=" + committed.size() + " entries"
                + (pending == null ? "" : ", prepared txid " + preparedTxid + " (" + pending.size() + " changes)")
                + ", " + changes.size() + " changes since}";
    }

    /** The value under the latest writes: the prepared snapshot's, when on the read path, then the committed. */
    private V below(K key) {
        ConcurrentHashMap<K, Object> pending = prepared;
        if (pending != null && !preparedAside) {
            Object value = pending.get(key);
            if (value != null) {
                return unmask(value);
            }
        }
        return committed.get(key);
    }

    private long apply(Map<K, Object> delta) {
        long cost = 0;
        for (Map.Entry<K, Object> e : delta.entrySet()) {
            Object value = e.getValue();
            if (value == TOMBSTONE) {
                committed.remove(e.getKey());
            } else {
                committed.put(e.getKey(), unmask(value));
            }
            cost++;
        }
        return cost;
    }

    private static Object mask(Object value) {
        return value == null ? TOMBSTONE : value;
    }

    @SuppressWarnings("unchecked")
    private static <V> V unmask(Object value) {
        return value == TOMBSTONE ? null : (V) value;
    }

    /**
     * First the keys with pending changes (a copy of their set, taken at creation), then the committed keys
     * that had none; each value is looked up when reached, so it is the latest one.
     */
    private final class MergedIterator implements Iterator<Map.Entry<K, V>> {
        private final Set<K> changedKeys = new HashSet<>();
        private final Iterator<K> changed;
        private final Iterator<Map.Entry<K, V>> unchanged;
        private Map.Entry<K, V> next;
        private K last;

        MergedIterator() {
            changedKeys.addAll(changes.keySet());
            ConcurrentHashMap<K, Object> pending = prepared;
            if (pending != null && !preparedAside) {
                changedKeys.addAll(pending.keySet());
            }
            changed = changedKeys.iterator();
            unchanged = committed.entrySet().iterator();
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                K key;
                if (changed.hasNext()) {
                    key = changed.next();
                } else if (unchanged.hasNext()) {
                    key = unchanged.next().getKey();
                    if (changedKeys.contains(key)) {
                        continue;
                    }
                } else {
                    return false;
                }
                V value = get(key);
                if (value != null) {
                    next = new WriteThroughEntry(key, value);
                }
            }
            return true;
        }

        @Override
        public Map.Entry<K, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Map.Entry<K, V> entry = next;
            next = null;
            last = entry.getKey();
            return entry;
        }

        @Override
        public void remove() {
            if (last == null) {
                throw new IllegalStateException("next() not called, or remove() called already");
            }
            delete(last);
            last = null;
        }
    }

    /** An entry whose {@code setValue} puts into the state, as a {@code ConcurrentHashMap}'s does. */
    private final class WriteThroughEntry extends AbstractMap.SimpleEntry<K, V> {
        WriteThroughEntry(K key, V value) {
            super(key, value);
        }

        @Override
        public V setValue(V value) {
            put(getKey(), value);
            return super.setValue(value);
        }
    }
}
