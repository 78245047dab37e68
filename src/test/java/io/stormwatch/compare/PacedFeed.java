package io.stormwatch.compare;

import io.stormwatch.core.io.Pacer;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The paced input of a live comparison run: a TCP server on 127.0.0.1 that, once the engine's clients are
 * connected (Structured Streaming opens one per query), sends every client the same lines at a fixed rate
 * ({@link Pacer}: line {@code i} is due {@code i / rate} s after the start) and records, for each line, the
 * {@link System#nanoTime()} at which it was handed to the sockets — the clock {@link ProgressReceiver} stamps
 * arrivals with. Buffered output is flushed whenever the feed is ahead of schedule, so at low rates every line
 * leaves at once. An engine that reads slower than the rate pushes back through TCP: the feed then falls behind
 * and the achieved rate ({@link #achievedRate}) says so. Connections stay open until {@link #close}.
 */
final class PacedFeed implements Closeable {

    private final ServerSocket server;
    private final List<Socket> clients = new ArrayList<>();
    private final List<OutputStream> outs = new ArrayList<>();
    private long[] writeNanos = new long[0];
    private int written;
    private long startNanos;
    private long endNanos;
    private long wallOffsetMillis;

    PacedFeed() throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    int port() {
        return server.getLocalPort();
    }

    /** The source spec engines read from. */
    String spec() {
        return "socket:127.0.0.1:" + port();
    }

    /**
     * Accepts up to {@code expected} clients: waits {@code firstMillis} for the first (the engine's start-up),
     * then {@code restMillis} for each further one.
     *
     * @param alive false once the engine died (the wait then ends)
     * @return how many connected
     */
    int awaitClients(int expected, long firstMillis, long restMillis, BooleanSupplier alive) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(firstMillis);
        while (clients.size() < expected && alive.getAsBoolean()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            server.setSoTimeout((int) Math.min(left, 500));
            try {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                clients.add(client);
                outs.add(new BufferedOutputStream(client.getOutputStream(), 64 * 1024));
                deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(restMillis);
            } catch (SocketTimeoutException e) {
                // check the engine and the deadline again
            }
        }
        return clients.size();
    }

    /**
     * Sends {@code count} lines at {@code rate} lines/s to every connected client, stamping each line.
     *
     * @param stop checked between lines: true ends the feed early (the engine died)
     * @return lines sent
     */
    int send(LiveLines lines, double rate, int count, BooleanSupplier stop) throws InterruptedException {
        writeNanos = new long[count];
        Pacer pacer = new Pacer(rate);
        startNanos = System.nanoTime();
        wallOffsetMillis = System.currentTimeMillis() - startNanos / 1_000_000;
        for (int i = 0; i < count && !outs.isEmpty(); i++) {
            if (pacer.nanosUntil(i) > 0) {
                flushAll();
                try {
                    pacer.await(i, stop);
                } catch (InterruptedException e) {
                    if (!stop.getAsBoolean()) {
                        throw e;
                    }
                    break;
                }
            }
            long now = System.nanoTime();
            writeNanos[i] = now;
            byte[] line = lines.next(wallOffsetMillis + now / 1_000_000);
            for (Iterator<OutputStream> it = outs.iterator(); it.hasNext(); ) {
                OutputStream out = it.next();
                try {
                    out.write(line);
                    out.write('\n');
                } catch (IOException e) {
                    it.remove(); // that client is gone; the others go on
                }
            }
            written = i + 1;
            if ((i & 1023) == 0 && stop.getAsBoolean()) {
                break;
            }
        }
        flushAll();
        endNanos = System.nanoTime();
        return written;
    }

    private void flushAll() {
        for (Iterator<OutputStream> it = outs.iterator(); it.hasNext(); ) {
            try {
                it.next().flush();
            } catch (IOException e) {
                it.remove();
            }
        }
    }

    /** Stamps of the lines sent, {@code [0, written)}. */
    long[] writeNanos() {
        return java.util.Arrays.copyOf(writeNanos, written);
    }

    /** Lines per second over the whole feed. */
    double achievedRate() {
        return written <= 1 ? 0 : (written - 1) * 1e9 / (endNanos - startNanos);
    }

    long startNanos() {
        return startNanos;
    }

    /** Wall-clock ms of a {@link System#nanoTime()} reading, as the lines' time fields were stamped. */
    long wallMillis(long nanos) {
        return wallOffsetMillis + nanos / 1_000_000;
    }

    @Override
    public void close() {
        for (Socket client : clients) {
            try {
                client.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
