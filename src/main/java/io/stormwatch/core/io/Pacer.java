package io.stormwatch.core.io;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Paces items at a fixed rate from a start: item {@code i} is due {@code i / rate} seconds after the start, so
 * a sender that fell behind catches up at once instead of drifting (e.g. at 100/s item 250 is due at 2.5 s).
 * Rate 0 means no pacing: every item is due now. {@code stormwatch serve} and {@code stormwatch produce} send
 * lines with it. One pacer per sender; not thread-safe.
 */
public final class Pacer {

    private final double perSecond;
    private final long startNanos;

    /** @param perSecond items per second (0: as fast as possible) */
    public Pacer(double perSecond) {
        if (perSecond < 0 || Double.isNaN(perSecond)) {
            throw new IllegalArgumentException("the rate must not be negative, got " + perSecond);
        }
        this.perSecond = perSecond;
        this.startNanos = System.nanoTime();
    }

    /** How long until item {@code index} is due, in nanoseconds; 0 or less when it is due now. */
    public long nanosUntil(long index) {
        if (perSecond == 0) {
            return 0;
        }
        return startNanos + (long) (index * 1e9 / perSecond) - System.nanoTime();
    }

    /**
     * Blocks until item {@code index} is due.
     *
     * @param stop checked after each wake-up; when it holds the wait ends with an InterruptedException
     * @throws InterruptedException when the thread is interrupted or {@code stop} holds
     */
    public void await(long index, BooleanSupplier stop) throws InterruptedException {
        for (long wait; (wait = nanosUntil(index)) > 0; ) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted() || stop.getAsBoolean()) {
                throw new InterruptedException();
            }
        }
    }
}
