package io.stormwatch.storm.topology;

import io.stormwatch.storm.sink.JsonLinesSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.storm.LocalCluster;
import org.apache.storm.generated.StormTopology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one topology in-process on a {@link LocalCluster} until it is done: a marker file appears (a finite
 * input was drained and every sink flushed) or, next to it, {@link JsonLinesSink#INCOMPLETE} (the same, but
 * the input could not be read whole), a time limit passes, or the JVM is interrupted (Ctrl-C).
 * Used by {@code stormwatch local} and {@code stormwatch flux}; tests drive LocalCluster themselves.
 *
 * <p>When the marker appears the results are complete and durable, so the cluster is not taken down one
 * worker and daemon at a time (about 5 s of Storm's shutdown for a 100-line file): the caller exits the JVM,
 * and the launcher's run directory, where the cluster kept its files, goes with it. After a time limit or
 * Ctrl-C the topology is killed and the cluster closed in order, so that spouts record their progress.
 * LocalCluster leaves non-daemon ZooKeeper threads behind either way, so a command line program must exit
 * explicitly once this returns.
 */
public final class LocalRunner {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRunner.class);
    private static final long POLL_MILLIS = 20;

    /** How a run ended. */
    public enum Outcome {
        /** The input was read whole and the results are complete. */
        DONE,
        /** The input ended but part of it could not be read: the results are partial. */
        INCOMPLETE,
        TIMED_OUT,
        INTERRUPTED;

        /** The input ended and its results are written (complete or not): nothing is left to stop in order. */
        public boolean inputEnded() {
            return this == DONE || this == INCOMPLETE;
        }
    }

    private LocalRunner() {}

    /**
     * @param doneMarker file whose appearance ends the run, or null to run until the limit or Ctrl-C; it and
     *                   an {@link JsonLinesSink#INCOMPLETE} beside it left by an earlier run are deleted first
     * @param limit      longest run, or null for no limit
     */
    public static Outcome run(String name, Map<String, Object> conf, StormTopology topology, Path doneMarker,
            Duration limit) throws Exception {
        Path incompleteMarker = doneMarker == null ? null : doneMarker.resolveSibling(JsonLinesSink.INCOMPLETE);
        if (doneMarker != null) {
            Files.deleteIfExists(doneMarker);
            Files.deleteIfExists(incompleteMarker);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopped.countDown();
            try {
                // Let the main thread kill the topology and close the cluster before the JVM goes.
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "stormwatch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LocalCluster cluster = new LocalCluster();
        Outcome outcome = null;
        try {
            cluster.submitTopology(name, conf, topology);
            LOG.info("Topology {} submitted to an in-process cluster", name);
            long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
            while (true) {
                if (doneMarker != null && Files.exists(doneMarker)) {
                    outcome = Outcome.DONE;
                    break;
                }
                if (incompleteMarker != null && Files.exists(incompleteMarker)) {
                    outcome = Outcome.INCOMPLETE;
                    break;
                }
                if (System.nanoTime() - deadline >= 0) {
                    outcome = Outcome.TIMED_OUT;
                    break;
                }
                if (stopped.await(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    outcome = Outcome.INTERRUPTED;
                    break;
                }
            }
            LOG.info("Stopping topology {} ({})", name, outcome);
            if (!outcome.inputEnded()) {
                cluster.killTopologyWithOpts(name, killNow());
            }
            return outcome;
        } finally {
            if (outcome == null || !outcome.inputEnded()) {
                cluster.close();
            }
            finished.countDown();
            if (stopped.getCount() > 0) {
                Runtime.getRuntime().removeShutdownHook(hook);
            }
        }
    }

    private static org.apache.storm.generated.KillOptions killNow() {
        org.apache.storm.generated.KillOptions options = new org.apache.storm.generated.KillOptions();
        options.set_wait_secs(0);
        return options;
    }
}
