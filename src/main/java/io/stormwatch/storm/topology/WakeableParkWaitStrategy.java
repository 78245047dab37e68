package io.stormwatch.storm.topology;

import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.storm.Config;
import org.apache.storm.policy.IWaitStrategy;
import org.apache.storm.utils.ObjectReader;

/**
 * How an idle executor waits: parked, like Storm's {@code WaitStrategyPark}, for
 * {@code topology.bolt.wait.park.microsec} / {@code topology.spout.wait.park.microsec} at a time — or, on an
 * executor whose inputs wake it ({@link ExecutorWakeups}: stormwatch's bolts, a spout whose source has a reading
 * thread), up to {@value #WOKEN_PARK_MICROSEC_KEY} (default {@value #DEFAULT_WOKEN_PARK_MICROS} µs).
 *
 * <p>Why: Storm's executors poll their queues. A short park costs CPU while idle — at 100 µs, eight idle
 * executors took about half a core of a 2-core machine at 1,000 lines/s — and a long one delays every tuple
 * by up to the park. An executor that is woken when a tuple or a line is there for it can park long at no
 * cost in latency; the long park then bounds only what nothing wakes: Storm's acks and checkpoint tuples,
 * tick tuples, and tuples from another worker.
 *
 * <p>For the back-pressure wait, where the executor waits for room downstream, it parks
 * {@code topology.backpressure.wait.park.microsec} like Storm's.
 */
public final class WakeableParkWaitStrategy implements IWaitStrategy {

    /** The longest park of an executor whose inputs wake it, in µs. */
    public static final String WOKEN_PARK_MICROSEC_KEY = "stormwatch.wait.woken.park.microsec";
    static final long DEFAULT_WOKEN_PARK_MICROS = 1_000;

    private long parkNanos;
    private long wokenParkNanos;

    public WakeableParkWaitStrategy() { // Storm instantiates it by reflection, then calls prepare
    }

    @Override
    public void prepare(Map<String, Object> conf, WaitSituation situation) {
        String key = switch (situation) {
            case SPOUT_WAIT -> Config.TOPOLOGY_SPOUT_WAIT_PARK_MICROSEC;
            case BOLT_WAIT -> Config.TOPOLOGY_BOLT_WAIT_PARK_MICROSEC;
            case BACK_PRESSURE_WAIT -> Config.TOPOLOGY_BACKPRESSURE_WAIT_PARK_MICROSEC;
        };
        parkNanos = 1_000 * ObjectReader.getLong(conf.get(key), 100L);
        wokenParkNanos = situation == WaitSituation.BACK_PRESSURE_WAIT ? parkNanos
                : 1_000 * Math.max(parkNanos / 1_000,
                        ObjectReader.getLong(conf.get(WOKEN_PARK_MICROSEC_KEY), DEFAULT_WOKEN_PARK_MICROS));
    }

    @Override
    public int idle(int idleCounter) {
        long nanos = parkNanosOfCurrentThread();
        if (nanos > 0) {
            LockSupport.parkNanos(nanos);
        }
        return idleCounter + 1;
    }

    /** How long {@link #idle} parks on the calling thread. */
    long parkNanosOfCurrentThread() {
        return ExecutorWakeups.currentThreadIsWakeable() ? wokenParkNanos : parkNanos;
    }
}
