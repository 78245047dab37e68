package io.stormwatch.storm.state;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.storm.state.KeyValueState;

/**
 * A {@link KeyValueState} kept in Redis that waits out an outage instead of failing: an operation that cannot
 * reach Redis is retried, 100 ms doubling up to 5 s apart, until Redis answers. The outage is logged once when
 * it starts (ERROR, one line, no stack trace), reminded every {@value #REMINDER_SECONDS} s, and once when it
 * ends, with its length. Meanwhile the bolt's thread waits, so the topology stops taking new input
 * (backpressure); blocks whose acks wait longer than the message timeout are replayed, which the totals
 * count once. Other errors (a refused password, a full Redis) are not retried.
 *
 * <p>Why a wrapper must restage: storm-redis's {@code RedisKeyValueState.prepareCommit} (2.8.3) moves its
 * pending puts aside before it writes them, so when the write fails they are gone from it. This wrapper keeps
 * the puts and deletes since the last successful {@code prepareCommit} (or {@code commit()}) and hands them to
 * the state again before each retry. {@link #iterator()} reads the whole state into memory (retrying from the
 * start if Redis goes away mid-way): it is only used to load the totals. Used from one thread, the bolt's.
 */
final class OutageTolerantState<K, V> implements KeyValueState<K, V> {

    private static final Object DELETED = new Object();

    private final KeyValueState<K, V> state;
    private final RedisRetry retry;
    /** Puts (their values) and deletes ({@link #DELETED}) not yet in a successful prepare, in order. */
    private final Map<K, Object> staged = new LinkedHashMap<>();

    /** @param name what the log lines call it: the namespace and the endpoint, password masked */
    OutageTolerantState(KeyValueState<K, V> state, String name) {
        this.state = state;
        this.retry = new RedisRetry(OutageTolerantState.class, "Redis state " + name);
    }

    @Override
    public void put(K key, V value) {
        state.put(key, value);
        staged.put(key, value);
    }

    @Override
    public V delete(K key) {
        V previous = retrying(() -> state.delete(key), () -> {});
        staged.put(key, DELETED);
        return previous;
    }

    @Override
    public V get(K key) {
        return retrying(() -> state.get(key), () -> {});
    }

    @Override
    public V get(K key, V defaultValue) {
        return retrying(() -> state.get(key, defaultValue), () -> {});
    }

    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        return retrying(() -> {
            List<Map.Entry<K, V>> entries = new ArrayList<>();
            state.iterator().forEachRemaining(e -> entries.add(Map.entry(e.getKey(), e.getValue())));
            return entries;
        }, () -> {}).iterator();
    }

    @Override
    public void prepareCommit(long txid) {
        retrying(() -> {
            state.prepareCommit(txid);
            return null;
        }, this::restage);
        staged.clear();
    }

    @Override
    public void commit(long txid) {
        retrying(() -> {
            state.commit(txid);
            return null;
        }, () -> {});
    }

    @Override
    public void commit() {
        retrying(() -> {
            state.commit();
            return null;
        }, this::restage);
        staged.clear();
    }

    @Override
    public void rollback() {
        retrying(() -> {
            state.rollback();
            return null;
        }, () -> {});
        staged.clear();
    }

    @SuppressWarnings("unchecked")
    private void restage() {
        staged.forEach((key, value) -> {
            if (value == DELETED) {
                state.delete(key);
            } else {
                state.put(key, (V) value);
            }
        });
    }

    private <T> T retrying(Supplier<T> operation, Runnable beforeRetry) {
        return retry.call(operation, beforeRetry);
    }
}
