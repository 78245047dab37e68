package io.stormwatch.core.io;

import io.stormwatch.core.log.AccessLogParser;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the lines of log files over TCP at a paced rate, the counterpart of {@link SocketLineClient} (and
 * of Spark's {@code socketTextStream}): what the Spark tutorial's {@code stream.sh} does with netcat.
 *
 * <p>Every client that connects gets the whole stream from the start, on its own thread: the lines of the
 * files in order (gzip files decompressed; each line ends with {@code \n}, encoded as UTF-8 by
 * {@link LineReader#encode}, so invalid UTF-8 stays invalid), paced at
 * {@code linesPerSecond} per client ({@code 0}: as fast as the client reads). With {@code loop} the files
 * are sent over and over until the client goes or the server is closed; without, the client's connection is
 * closed after the last line, and once one client has received everything the server accepts no more
 * clients and is {@linkplain #awaitDone done} when the clients still connected have finished.
 *
 * <p>Pacing: line {@code n} (from 0) is sent no earlier than {@code n / linesPerSecond} seconds after the
 * client connected; output is flushed whenever the sender is ahead of schedule, so at low rates every line
 * leaves at once and at high rates lines go out in buffer-sized batches.
 */
public final class LineServer implements Closeable {

    /** Told about clients; called from the clients' threads. */
    public interface Listener {
        void connected(String client);

        /** {@code complete}: the client received the whole stream; else it went away or the server closed. */
        void finished(String client, long linesSent, boolean complete);
    }

    private static final Logger LOG = LoggerFactory.getLogger(LineServer.class);

    private final InetAddress host;
    private final int requestedPort;
    private final List<Path> files;
    private final double linesPerSecond;
    private final boolean loop;
    private final Listener listener;

    private final Map<String, AtomicLong> active = new ConcurrentHashMap<>();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong totalSent = new AtomicLong();
    private final CountDownLatch done = new CountDownLatch(1);
    private ServerSocket server;
    private boolean deliveredOnce;
    private volatile boolean closed;

    public LineServer(InetAddress host, int port, List<Path> files, double linesPerSecond, boolean loop,
            Listener listener) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no file to serve");
        }
        if (linesPerSecond < 0) {
            throw new IllegalArgumentException("the rate must not be negative, got " + linesPerSecond);
        }
        this.host = host;
        this.requestedPort = port;
        this.files = List.copyOf(files);
        this.linesPerSecond = linesPerSecond;
        this.loop = loop;
        this.listener = listener;
    }

    /** Binds the port (0: any free one) and starts accepting clients. */
    public synchronized void start() throws IOException {
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(host, requestedPort));
        Thread acceptor = new Thread(this::acceptClients, "stormwatch-serve-accept");
        acceptor.setDaemon(true);
        threads.add(acceptor);
        acceptor.start();
    }

    /** The bound port. */
    public int port() {
        return server.getLocalPort();
    }

    /** Lines sent so far to each connected client, by client address, in connection order. */
    public Map<String, Long> linesSentByClient() {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        active.forEach((client, sent) -> snapshot.put(client, sent.get()));
        return snapshot;
    }

    public long totalLinesSent() {
        return totalSent.get();
    }

    /** Waits until the server is done (see class comment) or closed; false when the time ran out first. */
    public boolean awaitDone(long timeout, TimeUnit unit) throws InterruptedException {
        return done.await(timeout, unit);
    }

    /** Stops accepting, drops every client connection and waits (up to 5 s) for their threads to end. */
    @Override
    public void close() {
        List<Thread> running;
        synchronized (this) {
            closed = true;
            closeQuietly(server);
            sockets.forEach(LineServer::closeQuietly);
            running = new ArrayList<>(threads);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Thread thread : running) {
            thread.interrupt();
            try {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        done.countDown();
    }

    private void acceptClients() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed && !server.isClosed()) {
                    LOG.warn("cannot accept clients any more ({})", e.toString());
                }
                return;
            }
            synchronized (this) {
                if (closed || server.isClosed()) {
                    closeQuietly(client);
                    return;
                }
                String name = client.getRemoteSocketAddress().toString().replaceFirst("^[^/]*/", "");
                active.put(name, new AtomicLong());
                sockets.add(client);
                Thread sender = new Thread(() -> serve(client, name), "stormwatch-serve-" + name);
                sender.setDaemon(true);
                threads.add(sender);
                sender.start();
            }
        }
    }

    private void serve(Socket client, String name) {
        listener.connected(name);
        AtomicLong sent = active.get(name);
        boolean complete = false;
        try (client; OutputStream out = new BufferedOutputStream(client.getOutputStream(), 64 * 1024)) {
            Pacer pacer = new Pacer(linesPerSecond);
            do {
                for (Path file : files) {
                    try (LineReader lines = new LineReader(Inputs.open(file), AccessLogParser.DEFAULT_MAX_LINE_LENGTH)) {
                        for (LineReader.Line line; (line = lines.next()) != null; ) {
                            waitForTurn(pacer, sent.get(), out);
                            out.write(LineReader.encode(line.text())); // bad bytes stay bad
                            out.write('\n');
                            sent.incrementAndGet();
                            totalSent.incrementAndGet();
                        }
                    }
                }
            } while (loop && !closed);
            out.flush();
            complete = !closed;
        } catch (SocketException e) {
            LOG.debug("client {} went away ({})", name, e.toString());
        } catch (IOException e) {
            LOG.warn("cannot serve client {} ({})", name, e.toString());
        } catch (InterruptedException e) {
            LOG.debug("stopped serving {}", name);
        }
        finished(client, name, sent.get(), complete);
    }

    /** Blocks until line {@code index} is due, flushing what is buffered before waiting. */
    private void waitForTurn(Pacer pacer, long index, OutputStream out) throws IOException, InterruptedException {
        if (pacer.nanosUntil(index) > 0) {
            out.flush();
            pacer.await(index, () -> closed);
        }
    }

    private void finished(Socket client, String name, long linesSent, boolean complete) {
        boolean serverDone;
        synchronized (this) {
            active.remove(name);
            sockets.remove(client);
            threads.remove(Thread.currentThread());
            if (complete && !loop) {
                deliveredOnce = true;
                closeQuietly(server);
            }
            serverDone = deliveredOnce && active.isEmpty();
        }
        listener.finished(name, linesSent, complete);
        if (serverDone) {
            done.countDown();
        }
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            // Shutting down: nothing to do about a socket that does not close cleanly.
        }
    }
}
