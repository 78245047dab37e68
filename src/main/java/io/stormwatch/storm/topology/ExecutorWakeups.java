package io.stormwatch.storm.topology;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import org.apache.storm.spout.ISpoutOutputCollector;
import org.apache.storm.spout.SpoutOutputCollector;
import org.apache.storm.task.IOutputCollector;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.tuple.Tuple;

/**
 * Wakes the executor that is to run a tuple as soon as the tuple is in its queue, so that an idle executor can
 * park long and still take a tuple within microseconds.
 *
 * <p>Storm's executors poll their queues: one with nothing to do parks for {@code topology.bolt.wait.park.microsec}
 * (with {@code WaitStrategyPark}) and looks again, and nothing wakes it sooner. Parked 100 µs at a time, the
 * eight or so executors of an idle topology took 0.7–0.9 of a core on a 2-core machine, which the busy ones then
 * lacked; parked 1 ms at a time, each hop of a tuple would wait up to 1 ms. With this class the components of a
 * stormwatch topology do both: they park long ({@link TopologyConfigs}) and every emit of theirs unparks the
 * executor threads of the tasks it went to, once the tuple is in their queues (Storm's emit returns after the
 * tuple is published when {@code topology.producer.batch.size} is 1, its default).
 *
 * <p>Contract:
 * <ul>
 *   <li>{@link #waking(OutputCollector, TopologyContext)} and {@link #waking(SpoutOutputCollector,
 *       TopologyContext)} are called in {@code prepare}/{@code open}, which Storm runs on the task's executor
 *       thread: they register that thread as the task's and return a collector that wakes the target tasks'
 *       threads after each emit.</li>
 *   <li>A wake-up is a hint: an unpark of a thread that is not parked makes its next park return at once, which
 *       costs one more look at an empty queue. So a wake-up is never lost, and a spurious one is harmless.</li>
 *   <li>What is not sent through such a collector — Storm's own components (acker, checkpoint spout), tuples
 *       that arrive from another worker — is taken when the executor's park ends, as before: the park time
 *       bounds it.</li>
 * </ul>
 *
 * <p>The threads are held per topology id in a static registry, since Storm gives the executors of a worker no
 * shared object of their own; the workers of one topology in one JVM (LocalCluster) have disjoint task ids. A
 * topology's entry is dropped once all its registered threads have ended.
 */
public final class ExecutorWakeups {

    private static final ConcurrentMap<String, ExecutorWakeups> BY_TOPOLOGY = new ConcurrentHashMap<>();
    private static final ThreadLocal<Boolean> WAKEABLE = ThreadLocal.withInitial(() -> Boolean.FALSE);

    private final AtomicReferenceArray<Thread> threadByTask;

    private ExecutorWakeups(int tasks) {
        this.threadByTask = new AtomicReferenceArray<>(tasks);
    }

    /**
     * The bolt's collector, waking the tasks each emit goes to. Registers the calling (executor) thread as the
     * task's, to be woken by the emits of other stormwatch components, and as one that parks long
     * ({@link WakeableParkWaitStrategy}).
     */
    public static OutputCollector waking(OutputCollector collector, TopologyContext context) {
        ExecutorWakeups wakeups = of(context);
        wakeups.threadByTask.set(context.getThisTaskId(), Thread.currentThread());
        WAKEABLE.set(Boolean.TRUE);
        return new OutputCollector(new WakingBoltCollector(collector, wakeups));
    }

    /** The spout's collector, waking the tasks each emit goes to. */
    public static SpoutOutputCollector waking(SpoutOutputCollector collector, TopologyContext context) {
        return new SpoutOutputCollector(new WakingSpoutCollector(collector, of(context)));
    }

    /**
     * A waker of the calling executor thread, for another thread that hands it input — e.g. a spout's reader
     * thread that has queued lines for {@code nextTuple}. Marks the calling thread as one that parks long
     * ({@link WakeableParkWaitStrategy}): call it only where every input of the executor comes with a wake-up.
     */
    public static Runnable wakerOfCurrentThread() {
        Thread executor = Thread.currentThread();
        WAKEABLE.set(Boolean.TRUE);
        return () -> LockSupport.unpark(executor);
    }

