package io.stormwatch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.storm.generated.ClusterSummary;
import org.apache.storm.generated.SupervisorSummary;
import org.apache.storm.utils.NimbusClient;
import org.apache.storm.utils.Utils;

/**
 * A real Storm cluster on 127.0.0.1 made of Maven artifacts, for users without a Storm installation
 * ({@code stormwatch cluster up|status|down}, {@code stormwatch submit}) and for the cluster ITs: one piece of
 * code for both. ZooKeeper (Storm's {@code DevZookeeper}), Nimbus and one Supervisor run as JVMs of their own;
 * the Supervisor starts each worker as Storm does (a {@code LogWriter} JVM and its worker JVM per slot).
 *
 * <p>The cluster's directory is a Storm home, as a binary distribution lays it out: {@code lib/} (the daemons'
 * jars: {@code org.apache.storm:storm-core}, listed by {@value #DAEMONS_POM}), {@code lib-worker/} (the workers'
 * and the submitting client's: {@code storm-client}, listed by {@value #WORKER_POM}) — links to the jars in the
 * local Maven repository —, an empty {@code extlib/}, {@code conf/storm.yaml}, {@code log4j2/cluster.xml} and
 * {@code worker.xml}. Beside them: {@code data/} (storm.local.dir), {@code zookeeper/}, and {@code logs/}: each
 * daemon's log and output, and {@code workers-artifacts/<topology id>/<port>/} of each worker (its log and
 * {@code worker.pid}). Every port is a free one of 127.0.0.1, chosen at {@link #up}. {@value #STATE_FILE} records
 * the ports and the daemons' process ids while the cluster runs.
 *
 * <p>{@link #up} refuses while a daemon of the directory runs, and starts with empty {@code data/} and
 * {@code zookeeper/} (logs are kept, appended to). The daemons outlive the command that started them;
 * {@link #down} stops the workers, the Supervisor, Nimbus and ZooKeeper (SIGTERM, then SIGKILL after 30 s) and
 * keeps the logs.
 *
 * <p>Timings are those of a development cluster: Nimbus and the Supervisor look at the cluster every second
 * ({@code nimbus.monitor.freq.secs}, {@code supervisor.monitor.frequency.secs}), so a killed worker comes back
 * within seconds. Storm's UI is not started: its artifact ({@code storm-webapp}) does not resolve from Maven
 * Central.
 */
public final class LocalStormCluster {

