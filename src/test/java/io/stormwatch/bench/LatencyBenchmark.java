package io.stormwatch.bench;

import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Jobs;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.sink.Result;
import io.stormwatch.storm.topology.JobOptions;
import io.stormwatch.storm.topology.Outputs;
import io.stormwatch.storm.topology.PipelineTopology;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.storm.topology.TopologyConfigs;
import io.stormwatch.testing.LocalStorm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.storm.Constants;
import org.apache.storm.LocalCluster;
import org.apache.storm.Config;
import org.apache.storm.tuple.Tuple;

/**
 * Latency of log-analytics at a paced rate, on an in-process LocalCluster with {@code conf/local.yaml} (event
 * time, 30 s windows sliding by 10 s with 5 s lag, running totals exactly once with a checkpoint every 100 ms and
 * in-memory state, 2,000 blocks pending at most), the JSON-lines sink.
 *
 * <p>Source: {@link PacedBlockSpout}, generated lines at the rate, each block holding the lines due when Storm
 * calls the spout, stamped with the wall clock as event time. {@link BenchProbe} (task hooks) records when the
 * totals bolt's {@code execute} returned for each block (the running total updated) and when a sink received
 * each window. Figures, over the lines after the warm-up:
 * <ul>
 *   <li><b>emit → totals</b>: from the block's emit to the running total updated;</li>
 *   <li><b>due → totals</b>: from when the line was due by the pace (adds the time it waited in the spout: Storm's
 *       idle spout sleeps about 1 ms between calls, and {@code max.spout.pending} can hold it back) — what a log
 *       writer would see;</li>
 *   <li><b>emit → ack</b>: the checkpoint that covers the block has committed (exactly once);</li>
 *   <li><b>window result delay</b>: from the moment the watermark passed a window's end — the emit of the first
 *       line whose event time is at least end + lag (event time = wall clock) — to a sink having written the
 *       window. A 10 s slide gives 3 windows in 30 s, so rows with a 1 s slide give enough of them.</li>
 * </ul>
 *
 * <pre>
 * bin/bench-topology latency [--rates N,...] [--warmup S] [--seconds S] [--only LABEL,...] [--variant LABEL:RATE:K=V,...]
 * </pre>
 */
public final class LatencyBenchmark {

    /** One row: a rate and the settings changed from conf/local.yaml. */
    private record Variant(String label, int rate, Map<String, Object> overrides) {}

    /** Storm's own wait strategy, for comparison with the park strategy conf/local.yaml sets. */
    private static final String PROGRESSIVE = "org.apache.storm.policy.WaitStrategyProgressive";
    /** Storm's park strategy: every idle executor polls its queue every 100 µs, nothing wakes it sooner. */
    private static final String STORM_PARK = "org.apache.storm.policy.WaitStrategyPark";

    private static final List<Variant> VARIANTS = List.of(
            new Variant("10k/s", 10_000, Map.of()),
            new Variant("100k/s", 100_000, Map.of()),
            new Variant("10k/s slide=1s", 10_000, Map.of(StormwatchConfig.WINDOW_SLIDE, "1s")),
            new Variant("100k/s slide=1s", 100_000, Map.of(StormwatchConfig.WINDOW_SLIDE, "1s")),
            new Variant("10k/s progressive", 10_000, Map.of(
                    Config.TOPOLOGY_BOLT_WAIT_STRATEGY, PROGRESSIVE, Config.TOPOLOGY_SPOUT_WAIT_STRATEGY, PROGRESSIVE)),
            new Variant("10k/s no wake-ups", 10_000, Map.of(
                    Config.TOPOLOGY_BOLT_WAIT_STRATEGY, STORM_PARK, Config.TOPOLOGY_SPOUT_WAIT_STRATEGY, STORM_PARK,
                    Config.TOPOLOGY_BOLT_WAIT_PARK_MICROSEC, 100)));

    private LatencyBenchmark() {}

    public static void main(String[] args) {
        Bench.runAndExit(() -> benchmark(args));
    }

