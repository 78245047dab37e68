package io.stormwatch.compare;

import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Jobs;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one engine as a process of its own on the paced live input or on the backlog file and measures it:
 * per-line latency through the progress probe, window-result delay, CPU and peak RSS. {@link Compare} loops it
 * over engines, jobs and rates; the IT runs it directly. Every process it starts is stopped before a method
 * returns (SIGTERM, then SIGKILL after 30 s), and every socket closed.
 */
final class Comparison {

    private static final Logger LOG = LoggerFactory.getLogger(Comparison.class);
    private static final long STOP_GRACE_SECONDS = 30;

    /** Settings of a comparison. */
    record Settings(Path root, Path work, String heap, long warmupMillis, long durationMillis, long drainMillis,
            long startTimeoutMillis) {}

    private final Settings settings;

    Comparison(Settings settings) {
        this.settings = settings;
    }

    /** A live run: {@code engine} on {@code jobName}, fed at {@code rate} lines/s for warm-up + duration. */
    RunResult live(Engine engine, String jobName, double rate) throws IOException, InterruptedException {
        Job<?> job = Jobs.fromConfig(jobName, Map.of());
        Path dir = runDir(jobName + "-" + engine.label + "-" + (long) rate);
        int warmupLines = (int) (rate * settings.warmupMillis() / 1000);
        int total = warmupLines + (int) (rate * settings.durationMillis() / 1000);
        LiveLines lines = LiveLines.forJob(jobName, 50_000, 42);
        try (PacedFeed feed = new PacedFeed(); ProgressReceiver progress = new ProgressReceiver()) {
            Process process = start(engine, engine.command(settings.root(), jobName, feed.spec(), progress.spec(),
                    dir.resolve("out")), dir);
            ProcStats stats = new ProcStats(process.pid());
            ScheduledExecutorService sampler = sampler(stats);
            int sent = 0;
            double cpuAtFeed = Double.NaN;
            String note = "";
            try {
                int clients = feed.awaitClients(engine.clients(job), settings.startTimeoutMillis(), 60_000, process::isAlive);
                if (clients == 0) {
                    note = process.isAlive() ? "never connected to the source" : "exited before connecting: " + tail(dir);
                } else {
                    if (clients < engine.clients(job)) {
                        note = clients + " of " + engine.clients(job) + " source connections";
                    }
                    cpuAtFeed = stats.sample().cpuSeconds();
                    sent = feed.send(lines, rate, total, () -> !process.isAlive());
                    int expected = sent;
                    try {
                        Awaitility.await().atMost(settings.drainMillis(), TimeUnit.MILLISECONDS)
                                .pollInterval(20, TimeUnit.MILLISECONDS)
                                .until(() -> progress.count() >= expected || !process.isAlive());
                    } catch (ConditionTimeoutException e) {
                        LOG.info("{} {} at {}/s: {} of {} lines visible after the drain", engine.label, jobName, rate,
                                progress.count(), expected);
                    }
                    if (!process.isAlive()) {
                        note = "engine exited during the run: " + tail(dir);
                    }
                }
            } finally {
                stats.sample();
                stop(process);
                sampler.shutdownNow();
            }
            double cpuFed = stats.cpuSeconds() - cpuAtFeed;
            if (sent <= warmupLines) {
                return new RunResult(engine.label, jobName, rate, feed.achievedRate(), Double.NaN, 0, 0, new long[0],
                        false, new long[0], stats.cpuSeconds(), cpuFed, stats.peakRssMib(),
                        note.isEmpty() ? "fed only " + sent + " lines" : note, Machine.load1());
            }
            long[] writeNanos = feed.writeNanos();
            long[] latencies = Latency.perLine(writeNanos, progress.arrivals(), warmupLines, sent);
            boolean bounded = Latency.bounded(latencies) && feed.achievedRate() >= 0.95 * rate;
            long[] windowDelays = engine.hasWindows(job)
                    ? windowDelays(progress.windows(), feed, writeNanos[warmupLines], writeNanos[sent - 1],
                            engine.windowDueAfter(job))
                    : new long[0];
            long unseen = Latency.unseen(latencies);
            if (unseen > 0) {
                note = (note.isEmpty() ? "" : note + "; ") + String.format(java.util.Locale.ROOT,
                        "%,d of %,d lines sent visible when stopped", progress.count(), sent);
            }
            if (progress.malformed() > 0) {
                note = (note.isEmpty() ? "" : note + "; ") + progress.malformed() + " malformed progress messages";
            }
            return new RunResult(engine.label, jobName, rate, feed.achievedRate(), Double.NaN, sent - warmupLines,
                    unseen, Latency.seenSorted(latencies), bounded, windowDelays, stats.cpuSeconds(),
                    cpuFed, stats.peakRssMib(), note, Machine.load1());
        }
    }

