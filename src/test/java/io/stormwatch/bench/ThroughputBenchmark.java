package io.stormwatch.bench;

import io.stormwatch.testing.LocalStorm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stormwatch.core.job.loganalytics.StatsJson;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.spout.FileSpout;
import io.stormwatch.storm.topology.LogAnalyticsOptions;
import io.stormwatch.storm.topology.LogAnalyticsTopology;
import io.stormwatch.storm.topology.Outputs;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.storm.topology.TopologyConfigs;
import io.stormwatch.testing.RedisServer;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.storm.Config;
import org.apache.storm.LocalCluster;

/**
 * Lines per second through the whole log-analytics topology on an in-process LocalCluster, as
 * {@code stormwatch local} runs it — with Storm's defaults, then with {@code conf/local.yaml} (acking on,
 * max spout pending 5000, a state checkpoint every 100 ms, tuples serialized as a check), then with settings
 * changed; always event time, 30 s windows sliding by 10 s, in-memory state (one row: Redis), the
 * JSON-lines sink, reading a generated Combined log with the real {@link FileSpout}.
 *
 * <p>Timing comes from {@link BenchProbe} (task hooks): from the source's first line emit to its last ack
 * (every line parsed, in panes, and counted in running totals whose checkpoint has committed); the steady
 * rate between 10 % and 90 % of lines acked; and first emit to the sink's {@code _SUCCESS} (adds the final
 * watermark, the last windows and the totals file). Start-up (cluster, submit) is excluded. A short warm-up
 * run first lets the JIT compile the hot paths. Each run's final totals must count every line once. CPU per
 * line is split by Storm executor (thread CPU time of {@code Thread-N-<component>-executor[...]}).
 *
 * <p>The topology is assembled as {@code LogAnalyticsJob.fromConfig} does it, except that the FileSpout's
 * own bound on unacked lines (10,000 by default) is raised to {@code max.spout.pending}, so that pending is
 * the one limit.
 *
 * <pre>
 * bin/bench-topology throughput [--lines N] [--warmup N] [--only LABEL,...] [--variant KEY=VALUE,... ...]
 * </pre>
 */
public final class ThroughputBenchmark {

    /** {@code ReliableFileSpout}'s default bound on lines in flight. */
    private static final int MAX_IN_FLIGHT_DEFAULT = 10_000;
    private static final Duration RUN_LIMIT = Duration.ofSeconds(170);
    private static final Pattern EXECUTOR_THREAD = Pattern.compile("Thread-\\d+-(.+)-executor\\[.*");

    /** Where a row's config starts from: conf/local.yaml, or nothing, as `stormwatch local` without --conf. */
    private enum Base { LOCAL_YAML, NO_CONF }

    /**
     * One row: the config it starts from, overrides on top, how many lines keep the run near 10-20 s, and
     * whether the running totals' state is in a Redis server the benchmark starts (else in memory).
     */
    private record Variant(String label, long lines, Base base, Map<String, Object> overrides, boolean redis) {
        Variant(String label, long lines, Map<String, Object> overrides) {
            this(label, lines, Base.LOCAL_YAML, overrides, false);
        }
    }

    private static final String CHECKPOINT = Config.TOPOLOGY_STATE_CHECKPOINT_INTERVAL;
    private static final String PENDING = Config.TOPOLOGY_MAX_SPOUT_PENDING;
    private static final String SERIALIZE = Config.TOPOLOGY_TESTING_ALWAYS_TRY_SERIALIZE;

    private static final List<Variant> VARIANTS = List.of(
            new Variant("no --conf", 100_000, Base.NO_CONF, Map.of(), false),
            new Variant("local.yaml", 500_000, Map.of()),
            new Variant("checkpoint=1000ms", 100_000, Map.of(CHECKPOINT, 1_000)),
            new Variant("pending=50000", 500_000, Map.of(PENDING, 50_000)),
            new Variant("+no-serialize", 1_000_000, Map.of(PENDING, 50_000, SERIALIZE, false)),
            new Variant("+parse=2", 1_000_000, Map.of(PENDING, 50_000, SERIALIZE, false,
                    StormwatchConfig.PARSE_PARALLELISM, 2)),
            new Variant("state=redis", 500_000, Base.LOCAL_YAML, Map.of(PENDING, 50_000), true));

    private ThroughputBenchmark() {}

    public static void main(String[] args) {
        Bench.runAndExit(() -> benchmark(args));
    }

