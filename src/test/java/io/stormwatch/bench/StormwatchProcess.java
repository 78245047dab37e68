package io.stormwatch.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs {@code bin/stormwatch} as its own process, exactly as a user would, and measures it: wall time from
 * just before the process starts to its exit, peak resident memory (the kernel's {@code VmHWM} of the process,
 * polled; {@code bin/stormwatch} execs {@code java}, so the process is the JVM), and the heap as the JVM's own GC
 * log reports it ({@code -Xlog:gc,gc+heap+exit} added through {@code STORMWATCH_JAVA_OPTS}, the launcher's
 * documented way to pass JVM options). stdout and stderr go to files under {@code target/bench/runs/}.
 */
final class StormwatchProcess {

    static final Path LAUNCHER = Path.of("bin/stormwatch").toAbsolutePath();
    private static final Path RUNS = Bench.WORK.resolve("runs").toAbsolutePath();
    private static final Pattern GC_PAUSE = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\) ([0-9.]+)ms");
    private static final Pattern HEAP_AT_EXIT = Pattern.compile("garbage-first heap\\s+total (\\d+)K, used (\\d+)K");
    private static final Pattern LOG_LINE = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d\\d\\d) ");
    private static final Pattern CLASS_LOAD = Pattern.compile("^\\[(\\d+)ms\\]\\[(\\d+)ms\\] (\\S+) ");

    private StormwatchProcess() {}

    /** Heap figures from a GC log; -1 where the log had none. */
    record Heap(long peakUsedBytes, long maxAfterGcBytes, long maxCommittedBytes, int pauses, double pauseMillis) {}

    /** One finished run. */
    record Run(String name, List<String> args, int exit, long startEpochMillis, long wallNanos, long peakRssBytes,
            Path stdout, Path stderr, Path gcLog, Path classLog, LocalDate day) {

        double seconds() {
            return wallNanos / 1e9;
        }

        long endEpochMillis() {
            return startEpochMillis + wallNanos / 1_000_000;
        }

        Heap heap() throws IOException {
            long peak = -1;
            long after = -1;
            long committed = -1;
            int pauses = 0;
            double pauseMillis = 0;
            for (String line : Files.readAllLines(gcLog)) {
                Matcher pause = GC_PAUSE.matcher(line);
                if (pause.find()) {
                    peak = Math.max(peak, Long.parseLong(pause.group(1)) << 20);
                    after = Math.max(after, Long.parseLong(pause.group(2)) << 20);
                    committed = Math.max(committed, Long.parseLong(pause.group(3)) << 20);
                    pauses++;
                    pauseMillis += Double.parseDouble(pause.group(4));
                }
                Matcher exit = HEAP_AT_EXIT.matcher(line);
                if (exit.find()) {
                    committed = Math.max(committed, Long.parseLong(exit.group(1)) << 10);
                    peak = Math.max(peak, Long.parseLong(exit.group(2)) << 10);
                }
            }
            return new Heap(peak, after, committed, pauses, pauseMillis);
        }

        /**
         * Epoch milliseconds of the first stderr log line (the CLI's {@code HH:mm:ss.SSS LEVEL Logger - msg}) that
         * contains {@code text}, or -1.
         */
        long logMark(String text) throws IOException {
            try (Stream<String> lines = Files.lines(stderr)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    Matcher time = LOG_LINE.matcher(line);
                    if (time.find() && line.contains(text)) {
                        return LocalTime.parse(time.group(1)).atDate(day).atZone(ZoneId.systemDefault())
                                .toInstant().toEpochMilli();
                    }
                }
            }
            return -1;
        }

        /**
         * From the class-load log ({@code -Xlog:class+load:file=...:timemillis,uptimemillis}): when the JVM
         * started and when each of {@code classes} was first loaded, epoch ms (-1 for one never loaded).
         */
        Map<String, Long> classLoads(List<String> classes) throws IOException {
            Map<String, Long> times = new HashMap<>();
            try (Stream<String> lines = Files.lines(classLog)) {
                for (String line : (Iterable<String>) lines::iterator) {
                    Matcher m = CLASS_LOAD.matcher(line);
                    if (!m.find()) {
                        continue;
                    }
                    long at = Long.parseLong(m.group(1));
                    times.putIfAbsent("<jvm start>", at - Long.parseLong(m.group(2)));
                    if (classes.contains(m.group(3))) {
                        times.putIfAbsent(m.group(3), at);
                    }
                }
            }
            for (String name : classes) {
                times.putIfAbsent(name, -1L);
            }
            return times;
        }
    }

    /** {@code bin/stormwatch ARGS...} with the GC log on. */
    static Run run(String name, List<String> args) throws IOException, InterruptedException {
        return run(name, args, List.of(), false, Duration.ofMinutes(10));
    }

    /**
     * @param javaOpts   more JVM options, through {@code STORMWATCH_JAVA_OPTS}
     * @param classLoads also log class loading with times (for breakdowns of start-up)
     */
    static Run run(String name, List<String> args, List<String> javaOpts, boolean classLoads, Duration limit)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Run run = runOnce(name, args, javaOpts, classLoads, limit);
            // 137/143: SIGKILL/SIGTERM from outside (the machine is shared); this class never signals but at its limit.
            if ((run.exit() != 137 && run.exit() != 143) || attempt == 3) {
                return run;
            }
            System.out.printf("note: %s was killed from outside this benchmark (exit %d) after %.1f s; running it again%n",
                    name, run.exit(), run.seconds());
        }
    }

    private static Run runOnce(String name, List<String> args, List<String> javaOpts, boolean classLoads, Duration limit)
            throws IOException, InterruptedException {
        Files.createDirectories(RUNS);
        Path stdout = RUNS.resolve(name + ".out");
        Path stderr = RUNS.resolve(name + ".err");
        Path gcLog = RUNS.resolve(name + ".gc");
        Path classLog = RUNS.resolve(name + ".classes");
        List<String> options = new ArrayList<>(javaOpts);
        options.add("-Xlog:gc,gc+heap+exit:file=" + gcLog + ":uptime");
        if (classLoads) {
            options.add("-Xlog:class+load=info:file=" + classLog + ":timemillis,uptimemillis");
        }
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().put("STORMWATCH_JAVA_OPTS", String.join(" ", options));
        LocalDate day = LocalDate.now();
        long startEpoch = System.currentTimeMillis();
        long start = System.nanoTime();
        Process process = builder.start();
        Path status = Path.of("/proc/" + process.pid() + "/status");
        long peakRss = 0;
        while (!process.waitFor(20, TimeUnit.MILLISECONDS)) {
            peakRss = Math.max(peakRss, vmHwm(status));
            if (System.nanoTime() - start > limit.toNanos()) {
                process.destroy();
                process.waitFor(30, TimeUnit.SECONDS);
                throw new IllegalStateException(name + ": still running after " + limit + "; see " + stderr);
            }
        }
        long wall = System.nanoTime() - start;
        return new Run(name, List.copyOf(args), process.exitValue(), startEpoch, wall, peakRss, stdout, stderr, gcLog,
                classLog, day);
    }

    /** The peak resident set of a live process in bytes, 0 once it is gone. */
    private static long vmHwm(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // exited between the poll and the read
        }
        return 0;
    }

    /** Fails loudly when a run did not exit 0: its figures would mean nothing. */
    static Run checked(Run run) throws IOException {
        if (run.exit() != 0) {
            throw new IllegalStateException(run.name() + " (" + String.join(" ", run.args()) + ") exited " + run.exit()
                    + "; stderr ends: " + tail(run.stderr(), 20));
        }
        return run;
    }

    static String tail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
