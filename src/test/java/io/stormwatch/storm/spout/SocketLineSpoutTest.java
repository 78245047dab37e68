package io.stormwatch.storm.spout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

    @Test
    void emitsEachLineWithItsConnectionAndSequenceNumber() throws IOException {
        server = listen(0);
        int port = server.getLocalPort();
        connect(new SocketLineSpout("127.0.0.1", port));
        try (Socket client = server.accept()) {
            send(client, "first\r\nsecond\nthird\n");
            awaitLines(3);
        }
        String source = "socket:127.0.0.1:" + port + "#1";
        assertThat(harness.collector.lines()).extracting(e -> e.line(), e -> e.source(), e -> e.offset(),
                e -> e.nextOffset(), e -> e.messageId()).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("first", source, 0L, 1L, new LineMessageId(source, 0)),
                        org.assertj.core.groups.Tuple.tuple("second", source, 1L, 2L, new LineMessageId(source, 1)),
                        org.assertj.core.groups.Tuple.tuple("third", source, 2L, 3L, new LineMessageId(source, 2)));
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
        assertThat(harness.collector.lines()).extracting(e -> e.source(), e -> e.offset(), e -> e.nextOffset())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("socket:127.0.0.1:" + port + "#1", 0L, 1L),
                        org.assertj.core.groups.Tuple.tuple("socket:127.0.0.1:" + port + "#1", 1L, 2L),
                        org.assertj.core.groups.Tuple.tuple("socket:127.0.0.1:" + port + "#2", 0L, 1L));
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
        assertThat(harness.collector.lines().get(0).line()).isEqualTo("finally");
    }

    @Test
    void aFailedLineIsCountedAsLostAndNotReplayed() throws IOException {
        server = listen(0);
        connect(new SocketLineSpout("127.0.0.1", server.getLocalPort()));
        try (Socket client = server.accept()) {
            send(client, "x\ny\n");
            awaitLines(2);
        }
        harness.spout.fail(harness.collector.lines().get(0).messageId());
        harness.spout.ack(harness.collector.lines().get(1).messageId());
        harness.next(20);

        assertThat(harness.collector.lines()).hasSize(2);
        assertThat(harness.metrics.getTaskCounters(harness.context.getThisTaskId()).get("lines-lost").getCount())
                .isEqualTo(1);
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
        assertThat(harness.collector.lines()).extracting(e -> e.line()).isEqualTo(sent);
    }

    @Test
    void cutsOverlongLinesSoTheParserRejectsThem() throws IOException {
        server = listen(0);
        connect(new SocketLineSpout("127.0.0.1", server.getLocalPort()).withMaxLineLength(4));
        try (Socket client = server.accept()) {
            send(client, "abcdefghij\nok\n");
            awaitLines(2);
        }
        assertThat(harness.collector.lines()).extracting(e -> e.line()).containsExactly("abcde", "ok");
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
}