    private static void benchmark(String[] args) throws Exception {
        int warmupSeconds = 10;
        int seconds = 30;
        List<String> only = null;
        List<Variant> custom = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup" -> warmupSeconds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                case "--variant" -> custom.add(variant(args[++i]));
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: [--warmup S]"
                        + " [--seconds S] [--only LABEL,...] [--variant LABEL:RATE[:KEY=VALUE,...] ...]");
            }
        }
        List<String> chosen = only;
        List<Variant> variants = !custom.isEmpty() ? custom
                : VARIANTS.stream().filter(v -> chosen == null || chosen.contains(v.label())).toList();
        System.out.printf(Locale.ROOT, "== latency: log-analytics on a LocalCluster, paced blocks, %d s warm-up + %d s measured,"
                + " conf/local.yaml%n", warmupSeconds, seconds);
        System.out.println(Bench.machine());

        Bench.Table lines = new Bench.Table("row", "achieved lines/s", "lines/block", "emit→totals p50", "p90", "p99", "p99.9",
                "max", "due→totals p50", "p90", "p99", "p99.9", "max");
        Bench.Table acks = new Bench.Table("row", "emit→ack p50", "p90", "p99", "max", "failed", "complete");
        Bench.Table slow = new Bench.Table("row", "lines emit→totals > 2 ms", "share of lines",
                "of which a totals tick (render) ended meanwhile", "a checkpoint tuple ended meanwhile",
                "a GC pause overlapped", "GC pauses in the run");
        Map<String, Map<String, Long>> cpuByRow = new LinkedHashMap<>();
        Map<String, Double> coresByRow = new LinkedHashMap<>();
        Map<String, Long> nanosByRow = new LinkedHashMap<>();
        Bench.Table windows = new Bench.Table("row", "windows", "result delay p50", "p99", "max",
                "of which: to window bolt done p50", "p99", "max");
        List<String> verdicts = new ArrayList<>();
        try (LocalCluster cluster = new LocalCluster()) {
            for (Variant variant : variants) {
                Figures r = run(cluster, variant, warmupSeconds, seconds);
                lines.row(variant.label(), Bench.count(r.achievedRate), String.format(Locale.ROOT, "%.1f", r.linesPerBlock),
                        Bench.micros(r.emitToTotals[0]), Bench.micros(r.emitToTotals[1]), Bench.micros(r.emitToTotals[2]),
                        Bench.micros(r.emitToTotals[3]), Bench.micros(r.emitToTotals[4]),
                        Bench.micros(r.dueToTotals[0]), Bench.micros(r.dueToTotals[1]), Bench.micros(r.dueToTotals[2]),
                        Bench.micros(r.dueToTotals[3]), Bench.micros(r.dueToTotals[4]));
                acks.row(variant.label(), Bench.millis(r.emitToAck[0]), Bench.millis(r.emitToAck[1]),
                        Bench.millis(r.emitToAck[2]), Bench.millis(r.emitToAck[4]), r.failed,
                        r.complete ? "yes" : "NO (" + r.counted + " lines counted)");
                slow.row(variant.label(), Bench.count(r.slowLines), String.format(Locale.ROOT, "%.2f %%", 100.0 * r.slowLines / r.counted),
                        percent(r.behindTick, r.slowLines), percent(r.behindCheckpoint, r.slowLines),
                        percent(r.duringGc, r.slowLines), r.gcPauses + ", " + Bench.millis(r.gcNanos));
                cpuByRow.put(variant.label(), r.executorCpu());
                coresByRow.put(variant.label(), r.processCores());
                nanosByRow.put(variant.label(), r.measuredNanos());
                windows.row(variant.label(), r.windowCount, Bench.millis(r.windowDelay[0]), Bench.millis(r.windowDelay[2]),
                        Bench.millis(r.windowDelay[4]), Bench.millis(r.windowBoltDone[0]), Bench.millis(r.windowBoltDone[2]),
                        Bench.millis(r.windowBoltDone[4]));
                if (!variant.label().contains("progressive") && !variant.label().contains("no wake-ups")) { // comparisons, not targets
                    long target = variant.rate() <= 10_000 ? 2_000_000L : 10_000_000L;
                    if (!variant.label().contains("slide")) {
                        verdicts.add(String.format(Locale.ROOT, "%s: p99 ≤ %d ms — emit→totals %s → %s; due→totals %s → %s",
                                variant.label(), target / 1_000_000, Bench.millis(r.emitToTotals[2]),
                                Bench.verdict(r.emitToTotals[2] <= target), Bench.millis(r.dueToTotals[2]),
                                Bench.verdict(r.dueToTotals[2] <= target)));
                    }
                    if (r.windowCount > 0) {
                        verdicts.add(String.format(Locale.ROOT, "%s: window result delay p99 ≤ 20 ms — %s over %d windows → %s",
                                variant.label(), Bench.millis(r.windowDelay[2]), r.windowCount,
                                Bench.verdict(r.windowDelay[2] <= 20_000_000L)));
                    }
                }
                System.out.println("done: " + variant.label());
            }
        }
        System.out.println();
        System.out.println("per line, running total updated (µs):");
        lines.print(System.out);
        System.out.println();
        System.out.println("lines slower than 2 ms to the totals, and what the totals bolt did meanwhile (it renders the"
                + " totals on a 1 s tick; a checkpoint tuple prepares or commits the state):");
        slow.print(System.out);
        System.out.println();
        System.out.println("CPU while measured (cores = CPU s per s: thread CPU time of each executor; process = all threads of"
                + " this JVM; 2.00 = the whole machine):");
        printCpu(cpuByRow, coresByRow, nanosByRow);
        System.out.println();
        System.out.println("per line, committed (checkpoint covering its block; ms):");
        acks.print(System.out);
        System.out.println();
        System.out.println("window results (watermark past the window's end → a sink wrote it; 'to window bolt done':"
                + " until the window bolt's execute returned for the block that passed the watermark, rendering and"
                + " emitting the window included):");
        windows.print(System.out);
        System.out.println();
        System.out.println("rows: conf/local.yaml at the rate; slide=1s: window 30 s sliding by 1 s (more windows to time);"
                + " progressive: Storm's own wait strategy instead of conf/local.yaml's (its idle spout sleeps 1 ms, so"
                + " at 10k/s a block holds ~10 lines; its idle executors spin); no wake-ups: Storm's WaitStrategyPark,"
                + " every executor polling every 100 µs, instead of conf/local.yaml's bolts parked up to 1 ms and woken"
                + " by the emits sent to them.");
        System.out.println("emit→totals: block emitted → totals bolt's execute returned for it. due→totals: from when the line"
                + " was due by the pace. lines/block: mean lines per emitted block.");
        System.out.println();
        System.out.println("targets:");
        verdicts.forEach(v -> System.out.println("  " + v));
    }

    private static void printCpu(Map<String, Map<String, Long>> cpuByRow, Map<String, Double> coresByRow,
            Map<String, Long> nanosByRow) {
        List<String> components = cpuByRow.values().stream().flatMap(m -> m.keySet().stream())
                .filter(c -> !c.startsWith(ExecutorCpu.OTHER_PREFIX)).distinct().sorted().toList();
        List<String> header = new ArrayList<>(List.of("row"));
        header.addAll(components);
        header.add("executors");
        header.add("process");
        Bench.Table table = new Bench.Table(header.toArray(String[]::new));
        cpuByRow.forEach((label, cpu) -> {
            double seconds = nanosByRow.get(label) / 1e9;
            List<Object> row = new ArrayList<>(List.of(label));
            for (String component : components) {
                Long nanos = cpu.get(component);
                row.add(nanos == null ? "-" : String.format(Locale.ROOT, "%.3f", nanos / 1e9 / seconds));
            }
            row.add(String.format(Locale.ROOT, "%.3f", components.stream().mapToLong(c -> cpu.getOrDefault(c, 0L)).sum()
                    / 1e9 / seconds));
            row.add(String.format(Locale.ROOT, "%.3f", coresByRow.get(label)));
            table.row(row.toArray());
        });
        table.print(System.out);
        cpuByRow.forEach((label, cpu) -> {
            double seconds = nanosByRow.get(label) / 1e9;
            StringBuilder others = new StringBuilder("  " + label + ", other Java threads:");
            cpu.entrySet().stream().filter(e -> e.getKey().startsWith(ExecutorCpu.OTHER_PREFIX))
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                    .forEach(e -> others.append(String.format(Locale.ROOT, " %s %.3f,", e.getKey().substring(1),
                            e.getValue() / 1e9 / seconds)));
            others.setLength(others.length() - 1);
            System.out.println(others + " (the rest of process: GC and JIT threads)");
        });
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "-" : String.format(Locale.ROOT, "%.0f %%", 100.0 * part / whole);
    }

    /** {@code LABEL:RATE[:KEY=VALUE,...]}. */
    private static Variant variant(String spec) {
        String[] parts = spec.split(":", 3);
        Map<String, Object> overrides = new LinkedHashMap<>();
        if (parts.length == 3) {
            for (String keyValue : parts[2].split(",")) {
                Map.Entry<String, Object> entry = StormwatchConfig.parseOverride(keyValue.trim());
                overrides.put(entry.getKey(), entry.getValue());
            }
        }
        return new Variant(parts[0], Integer.parseInt(parts[1].replace("_", "")), overrides);
    }

    private record Figures(double achievedRate, double linesPerBlock, long[] emitToTotals, long[] dueToTotals,
            long[] emitToAck, int windowCount, long[] windowDelay, long[] windowBoltDone, long failed, boolean complete,
            long counted, long slowLines, long behindTick, long behindCheckpoint, long duringGc, int gcPauses,
            long gcNanos, Map<String, Long> executorCpu, double processCores, long measuredNanos) {}

    /** Lines slower than this from emit to totals are looked at (the 10k/s target). */
    private static final long SLOW_NANOS = 2_000_000L;

    /** True when a value of the sorted {@code times} lies strictly between {@code from} and {@code to}. */
    private static boolean anyBetween(long[] times, long from, long to) {
        int i = Arrays.binarySearch(times, from + 1);
        int at = i >= 0 ? i : -i - 1;
        return at < times.length && times[at] < to;
    }

    private static Figures run(LocalCluster cluster, Variant variant, int warmupSeconds, int seconds) throws Exception {
        int rate = variant.rate();
        int warmupLines = rate * warmupSeconds;
        int totalLines = warmupLines + rate * seconds;
        Map<String, Object> conf = Bench.localConf();
        conf.putAll(variant.overrides());
        String name = "latency-" + variant.label().replaceAll("[^A-Za-z0-9]+", "-");
        Path out = Bench.WORK.resolve("out-" + name).toAbsolutePath();
        Bench.deleteTree(out);
        conf.put(StormwatchConfig.OUTPUTS, "jsonl:" + out);
        BenchProbe.install(conf);
        Job<?> job = Jobs.fromConfig(LogAnalytics.NAME, conf);
        JobOptions options = JobOptions.fromConfig(conf);
        long lagMillis = options.window().lagMillis();

        GcPauses gcPauses = new GcPauses();
        PacedBlockSpout.Timeline timeline = new PacedBlockSpout.Timeline(totalLines);
        timeline.warmupLines = warmupLines;
        PacedBlockSpout.timeline = timeline;
        List<long[]> windowsSeen = new ArrayList<>(); // {window end ms, received ns}
        List<List<Long>> controls = List.of(new ArrayList<>(), new ArrayList<>()); // totals: tick ends, checkpoint ends
        BenchProbe.recorder = new BenchProbe.Recorder() {
            @Override
            public void totalsUpdated(Tuple panes, long nanos) {
                if (PacedBlockSpout.SOURCE.equals(panes.getStringByField(Schema.SOURCE))) {
                    int b = timeline.blockAt(panes.getLongByField(Schema.OFFSET));
                    timeline.totals[b] = nanos;
                    timeline.totalsCount += timeline.lineCount[b]; // only the one totals task writes it
                }
            }

            @Override
            public void totalsControl(String stream, long nanos) {
                synchronized (controls) {
                    (Constants.SYSTEM_TICK_STREAM_ID.equals(stream) ? controls.get(0) : controls.get(1)).add(nanos);
                }
            }

            @Override
            public void windowsUpdated(Tuple panes, long nanos) {
                if (PacedBlockSpout.SOURCE.equals(panes.getStringByField(Schema.SOURCE))) {
                    timeline.windows[timeline.blockAt(panes.getLongByField(Schema.OFFSET))] = nanos;
                }
            }

            @Override
            public void sinkWindows(String sink, Result[] results, long nanos) {
                synchronized (windowsSeen) {
                    for (Result window : results) {
                        windowsSeen.add(new long[] {window.windowEnd(), nanos});
                    }
                }
            }
        };
        cluster.submitTopology(name, TopologyConfigs.forJob(conf, System.getenv()),
                PipelineTopology.build(job, new PacedBlockSpout(totalLines, rate, options.blocks().lines(),
                        warmupSeconds + seconds), 1, Outputs.sinks("jsonl:" + out, job, options.window(), System.getenv()),
                        options));
        // Submit to first tuple takes seconds; then the spout runs for its time, and the last blocks drain.
        Duration limit = Duration.ofSeconds(warmupSeconds + seconds + 60L);
        boolean complete = Bench.await(() -> timeline.finished && timeline.totalsCount >= timeline.linesEmitted
                && timeline.ackedBlocks >= timeline.blocks, limit);
        LocalStorm.kill(cluster, name);
        BenchProbe.recorder = new BenchProbe.Recorder() {};
        gcPauses.close();

        int blocks = timeline.blocks;
        int firstMeasured = 0;
        while (firstMeasured < blocks && timeline.firstLine[firstMeasured] < warmupLines) {
            firstMeasured++;
        }
        if (firstMeasured >= blocks - 1) {
            throw new IllegalStateException(variant.label() + ": only " + timeline.linesEmitted + " lines emitted, warm-up is "
                    + warmupLines);
        }
        int measuredLines = timeline.linesEmitted - timeline.firstLine[firstMeasured];
        long[] emitToTotals = new long[measuredLines];
        long[] dueToTotals = new long[measuredLines];
        long[] emitToAck = new long[measuredLines];
        int n = 0;
        int acked = 0;
        long start = timeline.startNanos;
        for (int b = firstMeasured; b < blocks; b++) {
            for (int j = 0; j < timeline.lineCount[b]; j++) {
                long line = timeline.firstLine[b] + j;
                long due = start + line * 1_000_000_000L / rate;
                if (timeline.totals[b] != 0) {
                    emitToTotals[n] = timeline.totals[b] - timeline.emitted[b];
                    dueToTotals[n] = timeline.totals[b] - due;
                    n++;
                }
                if (timeline.acked[b] != 0) {
                    emitToAck[acked++] = timeline.acked[b] - timeline.emitted[b];
                }
            }
        }
        // Slow blocks: was the totals bolt busy with a tick (rendering the totals) or a checkpoint tuple meanwhile?
        long slowLines = 0;
        long behindTick = 0;
        long behindCheckpoint = 0;
        long duringGc = 0;
        long[][] pauses = gcPauses.pauses();
        long[] ticks;
        long[] checkpoints;
        synchronized (controls) {
            ticks = controls.get(0).stream().mapToLong(Long::longValue).sorted().toArray();
            checkpoints = controls.get(1).stream().mapToLong(Long::longValue).sorted().toArray();
        }
        for (int b = firstMeasured; b < blocks; b++) {
            if (timeline.totals[b] != 0 && timeline.totals[b] - timeline.emitted[b] > SLOW_NANOS) {
                slowLines += timeline.lineCount[b];
                if (anyBetween(ticks, timeline.emitted[b], timeline.totals[b])) {
                    behindTick += timeline.lineCount[b];
                }
                if (anyBetween(checkpoints, timeline.emitted[b], timeline.totals[b])) {
                    behindCheckpoint += timeline.lineCount[b];
                }
                if (GcPauses.overlaps(pauses, timeline.emitted[b], timeline.totals[b])) {
                    duringGc += timeline.lineCount[b];
                }
            }
        }
        double achieved = (measuredLines - timeline.lineCount[blocks - 1]) * 1e9
                / (timeline.emitted[blocks - 1] - timeline.emitted[firstMeasured]);

        long measuredFrom = timeline.emitted[firstMeasured];
        long measuredTo = timeline.emitted[blocks - 1];
        List<Long> delays = new ArrayList<>();
        List<Long> toWindowBolt = new ArrayList<>();
        synchronized (windowsSeen) {
            for (long[] seen : windowsSeen) {
                int passing = timeline.firstBlockAtOrAfter(seen[0] + lagMillis);
                if (passing < 0) {
                    continue; // closed by something else than a line (end of the run): not timed
                }
                long passed = timeline.emitted[passing];
                if (passed >= measuredFrom && passed <= measuredTo) {
                    delays.add(seen[1] - passed);
                    if (timeline.windows[passing] != 0) {
                        toWindowBolt.add(timeline.windows[passing] - passed);
                    }
                }
            }
        }
        return new Figures(achieved, (double) timeline.linesEmitted / blocks, percentiles(Arrays.copyOf(emitToTotals, n)),
                percentiles(Arrays.copyOf(dueToTotals, n)), percentiles(Arrays.copyOf(emitToAck, acked)), delays.size(),
                percentiles(delays.stream().mapToLong(Long::longValue).toArray()),
                percentiles(toWindowBolt.stream().mapToLong(Long::longValue).toArray()), timeline.failed, complete, n,
                slowLines, behindTick, behindCheckpoint, duringGc, pauses.length, GcPauses.total(pauses),
                timeline.cpuAtEnd.allSince(timeline.cpuAtMeasureStart),
                (double) (timeline.cpuAtEnd.processCpuNanos - timeline.cpuAtMeasureStart.processCpuNanos)
                        / (timeline.endNanos - timeline.measureStartNanos),
                timeline.endNanos - timeline.measureStartNanos);
    }

    /** p50, p90, p99, p99.9, max; -1 each without samples. */
    private static long[] percentiles(long[] samples) {
        Arrays.sort(samples);
        return new long[] {Bench.quantile(samples, 0.5), Bench.quantile(samples, 0.9), Bench.quantile(samples, 0.99),
            Bench.quantile(samples, 0.999), samples.length == 0 ? -1 : samples[samples.length - 1]};
    }
}
