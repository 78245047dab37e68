package io.stormwatch.bench;

import com.sun.management.OperatingSystemMXBean;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.testing.Oracle;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.storm.LocalCluster;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * What the topology benchmarks share: the config they start from, the generated input, running a topology
 * on a LocalCluster, the machine they ran on, percentiles and a plain text table. They print to stdout
 * (they are commands that report figures); Storm's own logging goes to stderr.
 */
final class Bench {

    /** The config `stormwatch local` uses by default: what a user runs in-process. */
    static final Path LOCAL_CONF = Path.of("conf/local.yaml");
    static final Path WORK = Path.of("target/bench");

    private Bench() {}

    /** A benchmark's body. */
    interface Body {
        void run() throws Exception;
    }

    /** Runs a benchmark and exits: LocalCluster leaves non-daemon ZooKeeper threads behind. */
    static void runAndExit(Body body) {
        int status = 1;
        try {
            body.run();
            status = 0;
        } catch (Exception e) {
            e.printStackTrace();
        } finally {
            System.exit(status);
        }
    }

    static Map<String, Object> localConf() {
        return StormwatchConfig.readFile(LOCAL_CONF);
    }

    /**
     * A Combined access log of {@code lines} generated lines (no malformed ones), made once and kept under
     * {@code target/bench} for later runs.
     */
    static Path combinedLog(long lines, long seed) throws IOException {
        Path file = WORK.resolve("combined-" + lines + "-" + seed + ".log");
        if (Files.exists(file)) {
            return file;
        }
        Files.createDirectories(WORK);
        Path part = Oracle.generate(file.resolveSibling(file.getFileName() + ".part"), lines, seed, 0.0);
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
        return file;
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

    static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    /** One line about where the figures come from; load average counts every process on the machine. */
    static String machine() {
        return String.format(Locale.ROOT, "machine: %d cores, Java %s, max heap %d MB, load average %.1f at start",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
                Runtime.getRuntime().maxMemory() >> 20, loadAverage());
    }

    /** The {@code q}-quantile (0..1) of sorted samples, nearest rank. */
    static long quantile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    static String micros(long nanos) {
        return nanos < 0 ? "-" : String.format(Locale.ROOT, "%,d µs", Math.round(nanos / 1000.0));
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }

    static String count(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    /** A left-aligned text table with a header row. */
    static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        Table(String... header) {
            rows.add(header);
        }

        Table row(Object... cells) {
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
        }
    }
}
