package io.stormwatch.core.io;

import io.stormwatch.core.window.BlockPosition;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads lines from a TCP server, like Spark's {@code socketTextStream}, and hands them out in blocks:
 * {@code tail -f access.log | nc -lk 9999} or {@code stormwatch serve} on the other end.
 *
 * <p>A daemon thread connects to {@code host:port}, splits what it receives into lines with a
 * {@link LineReader} (bounded length, UTF-8 with replacement) and puts them into a bounded queue (capacity in
 * lines); when the queue is full the thread blocks, so it reads no faster than {@link #poll()} takes lines,
 * and TCP flow control slows the server down. When the server cannot be reached or closes the connection,
 * the thread connects again after a backoff that starts at {@code initialBackoffMillis} and doubles up to
 * {@code maxBackoffMillis}; it starts over at the initial delay after a connection that delivered lines.
 *
 * <p><b>Blocks.</b> {@link #poll()} returns the lines the queue holds now, up to the {@link BlockBounds}
 * (bytes counted as received, terminator included), all of one connection: a slow server gives one-line
 * blocks, a backlog full ones. A block's source is {@code socket:host:port#n}, n counting connections from
 * 1 since {@link #start()}; its offsets are the lines' sequence numbers within that connection, from 0, and
 * its next offset the last one's + 1, so a block is {@code [first, last + 1)}. New blocks are numbered
 * {@code 0, 1, 2, …} within the client's {@code epoch} ({@link BlockPosition}).
 *
 * <p><b>No replay.</b> A socket cannot be re-read and the client keeps no copy of the lines: a block that
 * {@linkplain #fail fails} is lost, and {@code fail} says how many lines were lost with it. The client only
 * remembers how many lines each in-flight block holds, to count losses and to know when a connection is
 * finished: once a connection is closed, all its lines were handed out and every block of it is acked or
 * failed, its source is offered by {@link #pollRetired()} (never for a connection that delivered nothing).
 * Example: connection #1 delivers {@code a b c} and closes; {@code poll()} gives {@code [0, 3)}; once it is
 * acked (or failed: 3 lines lost), {@code pollRetired()} gives {@code socket:host:port#1}. Lines still
 * queued when the client is closed are gone.
 *
 * <p>{@link #poll()}, {@link #ack}, {@link #fail}, {@link #pollRetired()} and {@link #close()} must be called
 * from one thread; the counters may be read from any.
 */
public final class SocketLineClient implements Closeable {

    /**
     * @param queueCapacity        lines received and not yet handed out, at most
     * @param maxLineLength        longer lines are cut (see {@link LineReader})
     * @param blocks               how large a block may grow
     * @param initialBackoffMillis first wait before connecting again
     * @param maxBackoffMillis     longest wait before connecting again
     */
    public record Settings(int queueCapacity, int maxLineLength, BlockBounds blocks, long initialBackoffMillis,
            long maxBackoffMillis) {

        public Settings {
            if (queueCapacity < 1) {
                throw new IllegalArgumentException("queue capacity must be positive, got " + queueCapacity);
            }
            if (blocks == null) {
                throw new IllegalArgumentException("block bounds are needed");
            }
            if (initialBackoffMillis <= 0 || maxBackoffMillis < initialBackoffMillis) {
                throw new IllegalArgumentException(
                        "need 0 < initial <= max backoff, got " + initialBackoffMillis + ", " + maxBackoffMillis);
            }
        }
    }

    /** A received line, or (text null) the end of its connection. */
    private record Received(String source, String text, long sequence, long bytes) {
        boolean endOfConnection() {
            return text == null;
        }
    }

    /** The in-flight blocks of one connection: line counts by first sequence number. */
    private static final class Connection {
        final Map<Long, Integer> blocks = new HashMap<>();
        boolean closed;
    }

    private static final Logger LOG = LoggerFactory.getLogger(SocketLineClient.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final String host;
    private final int port;
    private final Settings settings;
    private final long epoch;
    private final BlockingQueue<Received> queue;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong linesReceived = new AtomicLong();
    private final AtomicLong blocksEmitted = new AtomicLong();
    private final AtomicLong linesInFlight = new AtomicLong();
    private final AtomicLong linesLost = new AtomicLong();

    /** Connections with blocks handed out, until they are closed and have none in flight. */
    private final Map<String, Connection> emitting = new HashMap<>();
    private final Deque<String> retired = new ArrayDeque<>();

    private volatile boolean closed;
    private volatile boolean connected;
    private volatile Socket socket;
    private Thread reader;
    private Runnable onReceived = () -> {};

    /** @param epoch identifies this run of the client in the positions of its blocks */
    public SocketLineClient(String host, int port, Settings settings, long epoch) {
        this.host = host;
        this.port = port;
        this.settings = settings;
        this.epoch = epoch;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    }

    /** Starts the reading thread. */
    public synchronized void start() {
        start(() -> {});
    }

    /**
     * Starts the reading thread, which runs {@code onReceived} after it has queued each line (or a connection's
     * end): a consumer that waits for input can be woken rather than poll.
     */
    public synchronized void start(Runnable onReceived) {
        if (reader != null) {
            throw new IllegalStateException("already started");
        }
        this.onReceived = onReceived;
        reader = new Thread(this::run, "stormwatch-socket-" + host + ":" + port);
        reader.setDaemon(true);
        reader.start();
    }

    /** The lines of one connection waiting now, up to the bounds, as a block, or null when none waits. */
    public LineBlock poll() {
        Received first = queue.poll();
        while (first != null && first.endOfConnection()) {
            connectionEnded(first.source());
            first = queue.poll();
        }
        if (first == null) {
            return null;
        }
        BlockBuilder builder = new BlockBuilder(settings.blocks(), Integer.MAX_VALUE);
        builder.add(first.text(), first.sequence(), first.sequence() + 1, first.bytes());
        // One consumer: what peek() shows is what the following poll() takes.
        for (Received next; !builder.full() && (next = queue.peek()) != null
                && !next.endOfConnection() && next.source().equals(first.source()); ) {
            queue.poll();
            builder.add(next.text(), next.sequence(), next.sequence() + 1, next.bytes());
        }
        LineBlock block = builder.build(first.source(), BlockPosition.wholeUnreplayable(epoch, blocksEmitted.getAndIncrement()));
        emitting.computeIfAbsent(block.source(), s -> new Connection()).blocks.put(block.offset(), block.lineCount());
        linesInFlight.addAndGet(block.lineCount());
        return block;
    }

    /** The block of {@code source} at {@code offset} was processed; false when it is not in flight. */
    public boolean ack(String source, long offset) {
        return finished(source, offset) > 0;
    }

    /**
     * The block of {@code source} at {@code offset} failed and is lost: returns how many lines it held (0
     * when it is not in flight), which are added to {@link #linesLost()}.
     */
    public int fail(String source, long offset) {
        int lines = finished(source, offset);
        linesLost.addAndGet(lines);
        return lines;
    }

    /**
     * A connection's source that is closed and has no block in flight, or null; each once (see the class
     * comment).
     */
    public String pollRetired() {
        return retired.poll();
    }

    /** Connections made so far; the current or last one is number {@code connections()}. */
    public long connections() {
        return connections.get();
    }

    public long linesReceived() {
        return linesReceived.get();
    }

    /** Blocks handed out by {@link #poll()} so far: the next block's seq. */
    public long blocksEmitted() {
        return blocksEmitted.get();
    }

    /** Lines handed out and neither acked nor failed yet. */
    public long linesInFlight() {
        return linesInFlight.get();
    }

    /** Lines of failed blocks. */
    public long linesLost() {
        return linesLost.get();
    }

    public boolean connected() {
        return connected;
    }

    /**
     * Stops the thread and drops the connection, keeping the lines already received: {@link #poll()} still hands
     * them out. For a graceful stop: what came in is processed, nothing more comes.
     */
    public void stopReading() {
        closed = true;
        Socket current = socket;
        if (current != null) {
            closeQuietly(current);
        }
        Thread thread;
        synchronized (this) {
            thread = reader;
        }
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the thread and drops the connection; lines still queued are dropped. */
    @Override
    public void close() {
        stopReading();
        queue.clear();
    }

    /** Forgets the block and returns its line count, or 0 when it is not in flight. */
    private int finished(String source, long offset) {
        Connection connection = emitting.get(source);
        Integer lines = connection == null ? null : connection.blocks.remove(offset);
        if (lines == null) {
            return 0;
        }
        linesInFlight.addAndGet(-lines);
        retireIfDone(source, connection);
        return lines;
    }

    private void connectionEnded(String source) {
        Connection connection = emitting.get(source);
        if (connection != null) {
            connection.closed = true;
            retireIfDone(source, connection);
        }
    }

    private void retireIfDone(String source, Connection connection) {
        if (connection.closed && connection.blocks.isEmpty()) {
            emitting.remove(source);
            retired.add(source);
        }
    }

    private void run() {
        Backoff backoff = new Backoff(settings.initialBackoffMillis(), settings.maxBackoffMillis());
        boolean downReported = false;
        while (!closed) {
            Socket attempt = new Socket();
            socket = attempt;
            try {
                if (closed) {
                    break;
                }
                attempt.setKeepAlive(true);
                attempt.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
                long connection = connections.incrementAndGet();
                String source = "socket:" + host + ":" + port + "#" + connection;
                connected = true;
                downReported = false;
                LOG.info("connected to {}:{} ({})", host, port, source);
                long lines = receive(attempt, source);
                if (lines > 0) {
                    backoff.reset();
                }
                LOG.info("{} closed by the server after {} lines; reconnecting", source, lines);
            } catch (IOException e) {
                if (closed) {
                    break;
                }
                if (!downReported) {
                    LOG.warn("cannot read lines from {}:{} ({}); retrying every {} ms at most", host, port,
                            e.toString(), settings.maxBackoffMillis());
                    downReported = true;
                } else {
                    LOG.debug("still cannot read lines from {}:{} ({})", host, port, e.toString());
                }
            } catch (InterruptedException e) {
                break;
            } finally {
                connected = false;
                closeQuietly(attempt);
            }
            try {
                Thread.sleep(backoff.nextDelayMillis());
            } catch (InterruptedException e) {
                break;
            }
        }
        LOG.debug("socket reader for {}:{} stopped", host, port);
    }

    /**
     * Queues the lines of one connection, then its end; returns how many lines it delivered. A connection
     * that breaks (an IOException) ends too, so its source can be retired; one that delivered nothing has no
     * end to report.
     */
    private long receive(Socket connection, String source) throws IOException, InterruptedException {
        long sequence = 0;
        try {
            LineReader lines = new LineReader(connection.getInputStream(), settings.maxLineLength());
            for (LineReader.Line line; (line = lines.next()) != null; ) {
                queue.put(new Received(source, line.text(), sequence, line.end() - line.offset()));
                onReceived.run();
                sequence++;
                linesReceived.incrementAndGet();
            }
        } finally {
            if (sequence > 0 && !closed) {
                queue.put(new Received(source, null, sequence, 0));
                onReceived.run();
            }
        }
        return sequence;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing a socket we give up on: nothing to recover.
        }
    }
}
