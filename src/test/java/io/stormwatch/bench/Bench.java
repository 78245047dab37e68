package io.stormwatch.bench;

import com.sun.management.OperatingSystemMXBean;
import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.core.gen.TextGenerator;
import io.stormwatch.core.gen.TweetGenerator;
import io.stormwatch.storm.topology.StormwatchConfig;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What the benchmarks share: the generated inputs, the machine line, percentiles, formatting and a plain text
 * table. Benchmarks print to stdout (they are commands whose figures the project reports); Storm's own logging
 * goes to stderr.
 */
public final class Bench {

    /** The config `stormwatch local --conf conf/local.yaml` uses. */
    static final Path LOCAL_CONF = Path.of("conf/local.yaml");
    static final Path WORK = Path.of("target/bench");

    private Bench() {}

    /** A benchmark's body. */
    interface Body {
        void run() throws Exception;
    }

    /**
     * Runs a benchmark, prints the machine line at the end (load after) and exits: LocalCluster leaves
     * non-daemon ZooKeeper threads behind.
     */
    static void runAndExit(Body body) {
        int status = 1;
        try {
            body.run();
            status = 0;
        } catch (Exception e) {
            e.printStackTrace();
        } finally {
            System.out.println();
            System.out.println(machineAfter());
            System.out.flush();
            System.exit(status);
        }
    }

    static Map<String, Object> localConf() {
        return StormwatchConfig.readFile(LOCAL_CONF);
    }

    /** Writes a generated input into a stream. */
    @FunctionalInterface
    interface Generator {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * The input {@code generator} writes, made once and kept as {@code target/bench/<name>} for later runs (the
     * same options give the same bytes): written to a {@code .part} file, then moved into place.
     */
    static Path kept(String name, long lines, Generator generator) throws IOException {
        Path file = WORK.resolve(name).toAbsolutePath();
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(file.getParent());
        long start = System.nanoTime();
        Path part = file.resolveSibling(file.getFileName() + ".part");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(part), 1 << 16)) {
            generator.writeTo(out);
        }
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
        System.out.printf(Locale.ROOT, "generated %s (%,d lines, %,d MB) in %.1f s%n", file, lines,
                Files.size(file) >> 20, (System.nanoTime() - start) / 1e9);
        return file;
    }

    /** A generated log for {@code options}, kept as {@code target/bench/<name>} ({@link #kept}). */
    static Path log(String name, LogGenerator.Options options) throws IOException {
        return kept(name, options.lines(), new LogGenerator(options)::writeTo);
    }

    /** A generated Twitter stream ({@link TweetGenerator}), kept like {@link #log}. */
    static Path tweets(String name, TweetGenerator.Options options) throws IOException {
        return kept(name, options.tweets(), new TweetGenerator(options)::writeTo);
    }

    /** A Combined log of {@code lines} generated lines, no malformed ones, the generator's default pace. */
    static Path combinedLog(long lines, long seed) throws IOException {
        return log("combined-" + lines + "-" + seed + ".log",
                new LogGenerator.Options(lines, seed, LogGenerator.Format.COMBINED, 0.0, LogGenerator.DEFAULT_START));
    }

    /**
     * {@code lines} lines of generated text over a vocabulary of {@code vocabulary} words (word-count's input),
     * kept as {@code target/bench/text-...}.
     */
    static Path text(long lines, long seed, int vocabulary) throws IOException {
        return kept("text-" + lines + "-" + seed + "-" + vocabulary + ".txt", lines,
                new TextGenerator(new TextGenerator.Options(lines, seed, vocabulary))::writeTo);
    }

    /** Polls {@code done} every 5 ms; false if {@code limit} passed first. */
    static boolean await(BooleanSupplier done, Duration limit) {
        try {
            Awaitility.await().atMost(limit).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(done::getAsBoolean);
            return true;
        } catch (ConditionTimeoutException timedOut) {
            return false;
        }
    }

    /** CPU time this JVM has used, all threads, in ns. */
    static long processCpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    /** The 1, 5 and 15 minute load averages of the machine (every process on it), as /proc/loadavg has them. */
    static String loadAverages() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " / " + parts[1] + " / " + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** Where the figures come from: cores, Java, this JVM's max heap, load (1/5/15 min) before the run. */
    static String machine() {
        return String.format(Locale.ROOT, "machine: %d cores, Java %s, max heap %,d MB, load average %s (1/5/15 min) before",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, loadAverages());
    }

    static String machineAfter() {
        return String.format(Locale.ROOT, "machine: %d cores, max heap %,d MB, load average %s (1/5/15 min) after",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, loadAverages());
    }

    /** The {@code q}-quantile (0..1) of sorted samples, nearest rank; -1 without samples. */
    static long quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    /** Median of unsorted values. */
    public static double median(double... values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static String micros(long nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%,d µs", Math.round(nanos / 1000.0));
    }

    /** Milliseconds with two decimals, or "-" for a negative (missing) value. */
    static String millis(long nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    static String seconds(double nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    static String count(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    static String mb(long bytes) {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%,.0f MB", bytes / 1048576.0);
    }

    static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f×", value);
    }

    static String verdict(boolean met) {
        return met ? "met" : "NOT met";
    }

    static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** A left-aligned text table with a header row. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        Table row(Object... cells) {
            if (cells.length != rows.get(0).length) {
                throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + rows.get(0).length);
            }
            rows.add(Arrays.stream(cells).map(String::valueOf).toArray(String[]::new));
            return this;
        }

        void print(PrintStream out) {
            int columns = rows.get(0).length;
            int[] widths = new int[columns];
            for (String[] row : rows) {
                for (int i = 0; i < columns; i++) {
                    widths[i] = Math.max(widths[i], row[i].length());
                }
            }
            for (int r = 0; r < rows.size(); r++) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < columns; i++) {
                    line.append(String.format("%-" + widths[i] + "s", rows.get(r)[i]));
                    line.append(i == columns - 1 ? "" : " | ");
                }
                out.println(line.toString().stripTrailing());
                if (r == 0) {
                    StringBuilder rule = new StringBuilder();
                    for (int i = 0; i < columns; i++) {
                        rule.append("-".repeat(widths[i])).append(i == columns - 1 ? "" : "-|-");
                    }
                    out.println(rule);
                }
            }
            out.flush();
        }
    }
}
