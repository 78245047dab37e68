package io.stormwatch.bench;

import io.stormwatch.testing.LocalStorm;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.topology.LogAnalyticsOptions;
import io.stormwatch.storm.topology.LogAnalyticsTopology;
import io.stormwatch.storm.topology.Outputs;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.storm.topology.TopologyConfigs;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.LocalCluster;
import org.apache.storm.tuple.Tuple;

/**
 * Per-line latency of log-analytics at a paced rate, from the source's emit of a line to the running totals
 * having counted it, on an in-process LocalCluster with {@code conf/local.yaml} (event time, 30 s windows
 * sliding by 10 s, in-memory state, JSON-lines sink), then with one setting changed per row.
 *
 * <p>How: {@link PacedLineSpout} emits generated Combined lines at the rate, stamped with the wall clock as
 * their event time, and records each line's emit time; {@link BenchProbe}, a task hook, records the time
 * the totals bolt's {@code execute} returned for that line (the running total updated). Latency = the
 * difference, for the lines after the warm-up. The path is the topology's own: spout → parse → totals, with
 * panes and windows fed from the same parse output. Also shown: latency from the line's due time (includes
 * waiting in the spout while {@code max.spout.pending} lines are unacked: what a log writer would see), and
 * emit → ack (the totals checkpoint that covers the line has committed).
 *
 * <pre>
 * bin/bench-topology latency [--rate LINES_PER_S] [--warmup S] [--seconds S] [--offsets bytes|sequence]
 *                            [--only LABEL,...] [--variant KEY=VALUE,... ...] [--dump]   (--dump: per-line times as CSV)
 * </pre>
 */
public final class LatencyBenchmark {

    private record Variant(String label, Map<String, Object> overrides) {}

    private static final List<Variant> VARIANTS = List.of(
            new Variant("local.yaml", Map.of()),
            new Variant("checkpoint=1000ms", Map.of(Config.TOPOLOGY_STATE_CHECKPOINT_INTERVAL, 1_000)),
            new Variant("checkpoint=1000ms+pending=20000", Map.of(Config.TOPOLOGY_STATE_CHECKPOINT_INTERVAL, 1_000,
                    Config.TOPOLOGY_MAX_SPOUT_PENDING, 20_000)));

    private LatencyBenchmark() {}

    public static void main(String[] args) {
        Bench.runAndExit(() -> benchmark(args));
    }

