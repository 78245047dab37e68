package io.stormwatch.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import io.stormwatch.core.window.BlockPosition;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link SocketLineClient} in blocks: what the queue holds, one connection per block, losses and retirement. */
class SocketLineClientTest {

    private static final long EPOCH = 1_700_000_000_000L;

    private ServerSocket server;
    private SocketLineClient client;
    private String source;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        source = "socket:127.0.0.1:" + server.getLocalPort() + "#";
    }

    @AfterEach
    void tearDown() throws IOException {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    private static ConditionFactory waiting() {
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5));
    }

    private SocketLineClient start(BlockBounds bounds) {
        client = new SocketLineClient("127.0.0.1", server.getLocalPort(),
                new SocketLineClient.Settings(1_000, 100, bounds, 20, 200), EPOCH);
        client.start();
        return client;
    }

    private static void send(Socket connection, String text) throws IOException {
        OutputStream out = connection.getOutputStream();
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Every block polled until none is left; call once the lines are all received. */
    private List<LineBlock> pollAll() {
        List<LineBlock> blocks = new ArrayList<>();
        for (LineBlock block; (block = client.poll()) != null; ) {
            blocks.add(block);
        }
        return blocks;
    }

    private static List<String> renders(List<LineBlock> blocks) {
        return blocks.stream().map(SocketLineClientTest::render).toList();
    }

    /** {@code "a@0 b@1 →2"}: each line's text and sequence number, then the block's next offset. */
    private static String render(LineBlock block) {
        return IntStream.range(0, block.lineCount()).mapToObj(i -> block.lines()[i] + "@" + block.offsets()[i])
                .collect(Collectors.joining(" ", "", " →" + block.nextOffset()));
    }

    @Test
    void aBlockIsWhatTheQueueHoldsUpToTheBoundsInSequenceNumbers() throws IOException {
        start(new BlockBounds(3, 1 << 20));
        try (Socket connection = server.accept()) {
            send(connection, "a\r\nb\nc\nd\ne\n");
            waiting().until(() -> client.linesReceived() == 5);
            List<LineBlock> blocks = pollAll();
            assertThat(blocks).extracting(SocketLineClientTest::render, LineBlock::source, LineBlock::position)
                    .containsExactly(tuple("a@0 b@1 c@2 →3", source + 1, BlockPosition.wholeUnreplayable(EPOCH, 0)),
                            tuple("d@3 e@4 →5", source + 1, BlockPosition.wholeUnreplayable(EPOCH, 1)));
            assertThat(client.blocksEmitted()).isEqualTo(2);
            assertThat(client.linesInFlight()).isEqualTo(5);

            send(connection, "f\n");
            waiting().until(() -> client.linesReceived() == 6);
            assertThat(renders(pollAll())).containsExactly("f@5 →6");
        }
    }

    /** A consumer can sleep until input comes: the reader calls back once each line or end is in the queue. */
    @Test
    void theReaderCallsBackAfterQueueingEachLineAndTheConnectionsEnd() throws IOException {
        AtomicInteger callbacks = new AtomicInteger();
        client = new SocketLineClient("127.0.0.1", server.getLocalPort(),
                new SocketLineClient.Settings(1_000, 100, BlockBounds.DEFAULT, 20, 200), EPOCH);
        client.start(callbacks::incrementAndGet);
        try (Socket connection = server.accept()) {
            send(connection, "a\nb\n");
            waiting().until(() -> callbacks.get() == 2);
            assertThat(renders(pollAll())).containsExactly("a@0 b@1 →2");
        }
        waiting().until(() -> callbacks.get() == 3);
        assertThat(client.poll()).isNull(); // the end of the connection, not a block
    }

    /** Bytes count as received, terminator included: here 5 per line. */
    @Test
    void blocksStopAtTheLineThatReachesTheByteBound() throws IOException {
        start(new BlockBounds(100, 10));
        try (Socket connection = server.accept()) {
            send(connection, "aaaa\nbbbb\ncccc\n");
            waiting().until(() -> client.linesReceived() == 3);
            assertThat(renders(pollAll()))
                    .containsExactly("aaaa@0 bbbb@1 →2", "cccc@2 →3");
        }
    }

    @Test
    void aBlockNeverHoldsLinesOfTwoConnections() throws IOException {
        start(BlockBounds.DEFAULT);
        try (Socket first = server.accept()) {
            send(first, "a\nb\n");
            waiting().until(() -> client.linesReceived() == 2);
        }
        try (Socket second = server.accept()) {
            send(second, "c\n");
            waiting().until(() -> client.linesReceived() == 3);
            assertThat(pollAll()).extracting(SocketLineClientTest::render, LineBlock::source)
                    .containsExactly(tuple("a@0 b@1 →2", source + 1), tuple("c@0 →1", source + 2));
        }
    }

    @Test
    void aFailedBlockIsLostAndCountedPerLine() throws IOException {
        start(BlockBounds.DEFAULT);
        try (Socket connection = server.accept()) {
            send(connection, "x\ny\nz\n");
            waiting().until(() -> client.linesReceived() == 3);
            LineBlock block = client.poll();
            assertThat(block.lineCount()).isEqualTo(3);

            assertThat(client.fail(block.source(), block.offset())).isEqualTo(3);
            assertThat(client.fail(block.source(), block.offset())).as("not in flight any more").isZero();
            assertThat(client.ack(block.source(), block.offset())).isFalse();
            assertThat(client.linesLost()).isEqualTo(3);
            assertThat(client.linesInFlight()).isZero();
            assertThat(client.poll()).as("nothing is replayed").isNull();
        }
    }

    @Test
    void aClosedConnectionIsRetiredOnceNoneOfItsBlocksIsInFlight() throws IOException {
        start(new BlockBounds(2, 1 << 20));
        try (Socket first = server.accept()) {
            send(first, "a\nb\nc\n");
            waiting().until(() -> client.linesReceived() == 3);
        }
        List<LineBlock> blocks = pollAll();
        assertThat(renders(blocks)).containsExactly("a@0 b@1 →2", "c@2 →3");
        // The reader queues the end of a connection before it connects again (the server's backlog accepts).
        waiting().until(() -> client.connections() == 2);
        assertThat(client.poll()).as("only the end of connection 1 is queued").isNull();
        assertThat(client.pollRetired()).as("its blocks are in flight").isNull();

        assertThat(client.ack(source + 1, 0)).isTrue();
        assertThat(client.pollRetired()).isNull();
        client.fail(source + 1, 2);
        assertThat(client.pollRetired()).isEqualTo(source + 1);
        assertThat(client.pollRetired()).isNull();
    }

    @Test
    void aConnectionAckedBeforeItClosesIsRetiredWhenItsEndIsPolled() throws IOException {
        start(BlockBounds.DEFAULT);
        Socket first = server.accept();
        send(first, "a\n");
        waiting().until(() -> client.linesReceived() == 1);
        LineBlock block = client.poll();
        client.ack(block.source(), block.offset());
        assertThat(client.pollRetired()).as("still open").isNull();

        first.close();
        waiting().until(() -> {
            client.poll();
            return client.pollRetired() != null;
        });
    }
}
