package io.stormwatch.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The machine a comparison ran on, at one moment: cores, CPU model, memory, load average (from {@code /proc}),
 * Java version. The machine is shared, so the load beside the figures says how quiet it was.
 */
record Machine(Instant at, int cores, String cpu, long memoryMib, String loadAverage, String java) {

    static Machine now() {
        return new Machine(Instant.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
                cpuModel(), totalMemoryMib(), read("/proc/loadavg").replaceAll("^(\\S+ \\S+ \\S+).*", "$1").trim(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    }

    /** The 1-minute load average now (NaN when unknown). */
    static double load1() {
        try {
            return Double.parseDouble(read("/proc/loadavg").split(" ")[0]);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private static String cpuModel() {
        for (String line : read("/proc/cpuinfo").split("\n")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown";
    }

    private static long totalMemoryMib() {
        for (String line : read("/proc/meminfo").split("\n")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return 0;
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}
