package io.stormwatch.core.io;

/**
 * Exponential backoff between retries: {@code initialMillis}, doubling up to {@code maxMillis}, back to the
 * start on {@link #reset()} (after a success). Example with 100 and 5000: 100, 200, 400, …, 3200, 5000,
 * 5000, …
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private long nextMillis;

    public Backoff(long initialMillis, long maxMillis) {
        if (initialMillis <= 0 || maxMillis < initialMillis) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initialMillis + ", " + maxMillis);
        }
        this.initialMillis = initialMillis;
        this.maxMillis = maxMillis;
        this.nextMillis = initialMillis;
    }

    /** The delay before the next retry; each call doubles the following one, up to the maximum. */
    public long nextDelayMillis() {
        long delay = nextMillis;
        nextMillis = Math.min(maxMillis, nextMillis * 2);
        return delay;
    }

    public void reset() {
        nextMillis = initialMillis;
    }
}