    private static void benchmark(String[] args) throws Exception {
        int rate = 10_000;
        int warmupSeconds = 10;
        int seconds = 30;
        boolean byteOffsets = true;
        boolean dump = false;
        List<String> only = null;
        List<Variant> custom = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(args[++i].replace("_", ""));
                case "--warmup" -> warmupSeconds = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Integer.parseInt(args[++i]);
                case "--offsets" -> byteOffsets = switch (args[++i]) {
                    case "bytes" -> true;
                    case "sequence" -> false;
                    default -> throw new IllegalArgumentException("--offsets bytes|sequence");
                };
                case "--variant" -> custom.add(variant(args[++i]));
                case "--dump" -> dump = true;
                case "--only" -> only = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: [--rate N]"
                        + " [--warmup S] [--seconds S] [--offsets bytes|sequence] [--only LABEL,...] [--variant KEY=VALUE,... ...] [--dump]");
            }
        }
        System.out.printf(Locale.ROOT, "== latency: log-analytics on a LocalCluster, %,d lines/s paced for %d s warm-up"
                + " + %d s measured, %s offsets%n", rate, warmupSeconds, seconds, byteOffsets ? "byte" : "line-number");
        System.out.println(Bench.machine());
        Bench.Table table = new Bench.Table("variant", "achieved lines/s", "emit→totals p50", "p99", "p99.9", "max",
                "due→totals p50", "p99", "emit→ack p50", "p99", "failed");
        try (LocalCluster cluster = new LocalCluster()) {
            List<String> chosen = only;
            List<Variant> variants = !custom.isEmpty() ? custom
                    : VARIANTS.stream().filter(v -> chosen == null || chosen.contains(v.label())).toList();
            for (Variant variant : variants) {
                Result r = run(cluster, variant, rate, warmupSeconds, seconds, byteOffsets, dump);
                table.row(variant.label(), Bench.count(r.achievedRate), Bench.micros(r.emitToTotals[0]),
                        Bench.micros(r.emitToTotals[1]), Bench.micros(r.emitToTotals[2]), Bench.micros(r.emitToTotals[3]),
                        Bench.micros(r.dueToTotals[0]), Bench.micros(r.dueToTotals[1]),
                        Bench.micros(r.emitToAck[0]), Bench.micros(r.emitToAck[1]),
                        r.failed + (r.complete ? "" : " (INCOMPLETE: " + r.counted + " lines counted)"));
                System.out.println("done: " + variant.label());
            }
        }
        System.out.println();
        table.print(System.out);
        System.out.println();
        System.out.println("emit→totals: spout emit to the totals bolt's execute having returned for that line"
                + " (task hook), i.e. the running total updated.");
        System.out.println("due→totals: from when the line was due by the pace (adds time the spout was held back"
                + " by max.spout.pending). emit→ack: the line's checkpoint committed.");
        System.out.println("rows: conf/local.yaml (max.spout.pending 10000, a checkpoint every 100 ms: the submitter's"
                + " defaults); with Storm's default checkpoint every 1 s; and that with max.spout.pending 20000.");
    }

    private record Result(double achievedRate, long[] emitToTotals, long[] dueToTotals, long[] emitToAck,
            long failed, boolean complete, long counted) {}

    private static Variant variant(String spec) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (String keyValue : spec.split(",")) {
            Map.Entry<String, Object> entry = StormwatchConfig.parseOverride(keyValue.trim());
            overrides.put(entry.getKey(), entry.getValue());
        }
        return new Variant(spec, overrides);
    }

    private static Result run(LocalCluster cluster, Variant variant, int rate, int warmupSeconds, int seconds,
            boolean byteOffsets, boolean dump) throws Exception {
        int warmup = rate * warmupSeconds;
        int lines = warmup + rate * seconds;
        Map<String, Object> conf = Bench.localConf();
        conf.putAll(variant.overrides());
        BenchProbe.install(conf);
        LogAnalyticsOptions options = LogAnalyticsOptions.fromConfig(conf);
        String name = "latency-" + variant.label().replaceAll("[^A-Za-z0-9]+", "-");
        String out = Bench.WORK.resolve("out-" + name).toAbsolutePath().toString();

        PacedLineSpout.Timeline timeline = new PacedLineSpout.Timeline(lines);
        PacedLineSpout.timeline = timeline;
        BenchProbe.recorder = new BenchProbe.Recorder() {
            @Override
            public void totalsUpdated(Tuple line, long nanos) {
                if (PacedLineSpout.SOURCE.equals(line.getStringByField(Schema.SOURCE))) {
                    timeline.totals[timeline.lineOf(line.getLongByField(Schema.OFFSET))] = nanos;
                    timeline.totalsCount++; // only the one totals task writes it
                }
            }
        };
        cluster.submitTopology(name, TopologyConfigs.logAnalytics(conf, options, Map.of()),
                LogAnalyticsTopology.build(new PacedLineSpout(lines, rate, byteOffsets, warmupSeconds + seconds), 1,
                        Outputs.sinks("jsonl:" + out, options, Map.of()), options));
        // Submit to first tuple takes seconds; then the spout runs for its time, and the last lines drain.
        Duration limit = Duration.ofSeconds(warmupSeconds + seconds + 40L);
        boolean complete = Bench.await(() -> timeline.finished && timeline.totalsCount >= timeline.emittedCount
                && Arrays.stream(timeline.acked, 0, (int) timeline.emittedCount).allMatch(t -> t != 0), limit);
        LocalStorm.kill(cluster, name);

        int measured = (int) timeline.emittedCount;
        if (measured <= warmup + 1) {
            throw new IllegalStateException(variant.label() + ": only " + measured + " lines emitted, warm-up is " + warmup);
        }
        long[] emitToTotals = new long[measured - warmup];
        long[] dueToTotals = new long[measured - warmup];
        long[] emitToAck = new long[measured - warmup];
        int n = 0;
        int acks = 0;
        for (int i = warmup; i < measured; i++) {
            if (timeline.totals[i] != 0) {
                emitToTotals[n] = timeline.totals[i] - timeline.emitted[i];
                dueToTotals[n] = timeline.totals[i] - timeline.due[i];
                n++;
            }
            if (timeline.acked[i] != 0) {
                emitToAck[acks++] = timeline.acked[i] - timeline.emitted[i];
            }
        }
        if (dump) {
            Path csv = Bench.WORK.resolve(name + ".csv");
            try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(csv))) {
                // Lines up these times with -Xlog:gc's uptimenanos (to about a millisecond).
                long jvmStart = System.nanoTime() - ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000;
                writer.println("# JVM start at System.nanoTime " + jvmStart);
                writer.println("line,due_ns,emitted_ns,totals_ns,acked_ns");
                for (int i = 0; i < measured; i++) {
                    writer.printf(Locale.ROOT, "%d,%d,%d,%d,%d%n", i, timeline.due[i], timeline.emitted[i],
                            timeline.totals[i], timeline.acked[i]);
                }
            }
            System.out.println("per-line times (ns, System.nanoTime) written to " + csv);
        }
        double achieved = (measured - warmup - 1) * 1e9 / (timeline.emitted[measured - 1] - timeline.emitted[warmup]);
        return new Result(achieved, percentiles(Arrays.copyOf(emitToTotals, n)),
                percentiles(Arrays.copyOf(dueToTotals, n)), percentiles(Arrays.copyOf(emitToAck, acks)),
                timeline.failed, complete, n);
    }

    /** p50, p99, p99.9, max. */
    private static long[] percentiles(long[] samples) {
        Arrays.sort(samples);
        return new long[] {Bench.quantile(samples, 0.5), Bench.quantile(samples, 0.99),
            Bench.quantile(samples, 0.999), samples.length == 0 ? -1 : samples[samples.length - 1]};
    }
}
