package io.stormwatch.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the local services stormwatch starts in JVMs of their own ({@link LocalKafka}, {@link LocalStormCluster})
 * share: classpaths that Maven resolves from a POM under {@code build-support/}, free loopback ports, waiting for
 * a port, stopping a process by its id, and the end of a log for error messages.
 */
final class LocalProcesses {

    private LocalProcesses() {}

    /**
     * The classpath of the artifacts {@code pom} (relative to {@code root}) depends on, as Maven writes it to
     * {@code file} (relative to {@code root}): written when missing or older than the POM (the first time, Maven
     * may download the artifacts), then read back.
     */
    static String mavenClasspath(Path root, String pom, String file) throws IOException, InterruptedException {
        Path out = root.resolve(file);
        Path pomFile = root.resolve(pom);
        if (!Files.exists(pomFile)) {
            throw new IllegalStateException("no " + pom + " under " + root + ": run from the stormwatch project");
        }
        FileTime pomTime = Files.getLastModifiedTime(pomFile);
        if (!Files.exists(out) || Files.getLastModifiedTime(out).compareTo(pomTime) < 0) {
            Files.createDirectories(out.getParent());
            Path log = Files.createTempFile("stormwatch-classpath", ".log");
            try {
                run(List.of("mvn", "-B", "-q", "-f", pomFile.toString(), "dependency:build-classpath",
                        "-Dmdep.outputFile=" + out.toAbsolutePath()), log);
            } finally {
                Files.deleteIfExists(log);
            }
        }
        return Files.readString(out).trim();
    }

    /** Runs {@code command} to its end (at most 5 minutes), its output appended to {@code log}; fails unless it exits 0. */
    static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within 5 minutes");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(4, command.size())))
                    + " ... failed (exit " + process.exitValue() + "):\n" + tail(log, 15));
        }
    }

    /** The {@code java} of this JVM. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A port of 127.0.0.1 that is free now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Whether something accepts connections on 127.0.0.1:{@code port}. */
    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the process {@code pid} runs. */
    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Stops the process {@code pid} if it runs: SIGTERM (a clean shutdown), then SIGKILL if it still runs after
     * {@code timeout}.
     *
     * @return whether it ran
     */
    static boolean stop(long pid, Duration timeout) {
        boolean running = alive(pid);
        stopAll(List.of(pid), timeout);
        return running;
    }

    /**
     * Stops the processes {@code pids} that run, together: SIGTERM to each, then SIGKILL to those still running
     * {@code timeout} later.
     */
    static void stopAll(Collection<Long> pids, Duration timeout) {
        List<ProcessHandle> running = pids.stream().distinct().map(ProcessHandle::of).flatMap(Optional::stream)
                .filter(ProcessHandle::isAlive).toList();
        running.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ProcessHandle process : running) {
            try {
                process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                process.destroyForcibly();
                process.onExit().join();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The last {@code lines} lines of {@code log}. */
    static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
