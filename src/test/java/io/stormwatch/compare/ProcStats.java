package io.stormwatch.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and peak RSS of one process, read from Linux's {@code /proc/PID}: {@code stat} fields 14 and 15
 * (user and system time, in clock ticks of 1/100 s, the kernel's {@code USER_HZ} on Linux) and {@code status}'s
 * {@code VmHWM} (peak resident set). Reads return the last values seen, so a sample taken just before the
 * process is stopped survives its exit.
 */
final class ProcStats {

    /** Linux's {@code USER_HZ}: {@code /proc} times are in these ticks. */
    private static final double TICKS_PER_SECOND = 100;

    private final long pid;
    private double cpuSeconds;
    private long peakRssKib;

    ProcStats(long pid) {
        this.pid = pid;
    }

    /** Reads the current figures; keeps the last ones when the process is gone. */
    synchronized ProcStats sample() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            cpuSeconds = cpuSeconds(stat);
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    peakRssKib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone: keep the last figures
        }
        return this;
    }

    /** User + system seconds from a {@code /proc/PID/stat} line (the command name may hold spaces and parentheses). */
    static double cpuSeconds(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // after "pid (comm) ": field 3 (state) is fields[0], so fields 14 and 15 are [11] and [12]
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    synchronized double cpuSeconds() {
        return cpuSeconds;
    }

    synchronized long peakRssMib() {
        return peakRssKib / 1024;
    }
}
