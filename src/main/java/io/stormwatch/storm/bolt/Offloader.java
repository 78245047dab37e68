package io.stormwatch.storm.bolt;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a bolt's tasks in the order they are submitted: on the bolt's own executor thread while they are quick
 * and nothing is queued (no hand-over, no added latency), and on a worker thread once a task took longer than
 * {@code inlineLimit} or others are still queued, so that the executor thread returns at once and the tuples
 * behind — Storm's checkpoint tuples among them — are not held up by it.
 *
 * <p>Why: in a topology with a stateful bolt, Storm's checkpoint tuples travel through every bolt in line with
 * the data; a bolt with a backlog of slow work (a backfill's windows) delays every checkpoint, the running
 * totals' acks wait for the checkpoints, and the spout stops and goes. Offloading the work keeps the
 * checkpoints moving. At most {@code capacity} tasks wait; beyond that {@link #submit} blocks, which is
 * backpressure.
 *
 * <p>One producer: {@link #submit} and {@link #awaitIdle} must be called from one thread (the executor's).
 * Tasks never run concurrently. A task that throws is logged; the next ones still run.
 */
final class Offloader implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Offloader.class);

    private final BlockingQueue<Runnable> queue;
    private final ReentrantLock running = new ReentrantLock();
    /** Tasks submitted to the worker and not yet finished. */
    private final AtomicInteger pending = new AtomicInteger();
    private final Thread worker;
    private final long inlineLimitNanos;
    /** How long the last task ran: a slow one sends the next to the worker. */
    private volatile long lastTaskNanos;
    private volatile boolean closed;

    /**
     * @param capacity    tasks that may wait before {@link #submit} blocks
     * @param inlineLimit a task that ran longer than this sends the next ones to the worker, until one is quick
     */
    Offloader(String name, int capacity, Duration inlineLimit) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.inlineLimitNanos = inlineLimit.toNanos();
        this.worker = new Thread(this::work, name);
        worker.setDaemon(true);
        worker.start();
    }

    /**
     * Runs {@code task} now (then true) if nothing is pending and the last task was quick, else queues it after
     * the pending ones (false).
     */
    boolean submit(Runnable task) throws InterruptedException {
        if (pending.get() == 0 && lastTaskNanos <= inlineLimitNanos) {
            // The only producer sees nothing pending: the worker is idle, and nothing can be queued meanwhile.
            running.lock();
            try {
                runSafely(task);
            } finally {
                running.unlock();
            }
            return true;
        }
        pending.incrementAndGet();
        queue.put(task);
        return false;
    }

    /** Waits until every queued task has run. */
    void awaitIdle() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        if (!submit(done::countDown)) {
            done.await();
        }
    }

    /** Tasks queued or running on the worker. */
    int pending() {
        return pending.get();
    }

    private void work() {
        while (!closed) {
            Runnable task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            running.lock();
            try {
                runSafely(task);
            } finally {
                running.unlock();
                pending.decrementAndGet();
            }
        }
    }

    private void runSafely(Runnable task) {
        long start = System.nanoTime();
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("A task failed; going on with the next", e);
        } finally {
            lastTaskNanos = System.nanoTime() - start;
        }
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
