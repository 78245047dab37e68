package io.stormwatch.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.storm.generated.ClusterSummary;
import org.apache.storm.generated.TopologySummary;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stormwatch cluster up|status|down}: a real Storm cluster on 127.0.0.1 (ZooKeeper, Nimbus, a Supervisor
 * with worker slots, each a JVM of its own) for users without a Storm installation ({@link LocalStormCluster}).
 * {@code up} prints the cluster's directory on stdout (and nothing else); {@code stormwatch submit} submits to it.
 */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = {
            "Start, stop or show a local Storm cluster on 127.0.0.1: ZooKeeper, Nimbus and a Supervisor, each a JVM"
                    + " of its own, from Storm's Maven artifacts (no Storm UI: its artifact is not on Maven Central).",
            "The daemons run in the background until `cluster down`; their logs and the workers' stay in"
                    + " --dir/logs.",
            "Then: stormwatch submit log-analytics -conf conf/cluster.yaml -c stormwatch.source=..."
        },
        subcommands = {ClusterCommand.Up.class, ClusterCommand.Down.class, ClusterCommand.Status.class})
final class ClusterCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** Where the cluster lives unless --dir says otherwise: stable across runs, outside the project's target/. */
    static Path defaultDir() {
        String tmp = System.getenv().getOrDefault("TMPDIR", "/tmp");
        return Path.of(tmp, "stormwatch-cluster-" + System.getProperty("user.name", "user"));
    }

    static class DirOption {
        @Option(names = "--dir", paramLabel = "DIR",
                description = "The cluster's directory, a Storm home: lib/, conf/storm.yaml, data, logs"
                        + " (default: $TMPDIR/stormwatch-cluster-$USER).")
        Path dir;

        Path dir() {
            return (dir != null ? dir : defaultDir()).toAbsolutePath();
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start the cluster and print its directory. Refuses when it runs already.")
    static final class Up implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DirOption dir;

        @Option(names = "--slots", defaultValue = "2", paramLabel = "N",
                description = "Worker slots of the Supervisor (default: ${DEFAULT-VALUE}).")
        int slots;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter err = spec.commandLine().getErr();
            long started = System.nanoTime();
            try {
                err.printf("stormwatch cluster: starting ZooKeeper, Nimbus and a Supervisor in %s ...%n", dir.dir());
                err.flush();
                LocalStormCluster.Cluster cluster = LocalStormCluster.up(dir.dir(), slots, LocalKafka.projectRoot());
                err.printf("stormwatch cluster: up in %.1f s: Nimbus at 127.0.0.1:%d, %d worker slots %s, logs in %s;"
                                + " stop it with `stormwatch cluster down`%n",
                        (System.nanoTime() - started) / 1e9, cluster.nimbusPort(), cluster.slots().size(),
                        cluster.slots(), cluster.logs());
                err.flush();
                spec.commandLine().getOut().println(cluster.home());
                spec.commandLine().getOut().flush();
                return 0;
            } catch (IllegalStateException e) {
                err.println("stormwatch cluster: " + e.getMessage());
                err.flush();
                return 1;
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop the cluster: workers, Supervisor, Nimbus, ZooKeeper (the logs stay).")
    static final class Down implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DirOption dir;

        @Override
        public Integer call() throws IOException {
            Optional<LocalStormCluster.Cluster> stopped = LocalStormCluster.down(dir.dir());
            PrintWriter err = spec.commandLine().getErr();
            err.println(stopped.map(c -> "stormwatch cluster: stopped (pids " + c.pids() + "); logs in " + c.logs())
                    .orElse("stormwatch cluster: no cluster runs in " + dir.dir()));
            err.flush();
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Show which daemons run, the worker slots and the topologies; exit 1 unless every daemon runs.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DirOption dir;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            Optional<LocalStormCluster.Cluster> found = LocalStormCluster.status(dir.dir());
            if (found.isEmpty()) {
                spec.commandLine().getErr().println("stormwatch cluster: no cluster in " + dir.dir());
                spec.commandLine().getErr().flush();
                return 1;
            }
            LocalStormCluster.Cluster cluster = found.get();
            out.printf("directory   %s%n", cluster.home());
            for (String daemon : LocalStormCluster.DAEMONS.keySet()) {
                Long pid = cluster.pids().get(daemon);
                out.printf("%-11s %s%n", daemon, pid == null ? "not started"
                        : (cluster.runs(daemon) ? "runs" : "DEAD") + " (pid " + pid + ")"
                                + (daemon.equals("zookeeper") ? ", port " + cluster.zookeeperPort() : "")
                                + (daemon.equals("nimbus") ? ", 127.0.0.1:" + cluster.nimbusPort() : "")
                                + (daemon.equals("supervisor") ? ", slots " + cluster.slots() : ""));
            }
            out.printf("workers     %s%n", LocalStormCluster.workerPids(cluster));
            if (cluster.runs("nimbus")) {
                try {
                    ClusterSummary summary = cluster.summary();
                    if (summary.get_topologies().isEmpty()) {
                        out.println("topologies  none");
                    }
                    for (TopologySummary topology : summary.get_topologies()) {
                        out.printf("topology    %s %s, %d workers, up %d s (%s)%n", topology.get_name(),
                                topology.get_status(), topology.get_num_workers(), topology.get_uptime_secs(),
                                topology.get_id());
                    }
                } catch (Exception e) {
                    out.println("topologies  Nimbus does not answer: " + e);
                }
            }
            out.printf("logs        %s%n", cluster.logs());
            out.flush();
            return cluster.allRun() ? 0 : 1;
        }
    }
}