    /** Whether executor threads of the topology {@code stormId} are held. */
    static boolean holdsTopology(String stormId) {
        return BY_TOPOLOGY.containsKey(stormId);
    }

    /** Whether the calling thread is an executor whose inputs wake it. */
    static boolean currentThreadIsWakeable() {
        return WAKEABLE.get();
    }

    private static ExecutorWakeups of(TopologyContext context) {
        // A JVM that outlives its topologies (LocalCluster in tests, a long `local` session) forgets the
        // executor threads of those whose executors have all ended, so that they do not accumulate.
        BY_TOPOLOGY.entrySet().removeIf(entry -> !entry.getKey().equals(context.getStormId()) && entry.getValue().ended());
        // Task ids of a topology run from 1 to its number of tasks (system tasks' are negative: never woken).
        int tasks = context.getTaskToComponent().keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
        return BY_TOPOLOGY.compute(context.getStormId(), (id, known) -> {
            if (known != null && known.threadByTask.length() >= tasks) {
                return known;
            }
            ExecutorWakeups grown = new ExecutorWakeups(tasks);
            for (int task = 0; known != null && task < known.threadByTask.length(); task++) {
                grown.threadByTask.set(task, known.threadByTask.get(task));
            }
            return grown;
        });
    }

    /** Whether threads were registered and all of them have ended. */
    private boolean ended() {
        boolean any = false;
        for (int task = 0; task < threadByTask.length(); task++) {
            Thread thread = threadByTask.get(task);
            if (thread != null) {
                if (thread.isAlive()) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    private void wake(List<Integer> tasks) {
        if (tasks == null) { // a collector in a test may not say where a tuple went
            return;
        }
        for (int i = 0; i < tasks.size(); i++) {
            wake(tasks.get(i));
        }
    }

    private void wake(int task) {
        if (task >= 0 && task < threadByTask.length()) {
            Thread thread = threadByTask.get(task);
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }
    }

    /** Storm's collector, waking the targets after each emit. */
    private static final class WakingBoltCollector implements IOutputCollector {
        private final OutputCollector delegate;
        private final ExecutorWakeups wakeups;

        WakingBoltCollector(OutputCollector delegate, ExecutorWakeups wakeups) {
            this.delegate = delegate;
            this.wakeups = wakeups;
        }

        @Override
        public List<Integer> emit(String streamId, Collection<Tuple> anchors, List<Object> tuple) {
            List<Integer> tasks = delegate.emit(streamId, anchors, tuple);
            wakeups.wake(tasks);
            return tasks;
        }

        @Override
        public void emitDirect(int taskId, String streamId, Collection<Tuple> anchors, List<Object> tuple) {
            delegate.emitDirect(taskId, streamId, anchors, tuple);
            wakeups.wake(taskId);
        }

        @Override
        public void ack(Tuple input) {
            delegate.ack(input);
        }

        @Override
        public void fail(Tuple input) {
            delegate.fail(input);
        }

        @Override
        public void resetTimeout(Tuple input) {
            delegate.resetTimeout(input);
        }

        @Override
        public void flush() {
            delegate.flush();
        }

        @Override
        public void reportError(Throwable error) {
            delegate.reportError(error);
        }
    }

    /** Storm's spout collector, waking the targets after each emit. */
    private static final class WakingSpoutCollector implements ISpoutOutputCollector {
        private final SpoutOutputCollector delegate;
        private final ExecutorWakeups wakeups;

        WakingSpoutCollector(SpoutOutputCollector delegate, ExecutorWakeups wakeups) {
            this.delegate = delegate;
            this.wakeups = wakeups;
        }

        @Override
        public List<Integer> emit(String streamId, List<Object> tuple, Object messageId) {
            List<Integer> tasks = delegate.emit(streamId, tuple, messageId);
            wakeups.wake(tasks);
            return tasks;
        }

        @Override
        public void emitDirect(int taskId, String streamId, List<Object> tuple, Object messageId) {
            delegate.emitDirect(taskId, streamId, tuple, messageId);
            wakeups.wake(taskId);
        }

        @Override
        public long getPendingCount() {
            return delegate.getPendingCount();
        }

        @Override
        public void flush() {
            delegate.flush();
        }

        @Override
        public void reportError(Throwable error) {
            delegate.reportError(error);
        }
    }
}