    /**
     * Delays (ms) of the window results due while the run was measured: arrival (wall clock of this process)
     * minus the moment the window could first be complete ({@code end + dueAfter}); the first result per window.
     */
    static long[] windowDelays(List<long[]> windows, PacedFeed feed, long fromNanos, long toNanos, long dueAfterMillis) {
        long from = feed.wallMillis(fromNanos);
        long to = feed.wallMillis(toNanos);
        Map<Long, Long> firstArrival = new HashMap<>();
        for (long[] window : windows) {
            long due = window[1] + dueAfterMillis;
            if (due >= from && due <= to) {
                firstArrival.putIfAbsent(window[1], feed.wallMillis(window[0]) - due);
            }
        }
        return firstArrival.values().stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /**
     * A backlog run: {@code engine} (or {@code null} for {@code batch}) over {@code file} as fast as it goes.
     *
     * @param timeoutMillis stopped after this long
     */
    RunResult backlog(Engine engine, String jobName, Path file, long lines, long timeoutMillis)
            throws IOException, InterruptedException {
        String label = engine == null ? "batch" : engine.label;
        Path dir = runDir(jobName + "-backlog-" + label);
        try (ProgressReceiver progress = new ProgressReceiver()) {
            List<String> command = engine == null
                    ? List.of(settings.root().resolve("bin/stormwatch").toString(), "batch", "--job", jobName, "--json",
                            file.toString())
                    : engine.command(settings.root(), jobName, "file:" + file, progress.spec(), dir.resolve("out"));
            long startNanos = System.nanoTime();
            Process process = start(engine, command, dir);
            ProcStats stats = new ProcStats(process.pid());
            ScheduledExecutorService sampler = sampler(stats);
            boolean finished;
            try {
                finished = process.waitFor(timeoutMillis, TimeUnit.MILLISECONDS);
            } finally {
                stats.sample();
                stop(process);
                sampler.shutdownNow();
            }
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            ProgressReceiver.Arrivals arrivals = progress.arrivals();
            double processing = Double.NaN;
            int n = arrivals.counts().length;
            if (n >= 2) {
                processing = (arrivals.counts()[n - 1] - arrivals.counts()[0]) * 1e9 / (arrivals.nanos()[n - 1] - arrivals.nanos()[0]);
            }
            String note = !finished ? "stopped after " + timeoutMillis / 1000 + " s"
                    : process.exitValue() != 0 ? "exit " + process.exitValue() + ": " + tail(dir)
                    : engine != null && progress.count() != lines ? "counted " + progress.count() + " of " + lines + " lines"
                    : "";
            return new RunResult(label, jobName, 0, finished ? lines / seconds : Double.NaN, processing, lines, 0,
                    new long[0], finished, new long[0], stats.cpuSeconds(), Double.NaN, stats.peakRssMib(), note,
                    Machine.load1());
        }
    }

    /**
     * A file of {@code lines} generated lines of {@code job}'s kind in {@code dir} (kept between runs when already
     * there): access-log lines, text for word-count, tweets for hashtags — what {@code generate} writes.
     */
    static Path backlogFile(String job, Path dir, long lines) throws IOException {
        Path file = dir.resolve("backlog-" + LiveLines.kind(job) + "-" + lines + ".log");
        if (Files.isRegularFile(file)) {
            return file;
        }
        Files.createDirectories(dir);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16)) {
            LiveLines.generate(job, lines, 42, out);
        }
        return Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private Path runDir(String name) throws IOException {
        Path dir = settings.work().resolve("runs").resolve(name);
        if (Files.isDirectory(dir.resolve("out"))) {
            try (var files = Files.list(dir.resolve("out"))) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
        }
        return Files.createDirectories(dir);
    }

    private Process start(Engine engine, List<String> command, Path dir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(settings.root().toFile())
                .redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().putAll(engine == null ? Map.of("STORMWATCH_JAVA_OPTS", settings.heap())
                : engine.environment(settings.heap()));
        LOG.info("starting {}", String.join(" ", command));
        return builder.start();
    }

    private static ScheduledExecutorService sampler(ProcStats stats) {
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "compare-proc-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleAtFixedRate(stats::sample, 0, 250, TimeUnit.MILLISECONDS);
        return sampler;
    }

    /** SIGTERM, then SIGKILL when it has not ended in {@value #STOP_GRACE_SECONDS} s. */
    static void stop(Process process) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
            LOG.warn("pid {} did not stop on SIGTERM in {} s: killing it", process.pid(), STOP_GRACE_SECONDS);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The last lines of a run's stderr, for a failure note. */
    private static String tail(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("stderr.txt"));
            List<String> last = new ArrayList<>(lines.subList(Math.max(0, lines.size() - 3), lines.size()));
            return String.join(" / ", last).replace('|', '/');
        } catch (IOException e) {
            return "(no stderr)";
        }
    }

    static double[] toMillis(long[] nanos) {
        return Arrays.stream(nanos).mapToDouble(n -> n / 1e6).toArray();
    }
}
