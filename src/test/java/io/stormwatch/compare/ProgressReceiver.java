package io.stormwatch.compare;

import io.stormwatch.core.probe.ProgressMessage;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of {@code progress:HOST:PORT} outputs: accepts any number of connections from one engine
 * (a JVM may open one per sender) and stamps every message with {@link System#nanoTime()} as it arrives, on
 * the same clock {@link PacedFeed} stamps lines with. Keeps the counts that raised the highest count seen
 * (a count is cumulative) and every window end. Thread-safe.
 */
final class ProgressReceiver implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressReceiver.class);

    private final ServerSocket server;
    private final List<Socket> sockets = new ArrayList<>();
    private long[] countNanos = new long[1024];
    private long[] counts = new long[1024];
    private int size;
    private final List<long[]> windows = new ArrayList<>();
    private long malformed;
    private volatile boolean closed;

    ProgressReceiver() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(this::accept, "compare-progress-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The output spec engines report to. */
    String spec() {
        return "progress:127.0.0.1:" + port();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                synchronized (this) {
                    sockets.add(socket);
                }
                Thread reader = new Thread(() -> read(socket), "compare-progress-read");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("progress receiver stopped accepting: {}", e.toString());
                }
                return;
            }
        }
    }

    private void read(Socket socket) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                long now = System.nanoTime();
                try {
                    record(ProgressMessage.parse(line), now);
                } catch (IllegalArgumentException e) {
                    synchronized (this) {
                        malformed++;
                    }
                }
            }
        } catch (IOException e) {
            // the engine went away: what it sent is kept
        }
    }

    synchronized void record(ProgressMessage message, long nanos) {
        if (message.kind() == ProgressMessage.WINDOW) {
            windows.add(new long[] {nanos, message.value()});
        } else if (size == 0 || message.value() > counts[size - 1]) {
            if (size == counts.length) {
                counts = Arrays.copyOf(counts, size * 2);
                countNanos = Arrays.copyOf(countNanos, size * 2);
            }
            counts[size] = message.value();
            countNanos[size] = nanos;
            size++;
        }
    }

    /** The highest count so far (0 before any). */
    synchronized long count() {
        return size == 0 ? 0 : counts[size - 1];
    }

    /** Arrival times and counts of every count that raised the highest, in arrival order. */
    synchronized Arrivals arrivals() {
        return new Arrivals(Arrays.copyOf(countNanos, size), Arrays.copyOf(counts, size));
    }

    /** {@code {arrival nanos, window end ms}} of every window result, in arrival order. */
    synchronized List<long[]> windows() {
        return List.copyOf(windows);
    }

    synchronized long malformed() {
        return malformed;
    }

    /** Arrival nanos and the count each brought; both increasing. */
    record Arrivals(long[] nanos, long[] counts) {}

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
        synchronized (this) {
            for (Socket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }
}
