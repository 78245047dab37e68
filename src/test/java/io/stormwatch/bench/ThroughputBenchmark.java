package io.stormwatch.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.io.LineBlock;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.gen.TextGenerator;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Jobs;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.job.wordcount.WordCount;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.spout.BlockMessageId;
import io.stormwatch.storm.topology.JobTopology;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.testing.LocalStorm;
import io.stormwatch.testing.Oracle;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.storm.Config;
import org.apache.storm.LocalCluster;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Lines per second through the whole topology of a job (log-analytics unless {@code --job} names another) on an
 * in-process LocalCluster, against {@code stormwatch batch --job JOB --json} on the same file in the same run.
 *
 * <p>Input: a generated Combined log of {@code --lines} lines (default 1,000,000), read by the real
 * {@code FileSpout}; for word-count generated text ({@code generate --text}) over a vocabulary of
 * {@code --vocabulary} words (default: the built-in ~200; a million for a real-size vocabulary). Topology: exactly what {@code bin/stormwatch local log-analytics --source file:F --output
 * jsonl:D} builds ({@link JobTopology#fromConfig}: default event-time 30 s / 10 s windows with 5 s lag, running
 * totals exactly once with acking on and in-memory state, the JSON-lines sink), each row changing one setting.
 * The {@code log} sink that {@code local} always adds is left out (it shows a few lines a second).
 *
 * <p>Timing comes from {@link BenchProbe} (task hooks): from the source's first block emit to the ack of its last
 * block — every line parsed, in its panes and counted in running totals whose checkpoint has committed; the
 * steady rate between 10 % and 90 % of lines acked; and first emit to the sink's end of input (adds the final
 * watermark, the last windows and the totals file). Cluster start and submit are excluded; a warm-up run (not
 * reported) lets the JIT compile the hot paths first. Each run's totals must equal the batch's. CPU is split by
 * Storm executor (thread CPU time of {@code Thread-N-<component>-executor[...]} between first emit and last ack).
 *
 * <p>The batch runs as its own process ({@code bin/stormwatch batch --json F}, JVM start included, median of 3);
 * for comparison also the whole {@code bin/stormwatch local} process on the same file, and the batch engine
 * ({@link Batch}) warm in this JVM.
 *
 * <pre>
 * bin/bench-topology throughput [--job JOB] [--vocabulary N] [--lines N] [--only LABEL,...] [--variant KEY=VALUE,... ...]
 *                                [--no-processes] [--no-warmup] [--jfr FILE]   (--jfr: a JFR profile of the rows after the warm-up)
 * </pre>
 */
public final class ThroughputBenchmark {

    private static final Duration RUN_LIMIT = Duration.ofSeconds(170);
    /** The JIT is still compiling after one or two runs of a million lines (seconds of JIT CPU in the next). */
    private static final int WARMUP_RUNS = 3;
    private static final double TARGET_RATIO = 0.8;
    private static final double TARGET_RATE = 500_000;

    /** One row: what differs from the defaults. */
    private record Variant(String label, String what, Map<String, Object> overrides) {}

    private static final String PROGRESSIVE = "org.apache.storm.policy.WaitStrategyProgressive";
    /** Columns of the CPU table: Java threads that are not executors; the rest of the process (GC, JIT). */
    private static final String OTHER_JAVA = "~other Java threads";
    private static final String NATIVE = "~GC, JIT (rest of process)";

    private static final List<Variant> VARIANTS = List.of(
            new Variant("defaults", "as `stormwatch local --source file:F --output jsonl:D` (pending 2,000 blocks,"
                    + " checkpoint 100 ms, blocks of 1,024 lines, idle executors park 100 µs, 1 worker)", Map.of()),
            new Variant("progressive", "Storm's own wait strategy, WaitStrategyProgressive (spin, yield, then sleep)",
                    Map.of(Config.TOPOLOGY_BOLT_WAIT_STRATEGY, PROGRESSIVE, Config.TOPOLOGY_SPOUT_WAIT_STRATEGY, PROGRESSIVE)),
            new Variant("parse=2", "stormwatch.parse.parallelism=2", Map.of(StormwatchConfig.PARSE_PARALLELISM, 2)),
            new Variant("workers=2", "topology.workers=2 (tuples serialized between the two)",
                    Map.of(Config.TOPOLOGY_WORKERS, 2)),
            new Variant("block=256", "stormwatch.block.lines=256", Map.of(StormwatchConfig.BLOCK_LINES, 256)),
            new Variant("block=4096", "stormwatch.block.lines=4096, block.bytes=8 MiB",
                    Map.of(StormwatchConfig.BLOCK_LINES, 4096, StormwatchConfig.BLOCK_BYTES, 8 << 20)),
            new Variant("pending=128", "topology.max.spout.pending=128 (blocks)", Map.of(Config.TOPOLOGY_MAX_SPOUT_PENDING, 128)),
            new Variant("pending=400", "topology.max.spout.pending=400 (blocks)", Map.of(Config.TOPOLOGY_MAX_SPOUT_PENDING, 400)),
            new Variant("defaults again", "the defaults once more, last: how much the order of the rows (JIT, heap) moved"
                    + " the figures", Map.of()));

