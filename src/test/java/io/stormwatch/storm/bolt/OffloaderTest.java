package io.stormwatch.storm.bolt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link Offloader}: quick tasks run on the caller's thread; after a slow one, tasks go to the worker while
 * others are pending; always in order, never two at once; a failing task does not stop the next.
 */
class OffloaderTest {

    @Test
    void quickTasksRunOnTheCallersThread() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        try (Offloader offloader = new Offloader("test", 4, Duration.ofSeconds(1))) {
            assertThat(offloader.submit(() -> ran.add(Thread.currentThread().getName()))).isTrue();
            assertThat(offloader.submit(() -> ran.add(Thread.currentThread().getName()))).isTrue();
        }
        assertThat(ran).containsOnly(Thread.currentThread().getName());
    }

    @Test
    void afterASlowTaskWorkGoesToTheWorkerInOrderAndTheCallerDoesNotWait() throws Exception {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (Offloader offloader = new Offloader("test", 100, Duration.ZERO)) {
            assertThat(offloader.submit(() -> ran.add(0))).as("nothing ran before: inline").isTrue();
            // Any task takes longer than zero: from now on work is queued for the worker.
            assertThat(offloader.submit(() -> {
                await(release);
                ran.add(1);
            })).isFalse();
            for (int i = 2; i < 50; i++) {
                int n = i;
                assertThat(offloader.submit(() -> {
                    if (running.incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    ran.add(n);
                    running.decrementAndGet();
                })).as("the caller returns while task 1 is held").isFalse();
            }
            assertThat(offloader.pending()).isEqualTo(49);
            release.countDown();
            offloader.awaitIdle();
        }
        assertThat(ran).hasSize(50).isSorted();
        assertThat(overlaps).hasValue(0);
    }

    @Test
    void aFailingTaskDoesNotStopTheNext() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        try (Offloader offloader = new Offloader("test", 4, Duration.ofSeconds(1))) {
            offloader.submit(() -> {
                throw new IllegalStateException("boom");
            });
            offloader.submit(() -> ran.add("next"));
            offloader.awaitIdle();
        }
        assertThat(ran).containsExactly("next");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
