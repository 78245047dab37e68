package io.stormwatch.storm.spout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.stormwatch.core.io.BlockBounds;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.spout.RecordingSpoutOutputCollector.EmittedLine;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.storm.topology.OutputFieldsGetter;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SocketLineSpoutTest {

    private ServerSocket server;
    private SpoutHarness<SocketLineSpout> harness;

    @AfterEach
    void tearDown() throws IOException {
        if (harness != null) {
            harness.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private static ConditionFactory waiting() {
        return await().atMost(Duration.ofSeconds(20)).pollInSameThread().pollInterval(Duration.ofMillis(5));
    }

    private ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        return socket;
    }

    private SpoutHarness<SocketLineSpout> connect(SocketLineSpout spout) {
        harness = SpoutHarness.open(spout.withReconnectBackoffMillis(20, 200));
        return harness;
    }

    private static void send(Socket client, String text) {
        try {
            OutputStream out = client.getOutputStream();
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Calls nextTuple until {@code count} lines were emitted. */
    private void awaitLines(int count) {
        waiting().until(() -> harness.nextUntil(() -> harness.collector.lines().size() >= count, 1000));
        assertThat(harness.collector.lines()).hasSize(count);
    }

    /** Waits until the spout's reader has received {@code count} lines, so that the next block holds them all. */
    private void awaitReceived(long count) {
        waiting().until(() -> (Long) harness.gauge("lines-received") >= count);
    }

    @Test
    void emitsWhatWasReceivedAsBlocksWithTheConnectionAndSequenceNumbers() throws IOException {
        server = listen(0);
        int port = server.getLocalPort();
        connect(new SocketLineSpout("127.0.0.1", port).withBlockBounds(new BlockBounds(2, 1 << 20)));
        try (Socket client = server.accept()) {
            send(client, "first\r\nsecond\nthird\n");
            awaitReceived(3);
            awaitLines(3);
        }
        String source = "socket:127.0.0.1:" + port + "#1";
        assertThat(harness.collector.blocks())
                .extracting(e -> e.texts(), e -> e.source(), e -> e.offset(), e -> e.nextOffset(), e -> e.messageId())
                .containsExactly(
                        tuple(List.of("first", "second"), source, 0L, 2L, new BlockMessageId(source, 0)),
                        tuple(List.of("third"), source, 2L, 3L, new BlockMessageId(source, 2)));
        assertThat(harness.collector.lines()).containsExactly(new EmittedLine("first", source, 0, 1),
                new EmittedLine("second", source, 1, 2), new EmittedLine("third", source, 2, 3));
        assertThat(harness.collector.blocks()).extracting(e -> e.position().seq()).containsExactly(0L, 1L);
        assertThat(harness.gauge("blocks-emitted")).isEqualTo(2L);
    }

    @Test
    void reconnectsWhenTheServerClosesAndNumbersTheNewConnection() throws IOException {
        server = listen(0);
        int port = server.getLocalPort();
        connect(new SocketLineSpout("127.0.0.1", port));
        try (Socket first = server.accept()) {
            send(first, "a\nb\n");
            awaitLines(2);
        }
        try (Socket second = server.accept()) {
            send(second, "c\n");
            awaitLines(3);
        }
        assertThat(harness.collector.lines()).extracting(EmittedLine::source, EmittedLine::offset, EmittedLine::end)
                .containsExactly(
                        tuple("socket:127.0.0.1:" + port + "#1", 0L, 1L),
                        tuple("socket:127.0.0.1:" + port + "#1", 1L, 2L),
                        tuple("socket:127.0.0.1:" + port + "#2", 0L, 1L));
        assertThat(harness.collector.blocks()).extracting(e -> e.source()).as("no block spans two connections")
                .containsOnly("socket:127.0.0.1:" + port + "#1", "socket:127.0.0.1:" + port + "#2")
                .hasSizeBetween(2, 3);
        assertThat(harness.gauge("connections")).isEqualTo(2L);
    }

    @Test
    void keepsTryingUntilTheServerComesUp() throws IOException {
        int port;
        try (ServerSocket probe = listen(0)) {
            port = probe.getLocalPort();
        }
        connect(new SocketLineSpout("127.0.0.1", port));
        harness.next(10);
        assertThat(harness.collector.emits).isEmpty();
        assertThat(harness.gauge("connected")).isEqualTo(0);

        server = listen(port);
        try (Socket client = server.accept()) {
            send(client, "finally\n");
            awaitLines(1);
        }
        assertThat(harness.collector.texts()).containsExactly("finally");
    }

    @Test
    void aFailedBlockIsCountedAsLostPerLineAndNotReplayed() throws IOException {
        server = listen(0);
        connect(new SocketLineSpout("127.0.0.1", server.getLocalPort()).withBlockBounds(new BlockBounds(2, 1 << 20)));
        try (Socket client = server.accept()) {
            send(client, "x\ny\nz\n");
            awaitReceived(3);
            awaitLines(3);
        }
        harness.fail(0);
        harness.ack(1);
        harness.fail(0);   // a second fail of the same block loses nothing more
        harness.next(20);

        assertThat(harness.collector.lines()).hasSize(3);
        assertThat(harness.metrics.getTaskCounters(harness.context.getThisTaskId()).get("lines-lost").getCount())
                .isEqualTo(2);
        assertThat(harness.gauge("lines-in-flight")).isEqualTo(0L);
    }

    @Test
    void aClosedConnectionIsRetiredOnceItsBlocksAreAckedOrFailed() throws IOException {
        server = listen(0);
        int port = server.getLocalPort();
        connect(new SocketLineSpout("127.0.0.1", port).withBlockBounds(new BlockBounds(1, 1 << 20)));
        try (Socket client = server.accept()) {
            send(client, "a\nb\n");
            awaitLines(2);
        }
        // The reader queues the end of the connection before it connects again (the server's backlog accepts).
        waiting().until(() -> (Long) harness.gauge("connections") == 2);
        harness.next(5);
        assertThat(harness.collector.retired()).as("its blocks are in flight").isEmpty();

        harness.ack(0);
        harness.next(5);
        assertThat(harness.collector.retired()).isEmpty();
        harness.fail(1);
        harness.next(5);
        assertThat(harness.collector.retired()).containsExactly("socket:127.0.0.1:" + port + "#1");
        assertThat(harness.collector.emits.stream().filter(e -> e.stream().equals(Schema.RETIRED_STREAM)))
                .singleElement().satisfies(e -> assertThat(e.messageId()).as("unanchored").isNull());
    }

    @Test
    void theReaderStopsReadingWhileTheQueueIsFull() throws IOException {
        server = listen(0);
        connect(new SocketLineSpout("127.0.0.1", server.getLocalPort()).withQueueCapacity(5));
        List<String> sent = IntStream.range(0, 200).mapToObj(i -> "line " + i).toList();
        try (Socket client = server.accept()) {
            send(client, String.join("\n", sent) + "\n");
            waiting().until(() -> (Long) harness.gauge("lines-received") >= 5);
            // Received = queued (5) plus at most the one the blocked reader holds.
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> (Long) harness.gauge("lines-received") <= 6);

            awaitLines(200);
        }
        assertThat(harness.collector.texts()).isEqualTo(sent);
    }

    @Test
    void cutsOverlongLinesSoTheParserRejectsThem() throws IOException {
        server = listen(0);
        connect(new SocketLineSpout("127.0.0.1", server.getLocalPort()).withMaxLineLength(4));
        try (Socket client = server.accept()) {
            send(client, "abcdefghij\nok\n");
            awaitLines(2);
        }
        assertThat(harness.collector.texts()).containsExactly("abcde", "ok");
    }

    @Test
    void closeStopsTheReaderThread() throws IOException {
        server = listen(0);
        int port = server.getLocalPort();
        connect(new SocketLineSpout("127.0.0.1", port));
        try (Socket client = server.accept()) {
            harness.close();
            harness = null;
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().equals("stormwatch-socket-127.0.0.1:" + port));
    }

    @Test
    void declaresTheBlockEndOfInputAndRetiredStreams() {
        OutputFieldsGetter declared = new OutputFieldsGetter();
        new SocketLineSpout("127.0.0.1", 1).declareOutputFields(declared);
        assertThat(declared.getFieldsDeclaration().get("default").get_output_fields())
                .isEqualTo(Schema.BLOCK_FIELDS.toList());
        assertThat(declared.getFieldsDeclaration().get(Schema.END_OF_INPUT_STREAM).get_output_fields())
                .isEqualTo(Schema.END_OF_INPUT_FIELDS.toList());
        assertThat(declared.getFieldsDeclaration().get(Schema.RETIRED_STREAM).get_output_fields())
                .isEqualTo(Schema.RETIRED_FIELDS.toList());
    }
}
