package io.stormwatch.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads lines from a TCP server, like Spark's {@code socketTextStream}: {@code tail -f access.log | nc -lk
 * 9999} or {@code stormwatch serve} on the other end.
 *
 * <p>A daemon thread connects to {@code host:port}, splits what it receives into lines with a
 * {@link LineReader} (bounded length, UTF-8 with replacement) and puts them into a bounded queue; when the
 * queue is full the thread blocks, so it reads no faster than {@link #poll()} takes lines, and TCP flow
 * control slows the server down. When the server cannot be reached or closes the connection, the thread
 * connects again after a backoff that starts at {@code initialBackoffMillis} and doubles up to
 * {@code maxBackoffMillis}; it starts over at the initial delay after a connection that delivered lines.
 *
 * <p>Each line carries source {@code socket:host:port#n}, n counting connections from 1 since
 * {@link #start()}, offset = its sequence number within that connection, from 0, and next offset = that
 * number + 1. A socket cannot be
 * re-read: lines lost downstream, or still queued when the client is closed, are gone.
 *
 * <p>{@link #poll()} and {@link #close()} may be called from any one thread.
 */
public final class SocketLineClient implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(SocketLineClient.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final String host;
    private final int port;
    private final int maxLineLength;
    private final long initialBackoffMillis;
    private final long maxBackoffMillis;
    private final BlockingQueue<SourcedLine> queue;
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong linesReceived = new AtomicLong();

    private volatile boolean closed;
    private volatile boolean connected;
    private volatile Socket socket;
    private Thread reader;

    public SocketLineClient(String host, int port, int queueCapacity, int maxLineLength, long initialBackoffMillis,
            long maxBackoffMillis) {
        this.host = host;
        this.port = port;
        this.maxLineLength = maxLineLength;
        this.initialBackoffMillis = initialBackoffMillis;
        this.maxBackoffMillis = maxBackoffMillis;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
    }

    /** Starts the reading thread. */
    public synchronized void start() {
        if (reader != null) {
            throw new IllegalStateException("already started");
        }
        reader = new Thread(this::run, "stormwatch-socket-" + host + ":" + port);
        reader.setDaemon(true);
        reader.start();
    }

    /** The next received line, or null when none is waiting. */
    public SourcedLine poll() {
        return queue.poll();
    }

    /** Connections made so far; the current or last one is number {@code connections()}. */
    public long connections() {
        return connections.get();
    }

    public long linesReceived() {
        return linesReceived.get();
    }

    public boolean connected() {
        return connected;
    }

    /** Stops the thread and drops the connection; lines still queued are dropped. */
    @Override
    public void close() {
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
        queue.clear();
    }

    private void run() {
        Backoff backoff = new Backoff(initialBackoffMillis, maxBackoffMillis);
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
                            e.toString(), maxBackoffMillis);
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

    private long receive(Socket connection, String source) throws IOException, InterruptedException {
        LineReader lines = new LineReader(connection.getInputStream(), maxLineLength);
        long sequence = 0;
        for (LineReader.Line line; (line = lines.next()) != null; ) {
            queue.put(new SourcedLine(line.text(), source, sequence, sequence + 1));
            sequence++;
            linesReceived.incrementAndGet();
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
