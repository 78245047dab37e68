package io.stormwatch.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.cli.LocalKafka;
import io.stormwatch.cli.StormwatchCli;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real single-node Kafka broker (KRaft) for tests, on a free port of 127.0.0.1, in a JVM of its own: the one
 * {@code stormwatch kafka up} starts ({@link LocalKafka}). {@link #stop} and {@link #restart} take it down and
 * bring it back on the same port with its data, for tests of a broker that is down. Records go in through
 * {@code stormwatch produce} ({@link #produce}).
 */
public final class KafkaServer implements AutoCloseable {

    private final Path dir;
    private final int port;

    private KafkaServer(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a broker (its first start formats its storage: a few seconds). */
    public static KafkaServer start() throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        KafkaServer server = new KafkaServer(Files.createTempDirectory("stormwatch-kafka-test"), port);
        server.restart();
        return server;
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** Stops the broker (clean shutdown); its data stays for {@link #restart}. */
    public void stop() throws IOException, InterruptedException {
        LocalKafka.down(dir);
    }

    /** Starts the broker again on the same port, with its data. */
    public void restart() throws IOException, InterruptedException {
        LocalKafka.up(dir, port, Path.of("").toAbsolutePath());
    }

    /** {@code stormwatch produce}: the files' lines into {@code topic}, created with {@code partitions} if missing. */
    public void produce(String topic, int partitions, Path... files) {
        produce(topic, partitions, 0, files);
    }

    /** {@code stormwatch produce --rate}: as {@link #produce(String, int, Path...)}, {@code rate} lines a second (0: at once). */
    public void produce(String topic, int partitions, double rate, Path... files) {
        List<String> args = new ArrayList<>(List.of("produce", "--bootstrap", bootstrap(), "--topic", topic,
                "--partitions", String.valueOf(partitions), "--rate", String.valueOf(rate)));
        for (Path file : files) {
            args.add(file.toString());
        }
        assertThat(StormwatchCli.run(args.toArray(new String[0]))).as("stormwatch produce exit code").isZero();
    }

    /** Stops the broker and deletes its directory (data and log). */
    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
