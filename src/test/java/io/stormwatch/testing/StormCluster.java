package io.stormwatch.testing;

import static org.awaitility.Awaitility.await;

import io.stormwatch.cli.LocalStormCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.storm.generated.ExecutorSummary;
import org.apache.storm.generated.KillOptions;
import org.apache.storm.generated.TopologySummary;
import org.apache.storm.utils.NimbusClient;

/**
 * A real multi-process Storm cluster for tests, the one {@code stormwatch cluster up} starts
 * ({@link LocalStormCluster}): ZooKeeper, Nimbus and a Supervisor with worker slots, each a JVM of its own, in a
 * temporary directory. {@link #close} stops every daemon and worker and deletes the directory unless
 * {@code keepLogs}. Topologies go in through {@code stormwatch submit} ({@link CliProcess}); this class finds
 * their workers ({@code worker.pid}) and kills topologies.
 */
public final class StormCluster implements AutoCloseable {

    private final LocalStormCluster.Cluster cluster;
    private final boolean keepLogs;

    private StormCluster(LocalStormCluster.Cluster cluster, boolean keepLogs) {
        this.cluster = cluster;
        this.keepLogs = keepLogs;
    }

    /**
     * Starts a cluster with {@code slots} worker slots (Maven may first resolve the daemons' artifacts).
     *
     * @param keepLogs leave the directory (logs, worker artifacts) after {@link #close}, for a failed test's
     *                 post-mortem
     */
    public static StormCluster start(int slots, boolean keepLogs) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("stormwatch-cluster-test");
        return new StormCluster(LocalStormCluster.up(home, slots, Path.of("").toAbsolutePath()), keepLogs);
    }

    public Path home() {
        return cluster.home();
    }

    public LocalStormCluster.Cluster cluster() {
        return cluster;
    }

    /** The id of the running topology {@code name}, if it runs. */
    public Optional<String> topologyId(String name) throws Exception {
        return cluster.summary().get_topologies().stream().filter(t -> t.get_name().equals(name))
                .map(TopologySummary::get_id).findFirst();
    }

    /** The live worker process of each slot of topology {@code topologyId}, by port. */
    public Map<Integer, Long> workers(String topologyId) throws IOException {
        Map<Integer, Long> workers = new java.util.TreeMap<>();
        for (int port : cluster.slots()) {
            Path file = cluster.workerPidFile(topologyId, port);
            if (Files.exists(file)) {
                String text = Files.readString(file).trim();
                if (!text.isEmpty() && ProcessHandle.of(Long.parseLong(text)).map(ProcessHandle::isAlive).orElse(false)) {
                    workers.put(port, Long.parseLong(text));
                }
            }
        }
        return workers;
    }

    /** The ports of the workers that run an executor of {@code component} of topology {@code topologyId}. */
    public Set<Integer> portsOf(String topologyId, String component) throws Exception {
        Set<Integer> ports = new TreeSet<>();
        for (ExecutorSummary executor : executors(topologyId)) {
            if (executor.get_component_id().equals(component)) {
                ports.add(executor.get_port());
            }
        }
        return ports;
    }

    /** The components with an executor in the worker on {@code port} of topology {@code topologyId}. */
    public Set<String> componentsOf(String topologyId, int port) throws Exception {
        Set<String> components = new TreeSet<>();
        for (ExecutorSummary executor : executors(topologyId)) {
            if (executor.get_port() == port) {
                components.add(executor.get_component_id());
            }
        }
        return components;
    }

    private List<ExecutorSummary> executors(String topologyId) throws Exception {
        try (NimbusClient nimbus = NimbusClient.getConfiguredClient(cluster.clientConfig())) {
            return nimbus.getClient().getTopologyInfo(topologyId).get_executors();
        }
    }

    /**
     * Kills the worker process on {@code port} of topology {@code topologyId} with SIGKILL and waits until the
     * Supervisor has relaunched it (a live process wrote the slot's {@code worker.pid} again).
     *
     * @return how long from the kill to the relaunched worker's {@code worker.pid}
     */
    public Duration killWorker(String topologyId, int port) throws Exception {
        // The slot may be between two workers (the Supervisor relaunches one it judged dead on a loaded
        // machine): wait for a live one rather than read a pid that is not there.
        long pid = await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> workers(topologyId).getOrDefault(port, 0L), p -> p > 0);
        long killedAt = System.nanoTime();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL on Linux
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                .until(() -> workers(topologyId).getOrDefault(port, pid) != pid);
        return Duration.ofNanos(System.nanoTime() - killedAt);
    }

    /** Kills topology {@code name} at once and waits until Nimbus forgot it and its workers are gone. */
    public void kill(String name) throws Exception {
        Optional<String> id = topologyId(name);
        KillOptions now = new KillOptions();
        now.set_wait_secs(0);
        try (NimbusClient nimbus = NimbusClient.getConfiguredClient(cluster.clientConfig())) {
            nimbus.getClient().killTopologyWithOpts(name, now);
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> topologyId(name).isEmpty() && (id.isEmpty() || workers(id.get()).isEmpty()));
    }

    /** Kills every topology that runs (e.g. one a failed test left, which would hold the slots). */
    public void killAll() throws Exception {
        for (TopologySummary topology : cluster.summary().get_topologies()) {
            kill(topology.get_name());
        }
    }

    /** Stops the cluster (workers, Supervisor, Nimbus, ZooKeeper) and deletes its directory unless asked to keep it. */
    @Override
    public void close() throws IOException {
        LocalStormCluster.down(cluster.home());
        if (!keepLogs) {
            try (Stream<Path> files = Files.walk(cluster.home())) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Every worker.pid file of the cluster (for tests that look at all topologies' workers). */
    public List<Long> allWorkers() throws IOException {
        return LocalStormCluster.workerPids(cluster);
    }
}
