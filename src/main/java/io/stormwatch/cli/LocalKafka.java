package io.stormwatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one JVM) on 127.0.0.1, for users who have none
 * ({@code stormwatch kafka up|down|status}) and for the Kafka ITs: one piece of code for both.
 *
 * <p>The broker runs in a JVM of its own, from the Maven artifacts of {@code org.apache.kafka:kafka_2.13} listed
 * by {@code build-support/kafka-broker/pom.xml}: its jars clash with Storm's, so they are neither on stormwatch's
 * classpath nor in the topology jar. Their classpath is written once to
 * {@code target/kafka-broker-classpath.txt} by Maven ({@link #classpath}), as {@code target/storm-classpath.txt}
 * is for Storm's jars.
 *
 * <p>Everything of one broker lives in its directory: {@code server.properties} (every replication factor and
 * min ISR 1, {@code group.initial.rebalance.delay.ms=0}, listeners on 127.0.0.1), {@code data/} (logs and
 * metadata; formatted on the first start, kept across restarts), {@code broker.log} (its output, kept),
 * {@code broker.pid} and {@code bootstrap} ({@code 127.0.0.1:PORT}) while it runs. A directory whose broker runs
 * refuses a second start. The broker outlives the command that started it; {@link #down} stops it (SIGTERM, then
 * SIGKILL after 30 s).
 */
public final class LocalKafka {

    /** A running broker. */
    public record Broker(Path dir, int port, long pid) {
        public String bootstrap() {
            return "127.0.0.1:" + port;
        }
    }

    /** The classpath file, relative to the project root. */
    static final String CLASSPATH_FILE = "target/kafka-broker-classpath.txt";
    static final String BROKER_POM = "build-support/kafka-broker/pom.xml";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private LocalKafka() {}

    /**
     * Starts a broker in {@code dir} and waits until it accepts connections.
     *
     * @param port the client port, or 0 for a free one
     * @param root the project root (where {@value #BROKER_POM} is)
     * @throws IllegalStateException when a broker of {@code dir} runs already, or the broker did not start (the
     *                               message ends with the last lines of its log)
     */
    public static Broker up(Path dir, int port, Path root) throws IOException, InterruptedException {
        Optional<Broker> running = status(dir);
        if (running.isPresent()) {
            throw new IllegalStateException("a broker of " + dir + " runs already at " + running.get().bootstrap()
                    + " (pid " + running.get().pid() + ")");
        }
        Files.createDirectories(dir);
        String classpath = classpath(root);
        int clientPort = port == 0 ? LocalProcesses.freePort() : port;
        int controllerPort = LocalProcesses.freePort();
        Path data = dir.resolve("data").toAbsolutePath();
        Path properties = dir.resolve("server.properties");
        Files.writeString(properties, String.join("\n",
                "# Written by stormwatch (LocalKafka): a single-node KRaft broker for development and tests.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + data,
                "num.partitions=1",
                "default.replication.factor=1",
                "min.insync.replicas=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "") + "\n");
        Files.writeString(dir.resolve("log4j2.properties"), String.join("\n",
                "rootLogger.level=INFO",
                "rootLogger.appenderRef.out.ref=out",
                "appender.out.type=Console",
                "appender.out.name=out",
                "appender.out.layout.type=PatternLayout",
                "appender.out.layout.pattern=[%d] %p %m (%c)%n",
                "logger.state.name=state.change.logger",
                "logger.state.level=WARN",
                "") + "\n");
        Path log = dir.resolve("broker.log");
        if (!Files.exists(data.resolve("meta.properties"))) {
            // The controller's port changes from start to start; the quorum is this node alone either way.
            LocalProcesses.run(List.of(LocalProcesses.java(), "-cp", classpath,
                    "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                    "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c",
                    properties.toString(), "--standalone"), log);
        }
        List<String> command = new ArrayList<>(List.of(LocalProcesses.java(), "-Xmx512m", "-XX:+UseG1GC", "-cp", classpath,
                "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"),
                "-Dkafka.logs.dir=" + dir.toAbsolutePath(), "kafka.Kafka", properties.toString()));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!LocalProcesses.accepts(clientPort)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited with " + process.exitValue() + " at start; "
                        + log + " ends with:\n" + LocalProcesses.tail(log, 15));
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("the broker did not accept connections within "
                        + START_TIMEOUT.toSeconds() + " s; " + log + " ends with:\n" + LocalProcesses.tail(log, 15));
            }
            Thread.sleep(100); // polling a port of another process: nothing to wait on
        }
        Broker broker = new Broker(dir, clientPort, process.pid());
        Files.writeString(dir.resolve("broker.pid"), process.pid() + "\n");
        Files.writeString(dir.resolve("bootstrap"), broker.bootstrap() + "\n");
        return broker;
    }

    /** The broker of {@code dir} if it runs (its process is alive). */
    public static Optional<Broker> status(Path dir) throws IOException {
        Path pidFile = dir.resolve("broker.pid");
        Path bootstrapFile = dir.resolve("bootstrap");
        if (!Files.exists(pidFile) || !Files.exists(bootstrapFile)) {
            return Optional.empty();
        }
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        String bootstrap = Files.readString(bootstrapFile).trim();
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return Optional.of(new Broker(dir, Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1)), pid));
        }
        return Optional.empty();
    }

    /**
     * Stops the broker of {@code dir}: SIGTERM (a clean shutdown), then SIGKILL if it still runs after 30 s.
     * Its data and log stay.
     *
     * @return the broker that was stopped, or empty when none ran
     */
    public static Optional<Broker> down(Path dir) throws IOException, InterruptedException {
        Optional<Broker> broker = status(dir);
        broker.ifPresent(b -> LocalProcesses.stop(b.pid(), STOP_TIMEOUT));
        Files.deleteIfExists(dir.resolve("broker.pid"));
        Files.deleteIfExists(dir.resolve("bootstrap"));
        return broker;
    }

    /**
     * The broker's classpath: {@value #CLASSPATH_FILE} under {@code root}, written by Maven from
     * {@value #BROKER_POM} when missing or older than that POM (the first time, Maven may download the broker's
     * artifacts).
     */
    public static String classpath(Path root) throws IOException, InterruptedException {
        return LocalProcesses.mavenClasspath(root, BROKER_POM, CLASSPATH_FILE);
    }

    /** The project root: {@code stormwatch.home} (set by {@code bin/stormwatch}), else the working directory. */
    public static Path projectRoot() {
        return Path.of(System.getProperty("stormwatch.home", "")).toAbsolutePath();
    }
}
