package io.stormwatch.storm.spout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stormwatch.core.io.LineBlock;
import io.stormwatch.core.io.SocketLineClient;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.testing.CapturedLog;
import io.stormwatch.core.totals.OffsetSet;
import io.stormwatch.storm.Schema;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.logging.log4j.Level;
import org.apache.storm.Config;
import org.apache.storm.LocalCluster;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.TopologyBuilder;
import org.apache.storm.topology.base.BaseRichBolt;
import org.apache.storm.tuple.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A socket spout in a real topology: the server sends lines, goes away (the spout finds the port closed),
 * comes back on the same port and sends more; the spout reconnects, every line of both connections is
 * counted, the blocks of each connection touch (next offset of one = offset of the next: one range per
 * connection), each connection is retired once closed and acked, and the worker is still alive.
 * Tuples are really serialized, so the block classes must be registered with Kryo.
 */
class SocketLineSpoutIT {

    @TempDir
    Path dir;

    /**
     * Counts lines per source, and the ranges their blocks make, notes retired sources, and writes
     * {@code source count ranges} lines and {@code retired source} lines to a file after every tuple
     * (atomically, by rename).
     */
    static final class CountingBolt extends BaseRichBolt {
        private static final long serialVersionUID = 1L;
        private final String countsFile;
        private transient Map<String, Long> counts;
        private transient Map<String, OffsetSet> positions;
        private transient Set<String> retired;
        private transient OutputCollector collector;

        CountingBolt(Path countsFile) {
            this.countsFile = countsFile.toString();
        }

        @Override
        public void prepare(Map<String, Object> conf, TopologyContext context, OutputCollector collector) {
            this.counts = new TreeMap<>();
            this.positions = new TreeMap<>();
            this.retired = new TreeSet<>();
            this.collector = collector;
        }

        @Override
        public void execute(Tuple input) {
            String source = input.getStringByField(Schema.SOURCE);
            if (input.getSourceStreamId().equals(Schema.RETIRED_STREAM)) {
                retired.add(source);
            } else {
                LineBlock block = (LineBlock) input.getValueByField(Schema.BLOCK);
                counts.merge(source, (long) block.lineCount(), Long::sum);
                positions.computeIfAbsent(source, s -> new OffsetSet())
                        .add(input.getLongByField(Schema.OFFSET), input.getLongByField(Schema.NEXT_OFFSET));
            }
            String text = counts.entrySet().stream()
                    .map(e -> e.getKey() + "\t" + e.getValue() + "\t" + positions.get(e.getKey()).rangeCount())
                    .collect(Collectors.joining("\n", "", "\n"))
                    + retired.stream().map(s -> "retired\t" + s + "\n").collect(Collectors.joining());
            try {
                Path target = Path.of(countsFile);
                Path temp = target.resolveSibling(target.getFileName() + ".tmp");
                Files.writeString(temp, text);
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                collector.ack(input);
            } catch (IOException e) {
                collector.reportError(e);
                collector.fail(input);
            }
        }

        @Override
        public void declareOutputFields(OutputFieldsDeclarer declarer) {}
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        socket.setSoTimeout(60_000);
        return socket;
    }

    private static void send(Socket client, String prefix, int lines) {
        try {
            OutputStream out = client.getOutputStream();
            String text = IntStream.range(0, lines).mapToObj(i -> prefix + " " + i + "\n").collect(Collectors.joining());
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String counts(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file) : "";
    }

    @Test
    void reconnectsAfterTheServerWentAwayAndCountsEveryLine() throws Exception {
        Path countsFile = dir.resolve("counts.tsv");
        ServerSocket server = listen(0);
        int port = server.getLocalPort();
        String source = "socket:127.0.0.1:" + port + "#";

        TopologyBuilder builder = new TopologyBuilder();
        builder.setSpout("lines", new SocketLineSpout("127.0.0.1", port).withReconnectBackoffMillis(100, 1_000));
        builder.setBolt("count", new CountingBolt(countsFile))
                .shuffleGrouping("lines")
                .shuffleGrouping("lines", Schema.RETIRED_STREAM);
        Config conf = new Config();
        conf.setMaxSpoutPending(1_000);
        conf.put(Config.TOPOLOGY_TESTING_ALWAYS_TRY_SERIALIZE, true);
        List.of(LineBlock.class, BlockPosition.class, String[].class, long[].class).forEach(conf::registerSerialization);

        try (CapturedLog log = CapturedLog.attach(Level.INFO, SocketLineClient.class.getName());
                LocalCluster cluster = new LocalCluster()) {
            cluster.submitTopology("socket-it", conf, builder.createTopology());

            try (Socket first = server.accept()) {
                send(first, "before", 50);
                await().atMost(Duration.ofSeconds(60)).until(() -> counts(countsFile).contains(source + "1\t50\t1\n"));
            }
            server.close();
            // The server stays away until the spout has found it unreachable at least once.
            await().atMost(Duration.ofSeconds(60)).until(() -> log.lines().stream()
                    .anyMatch(m -> m.startsWith("cannot read lines from")));

            try (ServerSocket again = listen(port); Socket second = again.accept()) {
                send(second, "after", 70);
                await().atMost(Duration.ofSeconds(60)).until(() -> counts(countsFile).contains(source + "2\t70\t1\n"));
            }
            // Closed and acked, the second connection is retired too.
            await().atMost(Duration.ofSeconds(60)).until(() -> counts(countsFile).contains("retired\t" + source + "2\n"));

            assertThat(counts(countsFile)).isEqualTo(source + "1\t50\t1\n" + source + "2\t70\t1\n"
                    + "retired\t" + source + "1\n" + "retired\t" + source + "2\n");
            assertThat(cluster.getClusterInfo().get_topologies())
                    .singleElement()
                    .satisfies(t -> {
                        assertThat(t.get_name()).isEqualTo("socket-it");
                        assertThat(t.get_status()).isEqualTo("ACTIVE");
                    });
            cluster.killTopology("socket-it");
        }
    }
}
