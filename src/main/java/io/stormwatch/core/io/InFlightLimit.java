package io.stormwatch.core.io;

/**
 * How many lines a reliable reader may have emitted and not yet acked: twice what was acked in the last
 * {@code horizon}, never fewer than {@code floor} nor more than {@code ceiling}.
 *
 * <p>Why not a fixed bound: acks come back only once the checkpoint that covers them has committed, so at a
 * high rate many lines must be in flight just to keep the pipeline busy (a million lines a second and a 100 ms
 * checkpoint: 100 k lines), which is what {@code ceiling} allows. When a downstream bolt is the bottleneck (a
 * backfill's windows, 50 k lines/s), every line beyond what it takes meanwhile only waits in a queue — and in
 * memory, kept for replay and as parsed panes, long enough to survive young collections: with a fixed 131,072
 * a 30-day backfill held about 2.6 s of input, and its GC paused 6.4 s in all. By Little's law, lines in
 * flight = ack rate × time to ack; allowing the acks of two horizons keeps the rate as long as a line is acked
 * within two horizons (the limit then grows by that factor every horizon until the rate is downstream's), and
 * lets lines wait about that long, not longer.
 *
 * <p>Example, horizon 500 ms, floor 16,384, ceiling 131,072: until a first horizon has passed the limit is
 * 131,072; 25,000 lines acked in it make it 50,000; a horizon with 100,000 acked makes it 131,072 again. A
 * horizon in which nothing was acked (nothing to read, or a stall) leaves the limit as it was: idleness is no
 * news about the rate.
 *
 * <p>Times are the caller's clock in milliseconds, explicit so that tests choose them. Not thread-safe.
 */
public final class InFlightLimit {

    /** A horizon of 0: the limit is always {@code ceiling}, a fixed bound. */
    public static final long FIXED = 0;

    private final int floor;
    private final int ceiling;
    private final long horizonMillis;
    private long periodStartMillis;
    private boolean started;
    private long ackedInPeriod;
    private int limit;

    /**
     * @param floor         the least the limit falls to (taken as {@code ceiling} when larger)
     * @param ceiling       the most lines in flight, whatever the rate
     * @param horizonMillis how long the acks are counted for each new limit; {@link #FIXED} for none
     */
    public InFlightLimit(int floor, int ceiling, long horizonMillis) {
        if (ceiling < 1 || floor < 1 || horizonMillis < 0) {
            throw new IllegalArgumentException("floor and ceiling must be positive and the horizon not negative, got "
                    + floor + ", " + ceiling + ", " + horizonMillis);
        }
        this.floor = Math.min(floor, ceiling);
        this.ceiling = ceiling;
        this.horizonMillis = horizonMillis;
        this.limit = ceiling;
    }

    /** {@code lines} were acked at {@code nowMillis}. */
    public void acked(long lines, long nowMillis) {
        roll(nowMillis);
        ackedInPeriod += lines;
    }

    /** How many lines may be in flight at {@code nowMillis}. */
    public int lines(long nowMillis) {
        roll(nowMillis);
        return limit;
    }

    private void roll(long nowMillis) {
        if (horizonMillis == FIXED) {
            return;
        }
        if (!started) {
            started = true;
            periodStartMillis = nowMillis;
            return;
        }
        long elapsed = nowMillis - periodStartMillis;
        if (elapsed < horizonMillis) {
            return;
        }
        if (ackedInPeriod > 0) {
            // Acks per horizon, also when no call came for longer than one.
            double perHorizon = (double) ackedInPeriod * horizonMillis / elapsed;
            limit = (int) Math.max(floor, Math.min(ceiling, 2 * perHorizon));
        }
        periodStartMillis = nowMillis;
        ackedInPeriod = 0;
    }
}
