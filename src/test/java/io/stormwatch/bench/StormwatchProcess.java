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

    /** One finished run; {@code threadCpu}: CPU seconds by thread group (see {@link ThreadCpu}). */
    record Run(String name, List<String> args, int exit, long startEpochMillis, long wallNanos, long peakRssBytes,
            Path stdout, Path stderr, Path gcLog, Path classLog, LocalDate day, Map<String, Double> threadCpu) {

        double seconds() {
            return wallNanos / 1e9;
        }

        /** CPU seconds by thread group, largest first, e.g. {@code windows 16.2 s, parse 8.1 s, ~GC 3.0 s}. */
        String cpuSummary() {
            double total = threadCpu.values().stream().mapToDouble(Double::doubleValue).sum();
            StringBuilder text = new StringBuilder(String.format(java.util.Locale.ROOT, "%.1f s CPU:", total));
            threadCpu.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .filter(e -> e.getValue() >= 0.05)
                    .forEach(e -> text.append(String.format(java.util.Locale.ROOT, " %s %.1f,", e.getKey(), e.getValue())));
            text.setLength(text.length() - 1);
            return text.toString();
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

    /** Called every 100 ms while a run's process is alive, e.g. to look at it with {@code jcmd}. */
    @FunctionalInterface
    interface Probe {
        Probe NONE = pid -> {};

        void poll(long pid) throws IOException, InterruptedException;
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
        return run(name, args, javaOpts, classLoads, limit, Probe.NONE);
    }

    static Run run(String name, List<String> args, List<String> javaOpts, boolean classLoads, Duration limit, Probe probe)
            throws IOException, InterruptedException {
        return run(name, args, javaOpts, Map.of(), classLoads, limit, probe);
    }

    /** @param environment more environment variables for the launcher, e.g. {@code STORMWATCH_CDS=off} */
    static Run run(String name, List<String> args, List<String> javaOpts, Map<String, String> environment,
            boolean classLoads, Duration limit, Probe probe) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Run run = runOnce(name, args, javaOpts, environment, classLoads, limit, probe);
            // 137/143: SIGKILL/SIGTERM from outside (the machine is shared); this class never signals but at its limit.
            if ((run.exit() != 137 && run.exit() != 143) || attempt == 3) {
                return run;
            }
            System.out.printf("note: %s was killed from outside this benchmark (exit %d) after %.1f s; running it again%n",
                    name, run.exit(), run.seconds());
        }
    }

    private static Run runOnce(String name, List<String> args, List<String> javaOpts, Map<String, String> environment,
            boolean classLoads, Duration limit, Probe probe) throws IOException, InterruptedException {
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
        builder.environment().putAll(environment);
        builder.environment().put("STORMWATCH_JAVA_OPTS", String.join(" ", options));
        LocalDate day = LocalDate.now();
        long startEpoch = System.currentTimeMillis();
        long start = System.nanoTime();
        Process process = builder.start();
        Path status = Path.of("/proc/" + process.pid() + "/status");
        ThreadCpu threads = new ThreadCpu(process.pid());
        long peakRss = 0;
        long polls = 0;
        while (!process.waitFor(20, TimeUnit.MILLISECONDS)) {
            peakRss = Math.max(peakRss, vmHwm(status));
            if (++polls % 5 == 0) {
                threads.poll();
                probe.poll(process.pid());
            }
            if (System.nanoTime() - start > limit.toNanos()) {
                process.destroy();
                process.waitFor(30, TimeUnit.SECONDS);
                throw new IllegalStateException(name + ": still running after " + limit + "; see " + stderr);
            }
        }
        long wall = System.nanoTime() - start;
        return new Run(name, List.copyOf(args), process.exitValue(), startEpoch, wall, peakRss, stdout, stderr, gcLog,
                classLog, day, threads.byGroup());
    }

    /**
     * CPU time of a process's threads from {@code /proc/PID/task/TID/stat} (user + system, in clock ticks of
     * 10 ms), polled every 100 ms; a thread's last reading counts, so a thread that ends between polls loses at
     * most 100 ms. Grouped by name: {@code Thread-N-<component>-executor[...]} by component (Linux keeps 15
     * characters of a name: {@code Thread-23-windo}), GC and JIT threads as such, everything else as other.
     */
    static final class ThreadCpu {
        private static final Pattern EXECUTOR = Pattern.compile("Thread-\\d+-(.*)");
        private final Path tasks;
        private final Map<Long, Map.Entry<String, Long>> last = new HashMap<>();

        ThreadCpu(long pid) {
            this.tasks = Path.of("/proc/" + pid + "/task");
        }

        void poll() {
            try (Stream<Path> list = Files.list(tasks)) {
                for (Path task : (Iterable<Path>) list::iterator) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        int open = stat.indexOf('(');
                        int close = stat.lastIndexOf(')');
                        String comm = stat.substring(open + 1, close);
                        String[] fields = stat.substring(close + 2).split(" ");
                        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                        last.put(Long.parseLong(task.getFileName().toString()), Map.entry(comm, ticks));
                    } catch (IOException | RuntimeException gone) {
                        // the thread ended between the listing and the read
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // the process ended
            }
        }

        Map<String, Double> byGroup() {
            Map<String, Double> groups = new java.util.TreeMap<>();
            last.values().forEach(thread -> groups.merge(group(thread.getKey()), thread.getValue() / 100.0, Double::sum));
            return groups;
        }

        private static String group(String comm) {
            Matcher executor = EXECUTOR.matcher(comm);
            if (executor.matches()) {
                return executor.group(1);
            }
            if (comm.startsWith("G1 ") || comm.startsWith("GC ")) {
                return "~GC";
            }
            if (comm.startsWith("C1 ") || comm.startsWith("C2 ")) {
                return "~JIT";
            }
            return "~other";
        }
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

    /**
     * The live heap of a running JVM: the total of {@code jcmd PID GC.class_histogram}, which runs a full GC
     * first; -1 if it could not be read.
     */
    static long liveHeapBytes(long pid) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
        String output = new String(jcmd.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        jcmd.waitFor(60, TimeUnit.SECONDS);
        for (String line : output.split("\n")) {
            if (line.startsWith("Total")) {
                String[] parts = line.trim().split("\\s+");
                return Long.parseLong(parts[2]);
            }
        }
        return -1;
    }

    static String tail(Path file, int lines) throws IOException {
        List<String> all = Files.readAllLines(file);
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
