package io.stormwatch.storm.topology;

import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.sink.SinkBolt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.storm.Config;
import org.apache.storm.LocalCluster;
import org.apache.storm.generated.KillOptions;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.utils.ObjectReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Runs one topology in-process on a {@link LocalCluster} until it is done: a marker file appears (a finite
 * input was drained and every sink flushed) or, next to it, {@link JsonLinesSink#INCOMPLETE} (the same, but
 * the input could not be read whole), a time limit passes, or a signal stops it (SIGINT: Ctrl-C, SIGTERM).
 * Used by {@code stormwatch local} and {@code stormwatch flux}; tests drive LocalCluster themselves.
 *
 * <p><b>A signal ends the input gracefully</b> when there is a marker to wait for: the topology runs with
 * {@link StormwatchConfig#DEACTIVATE_ENDS_INPUT}, and on the signal it is deactivated, so the spouts read
 * nothing more, let the blocks in flight finish (a socket's lines already received included) and send end of
 * input; the window bolt closes its windows, the final totals are written, and the sinks write
 * {@link JsonLinesSink#INCOMPLETE} saying where each source stopped. That is waited for up to
 * {@link #DRAIN_LIMIT}; a second signal gives up at once. The JVM's own handling of the signal (its shutdown,
 * and with it Storm's hooks that halt an in-process cluster within a second) is replaced while this runs.
 *
 * <p>When the input has ended the results are complete and durable, so the cluster is not taken down one
 * worker and daemon at a time (about 5 s of Storm's shutdown for a 100-line file): the caller exits the JVM,
 * and the launcher's run directory, where the cluster kept its files, goes with it. After a time limit, or a
 * signal whose drain did not finish, the topology is killed and the cluster closed in order, so that spouts
 * record their progress. LocalCluster leaves non-daemon ZooKeeper threads behind either way, so a command
 * line program must exit explicitly once this returns.
 */
public final class LocalRunner {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRunner.class);
    private static final long POLL_MILLIS = 20;
    private static final String ZOOKEEPER_CLIENT_SOCKET = "zookeeper.clientCnxnSocket";
    /** Storm shades ZooKeeper, so the class is named as relocated. */
    private static final String NETTY_CLIENT_SOCKET = "org.apache.storm.shade.org.apache.zookeeper.ClientCnxnSocketNetty";
    /** How long a signalled run waits for the blocks in flight to finish and the final results to be written. */
    static final Duration DRAIN_LIMIT = Duration.ofSeconds(30);
    /** How long a run whose input ended waits for the sinks other than the marker's to finish too. */
    static final Duration SINKS_LIMIT = Duration.ofSeconds(10);

    /** How a run ended. */
    public enum Outcome {
        /** The input was read whole and the results are complete. */
        DONE(0),
        /** The input ended but part of it could not be read: the results are partial. */
        INCOMPLETE(1),
        TIMED_OUT(1),
        /** SIGINT (Ctrl-C). */
        INTERRUPTED(130),
        /** SIGTERM. */
        TERMINATED(143);

        private final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }

        /** The process exit code that says this outcome (a signal's: 128 + its number). */
        public int exitCode() {
            return exitCode;
        }
    }

    private LocalRunner() {}

    /**
     * @param doneMarker file whose appearance ends the run, or null to run until the limit or a signal; it and
     *                   an {@link JsonLinesSink#INCOMPLETE} beside it left by an earlier run are deleted first
     * @param limit      longest run, or null for no limit
     */
    public static Outcome run(String name, Map<String, Object> conf, StormTopology topology, Path doneMarker,
            Duration limit) throws Exception {
        Path incompleteMarker = doneMarker == null ? null : doneMarker.resolveSibling(JsonLinesSink.INCOMPLETE);
        Map<String, Object> runConf = new HashMap<>(conf);
        Path sinksDone = null;
        if (doneMarker != null) {
            Files.deleteIfExists(doneMarker);
            Files.deleteIfExists(incompleteMarker);
            runConf.putIfAbsent(StormwatchConfig.DEACTIVATE_ENDS_INPUT, true);
            sinksDone = Files.createTempDirectory("stormwatch-sinks-");
            runConf.put(StormwatchConfig.SINKS_DONE_DIR, sinksDone.toString());
        }
        Signals signals = Signals.install();
        LocalCluster cluster = startCluster(runConf);
        boolean inputEnded = false;
        try {
            cluster.submitTopology(name, runConf, topology);
            LOG.info("Topology {} submitted to an in-process cluster", name);
            long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
            Outcome outcome;
            while (true) {
                Outcome ended = ended(doneMarker, incompleteMarker);
                if (ended != null) {
                    outcome = ended;
                    inputEnded = true;
                    break;
                }
                if (System.nanoTime() - deadline >= 0) {
                    outcome = Outcome.TIMED_OUT;
                    break;
                }
                Outcome signalled = signals.await(POLL_MILLIS);
                if (signalled != null) {
                    outcome = signalled;
                    inputEnded = doneMarker != null && drain(cluster, name, doneMarker, incompleteMarker, signals);
                    break;
                }
            }
            if (inputEnded) {
                awaitSinks(sinksDone, SinkBolt.taskCount(topology));
            }
            LOG.info("Stopping topology {} ({})", name, outcome);
            if (!inputEnded) {
                KillOptions now = new KillOptions();
                now.set_wait_secs(0);
                cluster.killTopologyWithOpts(name, now);
            }
            return outcome;
        } finally {
            if (!inputEnded) {
                cluster.close();
            }
            signals.restore();
            if (sinksDone != null) {
                deleteQuietly(sinksDone);
            }
        }
    }

    /**
     * An in-process cluster sized for one topology: one supervisor with a slot per worker (LocalCluster's
     * default of two supervisors with three slots each starts daemons and ZooKeeper clients nobody uses).
     * Its ZooKeeper clients use Netty: closing the default NIO client sleeps 100 ms
     * ({@code ClientCnxnSocketNIO.cleanup}), and the daemons open and close some twenty clients one after another
     * before the first tuple (nimbus, the supervisor's blob downloads, the worker). Together they took a 100-line
     * run from about 7.6 s to 6.7 s, start to exit (topologies/log-analytics.md, "Fixed cost").
     */
    static LocalCluster startCluster(Map<String, Object> conf) throws Exception {
        if (System.getProperty(ZOOKEEPER_CLIENT_SOCKET) == null) {
            System.setProperty(ZOOKEEPER_CLIENT_SOCKET, NETTY_CLIENT_SOCKET);
        }
        int workers = Math.max(1, ObjectReader.getInt(conf.get(Config.TOPOLOGY_WORKERS), 1));
        return new LocalCluster.Builder().withSupervisors(1).withPortsPerSupervisor(workers).build();
    }

    /**
     * Waits until every sink task has handled end of input ({@link SinkBolt}): the marker is one sink's, and the
     * others (the log's final totals) must not be cut off when the JVM exits. Bounded: a sink that cannot finish
     * is reported and left.
     */
    private static void awaitSinks(Path sinksDone, int sinkTasks) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + SINKS_LIMIT.toNanos();
        while (true) {
            long done;
            try (Stream<Path> files = Files.list(sinksDone)) {
                done = files.count();
            }
            if (done >= sinkTasks) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                LOG.warn("{} of {} sinks finished within {} s; stopping without the others' last output", done, sinkTasks,
                        SINKS_LIMIT.toSeconds());
                return;
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.debug("Cannot delete {}", dir, e);
        }
    }

    private static Outcome ended(Path doneMarker, Path incompleteMarker) {
        if (doneMarker != null && Files.exists(doneMarker)) {
            return Outcome.DONE;
        }
        if (incompleteMarker != null && Files.exists(incompleteMarker)) {
            return Outcome.INCOMPLETE;
        }
        return null;
    }

    /** Deactivates the topology and waits for its input to end; false when it did not in time. */
    private static boolean drain(LocalCluster cluster, String name, Path doneMarker, Path incompleteMarker,
            Signals signals) throws Exception {
        LOG.info("Stopping the sources of {}; waiting up to {} s for what is in flight and the final results"
                + " (a second Ctrl-C stops at once)", name, DRAIN_LIMIT.toSeconds());
        cluster.deactivate(name);
        long deadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (ended(doneMarker, incompleteMarker) != null) {
                return true;
            }
            if (signals.await(POLL_MILLIS) != null) {
                LOG.warn("Second signal: stopping without the final results");
                return false;
            }
        }
        LOG.warn("The final results of {} were not written within {} s; stopping without them", name,
                DRAIN_LIMIT.toSeconds());
        return false;
    }

    /** SIGINT and SIGTERM handled by this run instead of by a JVM shutdown, while it lasts. */
    private static final class Signals {

        private static final String[] NAMES = {"INT", "TERM"};

        private final AtomicReference<CountDownLatch> next = new AtomicReference<>(new CountDownLatch(1));
        private final AtomicReference<Outcome> last = new AtomicReference<>();
        private final Map<String, sun.misc.SignalHandler> previous = new HashMap<>();

        static Signals install() {
            Signals signals = new Signals();
            for (String name : NAMES) {
                try {
                    signals.previous.put(name, Signal.handle(new Signal(name), signals::received));
                } catch (IllegalArgumentException e) {
                    // The JVM was started with -Xrs, or the platform lacks the signal: its default stays.
                    LOG.debug("cannot handle SIG{}", name, e);
                }
            }
            return signals;
        }

        private void received(Signal signal) {
            last.set("TERM".equals(signal.getName()) ? Outcome.TERMINATED : Outcome.INTERRUPTED);
            next.getAndSet(new CountDownLatch(1)).countDown();
        }

        /** The outcome a signal received within {@code millis} (or since the last call) stands for, or null. */
        Outcome await(long millis) throws InterruptedException {
            Outcome signalled = last.getAndSet(null);
            if (signalled != null) {
                return signalled;
            }
            next.get().await(millis, TimeUnit.MILLISECONDS);
            return last.getAndSet(null);
        }

        void restore() {
            previous.forEach((name, handler) -> Signal.handle(new Signal(name), handler));
        }
    }
}