    /** A cluster's daemons, in start order: name and main class. */
    static final Map<String, String> DAEMONS = daemons();
    static final String DAEMONS_POM = "build-support/storm-daemons/pom.xml";
    static final String DAEMONS_CLASSPATH = "target/storm-daemons-classpath.txt";
    static final String WORKER_POM = "build-support/storm-worker/pom.xml";
    static final String WORKER_CLASSPATH = "target/storm-worker-classpath.txt";
    static final String STATE_FILE = "cluster.properties";
    /** The main class {@code storm jar} runs for this project. */
    public static final String SUBMIT_MAIN = "io.stormwatch.storm.topology.SubmitTopology";
    public static final String FLUX_MAIN = "org.apache.storm.flux.Flux";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A cluster as its state file records it.
     *
     * @param pids the process id of each daemon started, by name ({@link #DAEMONS}); some may have died since
     */
    public record Cluster(Path home, int zookeeperPort, int nimbusPort, List<Integer> slots, Map<String, Long> pids) {

        /** Whether the daemon {@code name} runs. */
        public boolean runs(String name) {
            Long pid = pids.get(name);
            return pid != null && LocalProcesses.alive(pid);
        }

        /** Whether any daemon runs. */
        public boolean anyRuns() {
            return pids.keySet().stream().anyMatch(this::runs);
        }

        /** Whether every daemon runs. */
        public boolean allRun() {
            return DAEMONS.keySet().stream().allMatch(this::runs);
        }

        public Path logs() {
            return home.resolve("logs");
        }

        /** Where the worker of {@code topologyId} on {@code port} writes its process id (as Storm does). */
        public Path workerPidFile(String topologyId, int port) {
            return logs().resolve("workers-artifacts").resolve(topologyId).resolve(Integer.toString(port))
                    .resolve("worker.pid");
        }

        /** The client config of this cluster: Storm's defaults and {@code conf/storm.yaml}. */
        public Map<String, Object> clientConfig() throws IOException {
            Map<String, Object> conf = new LinkedHashMap<>(Utils.readDefaultConfig());
            for (String line : Files.readAllLines(home.resolve("conf/storm.yaml"))) {
                int colon = line.indexOf(": ");
                if (!line.startsWith("#") && colon > 0) {
                    conf.put(line.substring(0, colon), JSON.readValue(line.substring(colon + 2), Object.class));
                }
            }
            return conf;
        }

        /** What Nimbus says of the cluster (supervisors, topologies). */
        public ClusterSummary summary() throws Exception {
            try (NimbusClient nimbus = NimbusClient.getConfiguredClient(clientConfig())) {
                return nimbus.getClient().getClusterInfo();
            }
        }
    }

    private LocalStormCluster() {}

    private static Map<String, String> daemons() {
        Map<String, String> daemons = new LinkedHashMap<>();
        daemons.put("zookeeper", "org.apache.storm.command.DevZookeeper");
        daemons.put("nimbus", "org.apache.storm.daemon.nimbus.Nimbus");
        daemons.put("supervisor", "org.apache.storm.daemon.supervisor.Supervisor");
        return daemons;
    }

    /**
     * Starts a cluster in {@code home} with {@code slots} worker slots and waits until the Supervisor has
     * registered them with Nimbus.
     *
     * @param root the project root (where the POMs of {@code build-support/} are)
     * @throws IllegalStateException when a daemon of {@code home} runs already, or one did not start (the
     *                               message ends with the last lines of its log); daemons started are stopped
     */
    public static Cluster up(Path home, int slots, Path root) throws IOException, InterruptedException {
        if (slots < 1) {
            throw new IllegalArgumentException("a cluster needs at least one worker slot, not " + slots);
        }
        home = home.toAbsolutePath();
        Optional<Cluster> running = status(home);
        if (running.isPresent() && running.get().anyRuns()) {
            throw new IllegalStateException("a cluster of " + home + " runs already (Nimbus at 127.0.0.1:"
                    + running.get().nimbusPort() + ", pids " + running.get().pids() + "); `cluster down` stops it");
        }
        String daemonClasspath = LocalProcesses.mavenClasspath(root, DAEMONS_POM, DAEMONS_CLASSPATH);
        String workerClasspath = workerClasspath(root);
        delete(home.resolve("data"));
        delete(home.resolve("zookeeper"));
        Files.deleteIfExists(home.resolve(STATE_FILE));
        link(daemonClasspath, home.resolve("lib"));
        link(workerClasspath, home.resolve("lib-worker"));
        Files.createDirectories(home.resolve("extlib"));
        Files.createDirectories(home.resolve("logs"));
        Files.createDirectories(home.resolve("data"));

        int zookeeperPort = LocalProcesses.freePort();
        int nimbusPort = LocalProcesses.freePort();
        List<Integer> slotPorts = new ArrayList<>();
        for (int i = 0; i < slots; i++) {
            slotPorts.add(LocalProcesses.freePort());
        }
        Map<String, Object> yaml = stormYaml(home, zookeeperPort, nimbusPort, LocalProcesses.freePort(), slotPorts);
        writeConf(home, yaml);
        Map<String, Long> pids = new LinkedHashMap<>();
        Cluster cluster = new Cluster(home, zookeeperPort, nimbusPort, slotPorts, pids);
        try {
            for (Map.Entry<String, String> daemon : DAEMONS.entrySet()) {
                Process process = start(home, daemon.getKey(), daemon.getValue());
                pids.put(daemon.getKey(), process.pid());
                writeState(cluster);
                switch (daemon.getKey()) {
                    case "zookeeper" -> await(process, home, "zookeeper", () -> LocalProcesses.accepts(zookeeperPort));
                    case "nimbus" -> await(process, home, "nimbus", () -> LocalProcesses.accepts(nimbusPort));
                    default -> await(process, home, daemon.getKey(), () -> registeredSlots(cluster) >= slots);
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            down(home);
            throw e;
        }
        return cluster;
    }

    /**
     * The jars of a Storm worker and of {@code storm jar}'s client (a storm home's {@code lib-worker/}), as a
     * classpath: what Storm puts beside a topology jar.
     */
    public static String workerClasspath(Path root) throws IOException, InterruptedException {
        return LocalProcesses.mavenClasspath(root, WORKER_POM, WORKER_CLASSPATH);
    }

    /** The cluster of {@code home} as its state file records it, if there is one (its daemons may have died). */
    public static Optional<Cluster> status(Path home) throws IOException {
        home = home.toAbsolutePath();
        Path file = home.resolve(STATE_FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties state = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            state.load(in);
        }
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String name : DAEMONS.keySet()) {
            String pid = state.getProperty(name + ".pid");
            if (pid != null) {
                pids.put(name, Long.parseLong(pid));
            }
        }
        List<Integer> slots = Stream.of(state.getProperty("supervisor.slots", "").split(","))
                .filter(s -> !s.isBlank()).map(Integer::parseInt).toList();
        return Optional.of(new Cluster(home, Integer.parseInt(state.getProperty("zookeeper.port")),
                Integer.parseInt(state.getProperty("nimbus.port")), slots, pids));
    }

    /**
     * Stops the cluster of {@code home}: its workers (they outlive a Supervisor, as on any Storm cluster), the
     * Supervisor, Nimbus, ZooKeeper. The logs stay.
     *
     * @return the cluster that was stopped, or empty when none was recorded
     */
    public static Optional<Cluster> down(Path home) throws IOException {
        Optional<Cluster> cluster = status(home);
        if (cluster.isEmpty()) {
            return cluster;
        }
        Map<String, Long> pids = cluster.get().pids();
        // Workers and Supervisor first (workers found both ways: the Supervisor's descendants, LogWriter and
        // worker JVMs, and the worker.pid files of workers whose Supervisor is gone already), then Nimbus and
        // ZooKeeper; each group stops together, as a JVM's shutdown takes seconds.
        List<Long> first = new ArrayList<>(workerPids(cluster.get()));
        Long supervisor = pids.get("supervisor");
        if (supervisor != null) {
            ProcessHandle.of(supervisor).ifPresent(p -> p.descendants().forEach(d -> first.add(d.pid())));
            first.add(supervisor);
        }
        LocalProcesses.stopAll(first, STOP_TIMEOUT);
        LocalProcesses.stopAll(Stream.of("nimbus", "zookeeper").map(pids::get).filter(java.util.Objects::nonNull).toList(),
                STOP_TIMEOUT);
        Files.deleteIfExists(home.toAbsolutePath().resolve(STATE_FILE));
        return cluster;
    }

    /** The process ids of the workers that wrote a {@code worker.pid} and still run. */
    public static List<Long> workerPids(Cluster cluster) throws IOException {
        Path artifacts = cluster.logs().resolve("workers-artifacts");
        if (!Files.isDirectory(artifacts)) {
            return List.of();
        }
        try (Stream<Path> files = Files.find(artifacts, 3, (path, attributes) ->
                path.getFileName().toString().equals("worker.pid"))) {
            List<Long> pids = new ArrayList<>();
            for (Path file : files.toList()) {
                String text = Files.readString(file).trim();
                if (!text.isEmpty() && LocalProcesses.alive(Long.parseLong(text))) {
                    pids.add(Long.parseLong(text));
                }
            }
            return pids;
        }
    }

    /**
     * The command {@code storm jar JAR MAIN ARGS...} runs on this cluster: {@code MAIN} on {@code lib-worker/*},
     * {@code extlib/*}, the jar and {@code conf/}, with {@code -Dstorm.jar=JAR} (the jar StormSubmitter uploads).
     *
     * @param logConfig the client's log4j2 configuration, or null for Storm's default
     */
    public static List<String> submitCommand(Cluster cluster, Path jar, Path logConfig, String main, List<String> args) {
        Path home = cluster.home();
        List<String> command = new ArrayList<>(List.of(LocalProcesses.java(),
                "-cp", String.join(":", home.resolve("lib-worker") + "/*", home.resolve("extlib") + "/*",
                        jar.toAbsolutePath().toString(), home.resolve("conf").toString()),
                "-Dstorm.home=" + home, "-Dstorm.log.dir=" + cluster.logs(),
                "-Dstorm.jar=" + jar.toAbsolutePath()));
        if (logConfig != null) {
            command.add("-Dlog4j2.configurationFile=" + logConfig.toAbsolutePath());
        }
        command.add(main);
        command.addAll(args);
        return command;
    }

    /**
     * The cluster's own settings (its {@code conf/storm.yaml}, written as "key: JSON value" lines): loopback
     * addresses, its ports and directories, development timings.
     */
    private static Map<String, Object> stormYaml(Path home, int zookeeperPort, int nimbusPort, int supervisorPort,
            List<Integer> slots) {
        Map<String, Object> yaml = new LinkedHashMap<>();
        yaml.put("storm.zookeeper.servers", List.of("127.0.0.1"));
        yaml.put("storm.zookeeper.port", zookeeperPort);
        yaml.put("dev.zookeeper.path", home.resolve("zookeeper").toString());
        yaml.put("storm.local.dir", home.resolve("data").toString());
        yaml.put("storm.local.hostname", "127.0.0.1");
        yaml.put("nimbus.seeds", List.of("127.0.0.1"));
        yaml.put("nimbus.thrift.port", nimbusPort);
        yaml.put("supervisor.slots.ports", slots);
        yaml.put("supervisor.thrift.port", supervisorPort);
        yaml.put("nimbus.monitor.freq.secs", 1);
        yaml.put("supervisor.monitor.frequency.secs", 1);
        return yaml;
    }

    private static void writeConf(Path home, Map<String, Object> yaml) throws IOException {
        Files.createDirectories(home.resolve("conf"));
        StringBuilder text = new StringBuilder("# Written by stormwatch (LocalStormCluster) at `cluster up`: a development cluster on 127.0.0.1.\n");
        for (Map.Entry<String, Object> entry : yaml.entrySet()) {
            // JSON values are YAML flow values.
            text.append(entry.getKey()).append(": ").append(JSON.writeValueAsString(entry.getValue())).append('\n');
        }
        Files.writeString(home.resolve("conf/storm.yaml"), text);
        Files.createDirectories(home.resolve("log4j2"));
        Files.writeString(home.resolve("log4j2/cluster.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- The daemons' log: logs/<daemon>.log (written by stormwatch's LocalStormCluster). -->
                <Configuration monitorInterval="60" shutdownHook="disable">
                  <Appenders>
                    <File name="file" fileName="${sys:storm.log.dir}/${sys:logfile.name}" append="true">
                      <PatternLayout pattern="%d{yyyy-MM-dd HH:mm:ss.SSS} %c{1.} %t [%p] %msg%n"/>
                    </File>
                  </Appenders>
                  <Loggers>
                    <Logger name="org.apache.zookeeper" level="WARN"/>
                    <Logger name="org.apache.storm.shade.org.apache.zookeeper" level="WARN"/>
                    <Root level="INFO"><AppenderRef ref="file"/></Root>
                  </Loggers>
                </Configuration>
                """);
        Files.writeString(home.resolve("log4j2/worker.xml"), """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- A worker's log: logs/workers-artifacts/<topology>/<port>/worker.log, its stdout and stderr
                     (as the LogWriter passes them on) worker.log.out (written by stormwatch's LocalStormCluster). -->
                <Configuration monitorInterval="60" shutdownHook="disable">
                  <Properties>
                    <Property name="dir">${sys:workers.artifacts}/${sys:storm.id}/${sys:worker.port}</Property>
                  </Properties>
                  <Appenders>
                    <File name="file" fileName="${dir}/${sys:logfile.name}" append="true">
                      <PatternLayout pattern="%d{yyyy-MM-dd HH:mm:ss.SSS} %c{1.} %t [%p] %msg%n"/>
                    </File>
                    <File name="out" fileName="${dir}/${sys:logfile.name}.out" append="true">
                      <PatternLayout pattern="%d{yyyy-MM-dd HH:mm:ss.SSS} %c %t [%p] %msg%n"/>
                    </File>
                  </Appenders>
                  <Loggers>
                    <Logger name="STDOUT" level="INFO" additivity="false"><AppenderRef ref="out"/></Logger>
                    <Logger name="STDERR" level="INFO" additivity="false"><AppenderRef ref="out"/></Logger>
                    <Logger name="org.apache.zookeeper" level="WARN"/>
                    <Logger name="org.apache.storm.shade.org.apache.zookeeper" level="WARN"/>
                    <Root level="INFO"><AppenderRef ref="file"/></Root>
                  </Loggers>
                </Configuration>
                """);
    }

    private static void writeState(Cluster cluster) throws IOException {
        Properties state = new Properties();
        state.setProperty("zookeeper.port", Integer.toString(cluster.zookeeperPort()));
        state.setProperty("nimbus.port", Integer.toString(cluster.nimbusPort()));
        state.setProperty("supervisor.slots", cluster.slots().stream().map(String::valueOf).collect(Collectors.joining(",")));
        cluster.pids().forEach((name, pid) -> state.setProperty(name + ".pid", Long.toString(pid)));
        Path file = cluster.home().resolve(STATE_FILE);
        Path staged = file.resolveSibling(STATE_FILE + ".new");
        try (OutputStream out = Files.newOutputStream(staged)) {
            state.store(out, "stormwatch cluster: ports and process ids while it runs");
        }
        Files.move(staged, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Starts a daemon as Storm's launcher does: {@code lib/*:extlib/*:conf}, storm.home, its own log file. */
    private static Process start(Path home, String name, String main) throws IOException {
        Path logs = home.resolve("logs");
        List<String> command = List.of(LocalProcesses.java(), name.equals("nimbus") ? "-Xmx512m" : "-Xmx256m",
                "-cp", String.join(":", home.resolve("lib") + "/*", home.resolve("extlib") + "/*", home.resolve("conf").toString()),
                "-Dstorm.home=" + home, "-Dstorm.log.dir=" + logs, "-Ddaemon.name=" + name,
                "-Dlogfile.name=" + name + ".log",
                "-Dlog4j.configurationFile=" + home.resolve("log4j2/cluster.xml"),
                main);
        return new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".out").toFile()))
                .start();
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Process process, Path home, String name, Condition ready) throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try {
                if (ready.holds()) {
                    return;
                }
            } catch (Exception e) {
                // not ready yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " at start; "
                        + lastLines(home, name));
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " was not ready within " + START_TIMEOUT.toSeconds() + " s; "
                        + lastLines(home, name));
            }
            Thread.sleep(200); // polling other processes: nothing to wait on
        }
    }

    private static String lastLines(Path home, String name) {
        Path log = home.resolve("logs").resolve(name + ".log");
        Path out = home.resolve("logs").resolve(name + ".out");
        Path which = Files.exists(log) ? log : out;
        return Files.exists(which) ? which + " ends with:\n" + LocalProcesses.tail(which, 15) : "no log in " + which.getParent();
    }

    private static int registeredSlots(Cluster cluster) throws Exception {
        return cluster.summary().get_supervisors().stream().mapToInt(SupervisorSummary::get_num_workers).sum();
    }

    /** {@code dir} holding a link to each jar of {@code classpath}, and nothing else. */
    private static void link(String classpath, Path dir) throws IOException {
        delete(dir);
        Files.createDirectories(dir);
        for (String entry : classpath.split(":")) {
            if (entry.isBlank()) {
                continue;
            }
            Path jar = Path.of(entry);
            Files.createSymbolicLink(dir.resolve(jar.getFileName()), jar.toAbsolutePath());
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