    private ThroughputBenchmark() {}

    public static void main(String[] args) {
        Bench.runAndExit(() -> benchmark(args));
    }

    private static void benchmark(String[] args) throws Exception {
        long lines = 1_000_000;
        String jobName = LogAnalytics.NAME;
        int vocabulary = TextGenerator.poolSize();
        boolean processes = true;
        boolean warmup = true;
        Path jfr = null;
        List<String> only = null;
        List<Variant> variants = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lines" -> lines = Long.parseLong(args[++i].replace("_", ""));
                case "--job" -> jobName = args[++i];
                case "--vocabulary" -> vocabulary = Integer.parseInt(args[++i].replace("_", ""));
                case "--only" -> only = List.of(args[++i].split(","));
                case "--variant" -> variants.add(variant(args[++i]));
                case "--no-processes" -> processes = false;
                case "--no-warmup" -> warmup = false;
                case "--jfr" -> jfr = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: [--lines N]"
                        + " [--job JOB] [--vocabulary N] [--only LABEL,...] [--variant KEY=VALUE,... ...] [--no-processes]"
                        + " [--no-warmup] [--jfr FILE]");
            }
        }
        if (variants.isEmpty()) {
            for (Variant v : VARIANTS) {
                if (only == null || only.contains(v.label())) {
                    variants.add(v);
                }
            }
        }
        Job<?> job = Jobs.fromConfig(jobName, Map.of());
        boolean text = jobName.equals(WordCount.NAME);
        System.out.printf(Locale.ROOT, "== throughput: %s on a LocalCluster vs batch, %,d generated %s%n", jobName, lines,
                text ? String.format(Locale.ROOT, "lines of text over a vocabulary of %,d words", vocabulary) : "Combined lines");
        System.out.println(Bench.machine());
        Path log = text ? Bench.text(lines, 42, vocabulary) : Bench.combinedLog(lines, 42);
        System.out.printf(Locale.ROOT, "input: %s, %,d MB%n", log, Files.size(log) >> 20);

        // --- batch and local as whole processes, before the in-process cluster exists
        JsonNode batchTotals = Oracle.asRead(job.views().json(batchEngine(job, log)));
        Bench.Table processTable = new Bench.Table("process (whole, JVM start included)", "wall", "lines/s", "peak RSS",
                "peak heap used", "totals");
        double batchSeconds = Double.NaN;
        double localSeconds = Double.NaN;
        String localCpu = null;
        if (processes) {
            double[] batch = new double[3];
            for (int i = 0; i < batch.length; i++) {
                StormwatchProcess.Run run = StormwatchProcess.checked(StormwatchProcess.run("throughput-batch-" + i,
                        List.of("batch", "--job", jobName, "--json", log.toString())));
                batch[i] = run.seconds();
                boolean same = Oracle.asRead(Oracle.readJson(run.stdout())).equals(batchTotals);
                processTable.row("bin/stormwatch batch --job " + jobName + " --json F (run " + (i + 1) + ")", Bench.seconds(run.wallNanos()),
                        Bench.count(lines / run.seconds()), Bench.mb(run.peakRssBytes()), Bench.mb(run.heap().peakUsedBytes()),
                        same ? "= batch" : "DIFFERENT");
            }
            batchSeconds = Bench.median(batch);
            Path out = Bench.WORK.resolve("out-throughput-local").toAbsolutePath();
            Bench.deleteTree(out);
            StormwatchProcess.Run local = StormwatchProcess.checked(StormwatchProcess.run("throughput-local",
                    List.of("local", jobName, "--source", "file:" + log, "--output", "jsonl:" + out)));
            localSeconds = local.seconds();
            localCpu = local.cpuSummary();
            boolean same = Oracle.asRead(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).equals(batchTotals);
            long submitted = local.logMark("submitted to an in-process cluster");
            long reading = local.logMark("from offset 0");
            long complete = local.logMark("results complete");
            processTable.row("bin/stormwatch local " + jobName + " --source file:F --output jsonl:D", Bench.seconds(local.wallNanos()),
                    Bench.count(lines / local.seconds()), Bench.mb(local.peakRssBytes()), Bench.mb(local.heap().peakUsedBytes()),
                    same ? "= batch" : "DIFFERENT");
            if (reading > 0 && complete > 0) {
                processTable.row("  of which: reading the file → results complete (log times)",
                        String.format(Locale.ROOT, "%.2f s", (complete - reading) / 1e3),
                        Bench.count(lines / ((complete - reading) / 1e3)), "", "", "");
                processTable.row("  of which: process start → topology submitted",
                        String.format(Locale.ROOT, "%.2f s", (submitted - local.startEpochMillis()) / 1e3), "", "", "", "");
            }
        }
        // The batch engine warm in this JVM: what batch does without its JVM start.
        double warmBatch = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            batchEngine(job, log);
            warmBatch = Math.min(warmBatch, (System.nanoTime() - start) / 1e9);
        }
        processTable.row("Batch engine in this JVM, warm (best of 3; not a process)", String.format(Locale.ROOT, "%.2f s", warmBatch),
                Bench.count(lines / warmBatch), "", "", "");
        System.out.println();
        processTable.print(System.out);
        if (localCpu != null) {
            System.out.println("local, CPU by thread (s; /proc, 15 characters of a thread name; ~ = not an executor): " + localCpu);
        }

        // --- the topology in this JVM
        Bench.Table rates = new Bench.Table("variant", "lines/s emit→ack", "× batch", "steady 10→90 %",
                "emit→_SUCCESS", "CPU cores", "CPU µs/line", "GC pauses", "JIT", "failed", "totals");
        Map<String, Map<String, Long>> cpuByVariant = new LinkedHashMap<>();
        double defaultsRate = Double.NaN;
        try (LocalCluster cluster = new LocalCluster()) {
            if (warmup) {
                for (int i = 1; i <= WARMUP_RUNS; i++) {
                    Result warm = run(cluster, jobName, new Variant("warmup", "", Map.of()), log, lines, batchTotals);
                    System.out.println("warm-up run " + i + " (defaults, not reported): " + Bench.count(warm.rate()) + " lines/s");
                }
            }
            Recording recording = null;
            if (jfr != null) {
                // After the warm-up, so that the profile is of the measured rows only.
                recording = new Recording(Configuration.getConfiguration("profile"));
                recording.setDestination(jfr);
                recording.start();
            }
            for (Variant variant : variants) {
                Result r = run(cluster, jobName, variant, log, lines, batchTotals);
                double vsBatch = r.rate() / (lines / batchSeconds);
                rates.row(variant.label(), Bench.count(r.rate()), Double.isNaN(vsBatch) ? "-" : Bench.ratio(vsBatch),
                        r.ninetyPercent() - r.tenPercent() < 10_000_000L ? "- (acks in bursts)" : Bench.count(r.steadyRate()),
                        Bench.seconds(r.toSuccessNanos()),
                        String.format(Locale.ROOT, "%.2f", r.cpuCores()),
                        String.format(Locale.ROOT, "%.2f", r.cpuNanos() / 1000.0 / lines),
                        r.gcMillis() + " ms", r.jitMillis() + " ms", r.failed(), r.totalsCheck());
                Map<String, Long> cpu = new LinkedHashMap<>();
                long javaThreads = 0;
                for (Map.Entry<String, Long> e : r.cpuByComponent().entrySet()) {
                    String group = e.getKey().startsWith(ExecutorCpu.OTHER_PREFIX) ? OTHER_JAVA : e.getKey();
                    cpu.merge(group, e.getValue(), Long::sum);
                    javaThreads += e.getValue();
                }
                cpu.put(NATIVE, r.cpuNanos() - javaThreads);
                cpuByVariant.put(variant.label(), cpu);
                if (variant.label().startsWith("defaults")) {
                    defaultsRate = Double.isNaN(defaultsRate) ? r.rate() : Math.max(defaultsRate, r.rate());
                }
                System.out.println("done: " + variant.label() + ": " + Bench.count(r.rate()) + " lines/s");
            }
            if (recording != null) {
                recording.stop();
                recording.close();
                System.out.println("JFR recording of the rows (not the warm-up): " + jfr);
            }
        }
        System.out.println();
        rates.print(System.out);
        System.out.println();
        printCpuTable(cpuByVariant);
        System.out.println();
        System.out.println("rows:");
        for (Variant v : variants) {
            System.out.println("  " + v.label() + ": " + v.what());
        }
        System.out.println("lines/s emit→ack: first block emitted to last block acked (committed), task hooks; start-up"
                + " excluded. × batch: that rate over batch --json's whole-process rate (median of 3).");
        System.out.println("CPU cores: process CPU time / wall time from first emit to last ack (2 = the whole machine);"
                + " CPU µs/line: process CPU over the same interval per line. GC pauses, JIT: time the JVM reports for"
                + " them over the row (JIT: compiler threads' time; each row waits for a quiet JIT before it starts).");
        System.out.println("CPU s per executor: thread CPU time of Thread-N-<component>-executor[...] over the same interval;"
                + " " + OTHER_JAVA + ": Storm's worker, timer and ZooKeeper threads, this benchmark's own; " + NATIVE
                + ": process CPU minus all Java threads (GC and JIT threads); process = the sum.");
        if (processes) {
            System.out.println();
            double batchRate = lines / batchSeconds;
            System.out.printf(Locale.ROOT, "batch --json: %.2f s = %s lines/s (median of 3, whole process); local whole process: %.2f s%n",
                    batchSeconds, Bench.count(batchRate), localSeconds);
            if (!Double.isNaN(defaultsRate) && jobName.equals(LogAnalytics.NAME)) { // the targets are log-analytics'
                System.out.printf(Locale.ROOT, "target stream ≥ %.1f × batch: defaults (better of its two rows) %.2f × → %s%n", TARGET_RATIO,
                        defaultsRate / batchRate, Bench.verdict(defaultsRate >= TARGET_RATIO * batchRate));
                System.out.printf(Locale.ROOT, "target stream ≥ %s lines/s: defaults %s lines/s → %s%n", Bench.count(TARGET_RATE),
                        Bench.count(defaultsRate), Bench.verdict(defaultsRate >= TARGET_RATE));
            }
        }
    }

    /** CPU seconds per Storm executor (component) per row, between first emit and last ack. */
    private static void printCpuTable(Map<String, Map<String, Long>> cpuByVariant) {
        List<String> components = cpuByVariant.values().stream()
                .flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
        List<String> header = new ArrayList<>(List.of("CPU s per executor"));
        header.addAll(components);
        header.add("process");
        Bench.Table table = new Bench.Table(header.toArray(String[]::new));
        cpuByVariant.forEach((label, cpu) -> {
            List<Object> row = new ArrayList<>(List.of(label));
            for (String component : components) {
                Long nanos = cpu.get(component);
                row.add(nanos == null ? "-" : String.format(Locale.ROOT, "%.2f", nanos / 1e9));
            }
            row.add(String.format(Locale.ROOT, "%.2f", cpu.values().stream().mapToLong(Long::longValue).sum() / 1e9));
            table.row(row.toArray());
        });
        table.print(System.out);
    }

    /** {@code key=value,key=value}: config overrides, values as {@code -c} takes them. */
    private static Variant variant(String spec) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (String keyValue : spec.split(",")) {
            Map.Entry<String, Object> entry = StormwatchConfig.parseOverride(keyValue.trim());
            overrides.put(entry.getKey(), entry.getValue());
        }
        return new Variant(spec, spec, overrides);
    }

    private record Result(long lines, long firstEmit, long lastAck, long tenPercent, long ninetyPercent,
            long success, double cpuCores, long cpuNanos, long gcMillis, long jitMillis, long failed, String totalsCheck,
            Map<String, Long> cpuByComponent) {
        double rate() {
            return lines * 1e9 / (lastAck - firstEmit);
        }

        double steadyRate() {
            return 0.8 * lines * 1e9 / (ninetyPercent - tenPercent);
        }

        long toSuccessNanos() {
            return success - firstEmit;
        }
    }

    /** The totals of {@code job} over {@code log} by the batch engine in this JVM. */
    private static <R> Tally batchEngine(Job<R> job, Path log) throws java.io.IOException {
        return new Batch<>(job, AccessLogParser.DEFAULT_MAX_LINE_LENGTH).run(List.of(log), Batch.DeadLetterSink.DISCARD, bytes -> {});
    }

    private static Result run(LocalCluster cluster, String jobName, Variant variant, Path log, long lines, JsonNode batchTotals)
            throws Exception {
        String name = "tp-" + variant.label().replaceAll("[^A-Za-z0-9]+", "-");
        Path out = Bench.WORK.resolve("out-" + name).toAbsolutePath();
        Bench.deleteTree(out);
        Map<String, Object> conf = new LinkedHashMap<>();
        conf.put(StormwatchConfig.SOURCE, "file:" + log);
        conf.put(StormwatchConfig.OUTPUTS, "jsonl:" + out);
        conf.putAll(variant.overrides());
        BenchProbe.install(conf);
        JobTopology job = JobTopology.fromConfig(jobName, name, conf, true, System.getenv());

        if (!variant.label().equals("warmup")) {
            awaitQuietJit();
        }
        AckTimeline timeline = new AckTimeline(lines);
        BenchProbe.recorder = timeline;
        LocalStorm.submit(cluster, job);
        Path success = out.resolve(JsonLinesSink.SUCCESS);
        boolean done = Bench.await(() -> Files.exists(success), RUN_LIMIT);
        LocalStorm.kill(cluster, name);
        BenchProbe.recorder = new BenchProbe.Recorder() {};
        if (!done || timeline.lastAck == 0) {
            throw new IllegalStateException(variant.label() + ": no " + success + " after " + RUN_LIMIT + "; "
                    + timeline.acked + " of " + lines + " lines acked");
        }
        JsonNode totals = Oracle.asRead(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS)));
        String check = totals.equals(batchTotals) ? "= batch" : "DIFFERENT: " + totals.get("records") + " records";
        long wall = timeline.lastAck - timeline.firstEmit;
        long cpu = timeline.cpuAtLastAck.processCpuNanos - timeline.cpuAtFirstEmit.processCpuNanos;
        return new Result(lines, timeline.firstEmit, timeline.lastAck, timeline.milestone(0.1), timeline.milestone(0.9),
                timeline.sinkEndOfInput, (double) cpu / wall, cpu, timeline.gcAtLastAck - timeline.gcAtFirstEmit,
                timeline.jitAtLastAck - timeline.jitAtFirstEmit,
                timeline.failed, check,
                timeline.cpuAtLastAck.allSince(timeline.cpuAtFirstEmit));
    }

    /**
     * Waits (at most 15 s) until the JIT compiled for less than 20 ms in the last 500 ms: a row should not pay for
     * compiling what the rows before it made hot.
     */
    private static void awaitQuietJit() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long[] before = {jit.getTotalCompilationTime()};
        try {
            await().atMost(Duration.ofSeconds(15)).pollDelay(Duration.ofMillis(500)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        long now = jit.getTotalCompilationTime();
                        boolean quiet = now - before[0] < 20;
                        before[0] = now;
                        return quiet;
                    });
        } catch (ConditionTimeoutException stillCompiling) {
            // Measured all the same; the row's JIT column shows it.
        }
    }

    /** Ack timeline of one run: lines acked, and when each 5 % had been. Spout hooks run on the spout's thread. */
    private static final class AckTimeline implements BenchProbe.Recorder {
        private static final int STEPS = 20;
        final long lines;
        final long[] milestones = new long[STEPS + 1];
        final Map<Long, Integer> linesByOffset = new ConcurrentHashMap<>();
        volatile long firstEmit;
        volatile ExecutorCpu cpuAtFirstEmit;
        volatile long jitAtFirstEmit;
        volatile long jitAtLastAck;
        volatile long gcAtFirstEmit;
        volatile long gcAtLastAck;
        volatile long acked;
        volatile long failed;
        volatile long lastAck;
        volatile ExecutorCpu cpuAtLastAck;
        volatile long sinkEndOfInput;

        AckTimeline(long lines) {
            this.lines = lines;
        }

        @Override
        public void blockEmitted(LineBlock block, long nanos) {
            if (firstEmit == 0) {
                jitAtFirstEmit = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
                gcAtFirstEmit = Bench.gcMillis();
                cpuAtFirstEmit = ExecutorCpu.now();
                firstEmit = nanos;
            }
            linesByOffset.put(block.offset(), block.lineCount());
        }

        @Override
        public void blockAcked(Object messageId, long nanos) {
            Integer n = linesByOffset.remove(((BlockMessageId) messageId).offset());
            if (n == null) {
                return;
            }
            long before = acked;
            long now = before + n;
            acked = now;
            for (int step = (int) (before * STEPS / lines) + 1; step <= Math.min(STEPS, now * STEPS / lines); step++) {
                milestones[step] = nanos;
            }
            if (now >= lines && lastAck == 0) {
                lastAck = nanos;
                cpuAtLastAck = ExecutorCpu.now();
                jitAtLastAck = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
                gcAtLastAck = Bench.gcMillis();
            }
        }

        @Override
        public void blockFailed(Object messageId, long nanos) {
            // The block comes back as single-line parts, each emitted (and registered) on its own.
            linesByOffset.remove(((BlockMessageId) messageId).offset());
            failed++;
        }

        @Override
        public void sinkEndOfInput(String sink, long nanos) {
            sinkEndOfInput = nanos;
        }

        long milestone(double fraction) {
            return milestones[(int) Math.round(fraction * STEPS)];
        }
    }
}
