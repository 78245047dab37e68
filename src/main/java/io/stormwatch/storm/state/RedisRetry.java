package io.stormwatch.storm.state;

import io.stormwatch.core.io.Backoff;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Waits out an outage of one Redis: {@link #call} retries an operation that cannot reach Redis (a
 * {@link JedisConnectionException} anywhere in the cause chain: refused, reset, timed out), 100 ms doubling up
 * to 5 s apart, until it answers; any other failure is thrown at once. The outage is logged once when it
 * starts (ERROR, one line, no stack trace), reminded every {@value #REMINDER_SECONDS} s, and once when it ends,
 * with its length. The calling thread waits meanwhile, which holds back the bolt and, through Storm's
 * backpressure, the input. One instance per user (a state, a sink), used from one thread.
 */
public final class RedisRetry {

    static final int REMINDER_SECONDS = 30;

    private final Logger log;
    private final String name;
    private final Backoff backoff = new Backoff(100, 5_000);
    private long downSinceNanos;
    private long remindedNanos;
    private long retries;

    /**
     * @param name what the log lines call it, e.g. {@code Redis state 'totals-7' at redis://host:6379/0}
     *             (password masked)
     */
    public RedisRetry(Class<?> user, String name) {
        this.log = LoggerFactory.getLogger(user);
        this.name = name;
    }

    /**
     * Runs {@code operation} until it reaches Redis; {@code beforeRetry} runs before each retry (it must be
     * idempotent: when it cannot reach Redis either, it runs again before the next attempt).
     */
    public <T> T call(Supplier<T> operation, Runnable beforeRetry) {
        boolean again = false;
        while (true) {
            try {
                if (again) {
                    // Inside the try: getting ready for the retry may need Redis too (restaging a delete reads the
                    // key first), and Redis may still be away — that is one more failed attempt, not an exception
                    // that halts the worker.
                    beforeRetry.run();
                }
                T result = operation.get();
                if (downSinceNanos != 0) {
                    log.warn("{} is reachable again after {} s ({} retries); going on, nothing lost", name,
                            seconds(System.nanoTime() - downSinceNanos), retries);
                    downSinceNanos = 0;
                    retries = 0;
                    backoff.reset();
                }
                return result;
            } catch (RuntimeException e) {
                JedisConnectionException unreachable = connectionFailure(e);
                if (unreachable == null) {
                    throw e;
                }
                noteOutage(unreachable);
            }
            try {
                Thread.sleep(backoff.nextDelayMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + name, e);
            }
            retries++;
            again = true;
        }
    }

    private void noteOutage(JedisConnectionException e) {
        long now = System.nanoTime();
        if (downSinceNanos == 0) {
            downSinceNanos = now;
            remindedNanos = now;
            log.error("{} is unreachable ({}); waiting for it, retrying up to every 5 s (input is held back"
                    + " meanwhile, nothing is lost)", name, e.getMessage());
        } else if (now - remindedNanos >= REMINDER_SECONDS * 1_000_000_000L) {
            remindedNanos = now;
            log.warn("{} still unreachable after {} s ({})", name, seconds(now - downSinceNanos), e.getMessage());
        }
    }

    private static JedisConnectionException connectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JedisConnectionException c) {
                return c;
            }
        }
        return null;
    }

    private static long seconds(long nanos) {
        return Math.round(nanos / 1e9);
    }
}
