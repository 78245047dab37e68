package io.stormwatch.core.probe;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends {@link ProgressMessage}s to a {@code progress:HOST:PORT} receiver without slowing the job that reports
 * them: {@link #count} and {@link #window} only store the news and wake a daemon thread of this sender, which
 * writes it and flushes. Counts are coalesced — when the job reports faster than the socket takes them, only the
 * latest count is sent (a count is cumulative, so nothing is lost); window ends are all sent, in order.
 *
 * <p>One sender per address and JVM ({@link #to}), shared by every task of the job in that JVM; it connects
 * on first use and, if the receiver is gone, drops messages (logged once) — a probe never fails a job. The
 * CPU time of its thread, the probe's own cost, is logged when the JVM ends.
 */
public final class ProgressSender implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ProgressSender.class);
    private static final Map<ProgressMessage.Address, ProgressSender> SENDERS = new ConcurrentHashMap<>();

    private final ProgressMessage.Address address;
    private final ArrayDeque<Long> windows = new ArrayDeque<>();
    private final Thread thread;
    private long latestCount = -1;
    private long sentCount = -1;
    private long messages;
    private boolean closed;
    private volatile long cpuNanos;

    private ProgressSender(ProgressMessage.Address address) {
        this.address = address;
        this.thread = new Thread(this::run, "stormwatch-progress-" + address.port());
        thread.setDaemon(true);
        thread.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LOG.info(
                "progress probe to {}:{}: {} messages, {} ms CPU on its thread", address.host(), address.port(),
                messages(), cpuNanos / 1_000_000)));
    }

    /** The sender of this JVM for {@code address}, started on first use. */
    public static ProgressSender to(ProgressMessage.Address address) {
        return SENDERS.computeIfAbsent(address, ProgressSender::new);
    }

    /** The job has counted {@code lines} lines so far (never less than reported before). */
    public synchronized void count(long lines) {
        if (lines > latestCount) {
            latestCount = lines;
            notifyAll();
        }
    }

    /** A window result ending at {@code endMillis} was written out. */
    public synchronized void window(long endMillis) {
        if (closed) {
            return; // the receiver is gone: nothing will send it
        }
        windows.add(endMillis);
        notifyAll();
    }

    public synchronized long messages() {
        return messages;
    }

    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    private void run() {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        try (Socket socket = new Socket(address.host(), address.port());
                Writer out = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.US_ASCII))) {
            socket.setTcpNoDelay(true);
            StringBuilder batch = new StringBuilder();
            while (true) {
                synchronized (this) {
                    while (!closed && windows.isEmpty() && latestCount == sentCount) {
                        wait();
                    }
                    if (closed && windows.isEmpty() && latestCount == sentCount) {
                        return;
                    }
                    batch.setLength(0);
                    while (!windows.isEmpty()) {
                        batch.append(ProgressMessage.window(windows.poll()).text()).append('\n');
                        messages++;
                    }
                    if (latestCount != sentCount) {
                        batch.append(ProgressMessage.count(latestCount).text()).append('\n');
                        sentCount = latestCount;
                        messages++;
                    }
                }
                out.write(batch.toString());
                out.flush();
                cpuNanos = cpu.getCurrentThreadCpuTime();
            }
        } catch (IOException e) {
            LOG.warn("progress receiver {}:{} unreachable or gone ({}); progress is no longer sent", address.host(),
                    address.port(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // Stays registered, closed: a job goes on reporting to it, and it drops the news instead of
            // reconnecting (and warning) once per update.
            synchronized (this) {
                closed = true;
                windows.clear();
            }
        }
    }
}
