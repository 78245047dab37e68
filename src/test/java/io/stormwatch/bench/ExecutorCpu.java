package io.stormwatch.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU time of the Java threads of this JVM, the Storm executor threads ({@code Thread-N-<component>-executor[...]}), per thread,
 * at one moment; {@link #since} gives the CPU each component used between two snapshots. With two workers in
 * one JVM, a component's executors in both are added up.
 */
final class ExecutorCpu {

    private static final Pattern EXECUTOR_THREAD = Pattern.compile("Thread-\\d+-(.+)-executor\\[.*");
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** Java threads that are not executors are grouped by name (digits folded), with this prefix. */
    static final String OTHER_PREFIX = "~";

    /** Thread id → (component, CPU ns). */
    private final Map<Long, Map.Entry<String, Long>> byThread;
    final long processCpuNanos;

    private ExecutorCpu(Map<Long, Map.Entry<String, Long>> byThread, long processCpuNanos) {
        this.byThread = byThread;
        this.processCpuNanos = processCpuNanos;
    }

    static ExecutorCpu now() {
        Map<Long, Map.Entry<String, Long>> byThread = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            Matcher executor = EXECUTOR_THREAD.matcher(info.getThreadName());
            long nanos = THREADS.getThreadCpuTime(info.getThreadId());
            if (nanos >= 0) {
                String group = executor.matches() ? executor.group(1)
                        : OTHER_PREFIX + info.getThreadName().replaceAll("\\d+", "N");
                byThread.put(info.getThreadId(), Map.entry(group, nanos));
            }
        }
        return new ExecutorCpu(byThread, Bench.processCpuNanos());
    }

    /** CPU ns per component from {@code earlier} to this snapshot (threads started since count from 0). */
    Map<String, Long> since(ExecutorCpu earlier) {
        Map<String, Long> all = allSince(earlier);
        all.keySet().removeIf(group -> group.startsWith(OTHER_PREFIX));
        return all;
    }

    /** {@link #since}, plus the other Java threads by name ({@value #OTHER_PREFIX}name, digits as N). */
    Map<String, Long> allSince(ExecutorCpu earlier) {
        Map<String, Long> cpu = new TreeMap<>();
        byThread.forEach((id, now) -> {
            Map.Entry<String, Long> before = earlier == null ? null : earlier.byThread.get(id);
            long used = now.getValue() - (before == null ? 0 : before.getValue());
            cpu.merge(now.getKey(), used, Long::sum);
        });
        return cpu;
    }
}