    private static void benchmark(String[] args) throws Exception {
        Long lines = null;
        long warmupLines = 100_000;
        List<String> only = null;
        List<Variant> variants = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lines" -> lines = Long.parseLong(args[++i].replace("_", ""));
                case "--warmup" -> warmupLines = Long.parseLong(args[++i].replace("_", ""));
                case "--only" -> only = List.of(args[++i].split(","));
                case "--variant" -> variants.add(variant(args[++i]));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: [--lines N] [--warmup N] [--only LABEL,...] [--variant KEY=VALUE,... ...]");
            }
        }
        if (variants.isEmpty()) {
            for (Variant v : VARIANTS) {
                if (only == null || only.contains(v.label())) {
                    variants.add(v);
                }
            }
        }
        System.out.println("== throughput: log-analytics on a LocalCluster, generated Combined lines read by FileSpout");
        System.out.println(Bench.machine());

        Bench.Table rates = new Bench.Table("variant", "lines", "lines/s first emit→last ack", "steady 10→90 %",
                "first emit→_SUCCESS", "CPU cores", "GC pauses", "failed", "totals");
        Map<String, Map<String, Long>> cpuByVariant = new LinkedHashMap<>();
        Map<String, Long> linesByVariant = new LinkedHashMap<>();
        RedisServer redis = null;
        try (LocalCluster cluster = new LocalCluster()) {
            if (warmupLines > 0) {
                Result warm = run(cluster, new Variant("warmup", warmupLines, Map.of(PENDING, 50_000)),
                        Bench.combinedLog(warmupLines, 7));
                System.out.println("warm-up run (" + Bench.count(warmupLines) + " lines, not reported): "
                        + Bench.count(warm.rate()) + " lines/s");
            }
            for (Variant variant : variants) {
                long n = lines != null ? lines : variant.lines();
                Map<String, Object> overrides = new LinkedHashMap<>(variant.overrides());
                if (variant.redis()) {
                    if (redis == null) {
                        redis = RedisServer.start();
                    }
                    overrides.put(StormwatchConfig.STATE, "redis://" + redis.host() + ":" + redis.port() + "/0");
                }
                Result r = run(cluster, new Variant(variant.label(), n, variant.base(), overrides, false),
                        Bench.combinedLog(n, 42));
                rates.row(variant.label(), Bench.count(n), Bench.count(r.rate()), Bench.count(r.steadyRate()),
                        String.format(Locale.ROOT, "%.1f s", r.toSuccessNanos() / 1e9),
                        String.format(Locale.ROOT, "%.2f", r.cpuCores()), r.gcMillis() + " ms", r.failed(),
                        r.totalsCheck());
                cpuByVariant.put(variant.label(), r.cpuByComponent());
                linesByVariant.put(variant.label(), n);
                System.out.println("done: " + variant.label() + ": " + Bench.count(r.rate()) + " lines/s");
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
        System.out.println();
        rates.print(System.out);
        System.out.println();
        printCpuTable(cpuByVariant, linesByVariant);
        System.out.println();
        System.out.println("rows: no --conf = the submitter's defaults, as `stormwatch local` without --conf (pending"
                + " 10,000, a checkpoint every 100 ms); local.yaml = conf/local.yaml (the same values; its rows"
                + " below change one thing each); checkpoint=1000ms = local.yaml with Storm's default checkpoint"
                + " interval; pending=50000 ="
                + " local.yaml with topology.max.spout.pending 50000; each '+' row adds its change to the row above"
                + " (no-serialize = topology.testing.always.try.serialize false, as inside one worker on a cluster;"
                + " parse=2 = two parse tasks); state=redis = pending=50000 with the running totals in a local"
                + " redis-server, as conf/cluster.yaml has them.");
        System.out.println("CPU per line counts idle executors too: Storm's progressive wait strategy polls while a bolt"
                + " has no input, so slow runs show more CPU per line in every executor.");
        System.out.println("CPU cores: process CPU time / wall time, first emit to last ack (2 = the whole machine;"
                + " other processes on the machine take their share).");
    }

    /** µs of CPU per line in each Storm executor, the columns the components that used any. */
    private static void printCpuTable(Map<String, Map<String, Long>> cpuByVariant, Map<String, Long> linesByVariant) {
        List<String> components = cpuByVariant.values().stream()
                .flatMap(m -> m.keySet().stream()).distinct().sorted().toList();
        List<String> header = new ArrayList<>(List.of("CPU µs per line"));
        header.addAll(components);
        header.add("all executors");
        Bench.Table table = new Bench.Table(header.toArray(String[]::new));
        cpuByVariant.forEach((label, cpu) -> {
            double lines = linesByVariant.get(label);
            List<Object> row = new ArrayList<>(List.of(label));
            for (String component : components) {
                row.add(String.format(Locale.ROOT, "%.1f", cpu.getOrDefault(component, 0L) / 1000.0 / lines));
            }
            row.add(String.format(Locale.ROOT, "%.1f",
                    cpu.values().stream().mapToLong(Long::longValue).sum() / 1000.0 / lines));
            table.row(row.toArray());
        });
        table.print(System.out);
    }

    /** {@code key=value,key=value}: config overrides, values as {@code -c} takes them; 1 M lines. */
    private static Variant variant(String spec) {
        Map<String, Object> overrides = new LinkedHashMap<>();
        for (String keyValue : spec.split(",")) {
            Map.Entry<String, Object> entry = StormwatchConfig.parseOverride(keyValue.trim());
            overrides.put(entry.getKey(), entry.getValue());
        }
        return new Variant(spec, 1_000_000, overrides);
    }

    private record Result(long lines, long firstEmit, long lastAck, long tenPercent, long ninetyPercent,
            long success, double cpuCores, long gcMillis, long failed, String totalsCheck,
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

    private static Result run(LocalCluster cluster, Variant variant, Path log) throws Exception {
        String name = "bench-" + variant.label().replaceAll("[^A-Za-z0-9]+", "-");
        Path out = Bench.WORK.resolve("out-" + name);
        deleteTree(out);
        Map<String, Object> conf = variant.base() == Base.LOCAL_YAML ? Bench.localConf() : new HashMap<>();
        conf.putAll(variant.overrides());
        BenchProbe.install(conf);
        LogAnalyticsOptions options = LogAnalyticsOptions.fromConfig(conf);
        FileSpout spout = new FileSpout(log.toAbsolutePath().toString()).withMaxLineLength(options.maxLineLength());
        Object pending = conf.get(PENDING);
        if (pending != null) {
            spout.withMaxInFlight(Math.max(MAX_IN_FLIGHT_DEFAULT, ((Number) pending).intValue()));
        }

        Recorder recorder = new Recorder(variant.lines());
        BenchProbe.recorder = recorder;
        long gcBefore = gcMillis();
        cluster.submitTopology(name, TopologyConfigs.logAnalytics(conf, options, Map.of()),
                LogAnalyticsTopology.build(spout, 1, Outputs.sinks("jsonl:" + out.toAbsolutePath(), options, Map.of()),
                        options));
        Path success = out.resolve(JsonLinesSink.SUCCESS);
        boolean done = Bench.await(() -> Files.exists(success), RUN_LIMIT);
        long gc = gcMillis() - gcBefore;
        Map<String, Long> cpu = executorCpu();
        LocalStorm.kill(cluster, name);
        if (!done) {
            throw new IllegalStateException(variant.label() + ": no " + success + " after " + RUN_LIMIT + "; "
                    + recorder.acked.get() + " of " + variant.lines() + " lines acked");
        }
        return new Result(variant.lines(), recorder.firstEmit.get(), recorder.lastAck, recorder.milestone(0.1),
                recorder.milestone(0.9), recorder.endOfInput,
                (double) (recorder.cpuAtLastAck - recorder.cpuAtFirstEmit) / (recorder.lastAck - recorder.firstEmit.get()),
                gc, recorder.failed.get(), totalsCheck(out.resolve(JsonLinesSink.TOTALS), variant.lines()), cpu);
    }

    /** CPU time of the live Storm executor threads by component (the run's topology is the only one). */
    private static Map<String, Long> executorCpu() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new TreeMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            Matcher executor = EXECUTOR_THREAD.matcher(info.getThreadName());
            long nanos = threads.getThreadCpuTime(info.getThreadId());
            if (executor.matches() && nanos > 0) {
                cpu.merge(executor.group(1), nanos, Long::sum);
            }
        }
        return cpu;
    }

    /** "ok" when the final totals count every line once, else what they hold. */
    private static String totalsCheck(Path totals, long lines) throws IOException {
        JsonNode json = new ObjectMapper().readTree(totals.toFile());
        long counted = json.get(StatsJson.RECORDS).asLong() + json.get(StatsJson.REJECTED).asLong();
        return counted == lines ? "ok" : "WRONG: " + counted + " lines counted";
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** Ack timeline of one run: the time each 5 % of lines had been acked. */
    private static final class Recorder implements BenchProbe.Recorder {
        private static final int STEPS = 20;
        final long lines;
        final long step;
        final AtomicLong firstEmit = new AtomicLong();
        final AtomicLong acked = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final Map<Integer, Long> milestones = new LinkedHashMap<>();
        volatile long cpuAtFirstEmit;
        volatile long lastAck;
        volatile long cpuAtLastAck;
        volatile long endOfInput;

        Recorder(long lines) {
            this.lines = lines;
            this.step = Math.max(1, lines / STEPS);
        }

        @Override
        public void lineEmitted(long nanos) {
            if (firstEmit.get() == 0 && firstEmit.compareAndSet(0, nanos)) {
                cpuAtFirstEmit = Bench.processCpuNanos();
            }
        }

        @Override
        public void lineAcked(long nanos) {
            long n = acked.incrementAndGet();
            if (n % step == 0) {
                synchronized (milestones) {
                    milestones.put((int) (n / step), nanos);
                }
            }
            if (n == lines) {
                lastAck = nanos;
                cpuAtLastAck = Bench.processCpuNanos();
            }
        }

        @Override
        public void lineFailed(long nanos) {
            failed.incrementAndGet();
        }

        @Override
        public void sinkEndOfInput(long nanos) {
            endOfInput = nanos;
        }

        long milestone(double fraction) {
            synchronized (milestones) {
                return milestones.get((int) Math.round(fraction * STEPS));
            }
        }
    }
}
