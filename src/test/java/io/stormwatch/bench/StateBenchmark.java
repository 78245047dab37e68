package io.stormwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.totals.RunningTotals;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.bolt.TotalsBolt;
import io.stormwatch.storm.bolt.TupleTypes;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.state.MemoryKeyValueState;
import io.stormwatch.storm.state.RedisEndpoint;
import io.stormwatch.storm.state.StateBackends;
import io.stormwatch.testing.EventJob;
import io.stormwatch.testing.Oracle;
import io.stormwatch.testing.RedisServer;
import io.stormwatch.testing.TestTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.storm.Config;
import org.apache.storm.state.DefaultStateSerializer;
import org.apache.storm.state.InMemoryKeyValueState;
import org.apache.storm.state.KeyValueState;
import org.apache.storm.state.StateFactory;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.utils.Utils;
import redis.clients.jedis.Jedis;

/**
 * Running totals with a million keys, two parts.
 *
 * <p><b>1. Whole runs.</b> A generated log of 1,000,000 Combined lines over ~1 M endpoints and 500 k clients
 * ({@code LogGenerator.Options(...).withEndpoints(1_000_000).withClients(500_000)}) through
 * {@code bin/stormwatch local log-analytics --source file:F --output jsonl:D} with in-memory state and with Redis
 * state (a {@code redis-server} this benchmark starts on a free port), against {@code bin/stormwatch batch --json F},
 * each a whole process: wall time, peak RSS, peak heap used (GC log); the totals must equal the batch's.
 *
 * <p><b>2. Checkpoint cost vs change.</b> In this JVM: {@link RunningTotals} (the totals bolt's engine) holding
 * 10 k or 1 M keys, committed; then per round 1,000 of its keys change (one block counted) and one checkpoint is
 * taken as Storm's stateful executor takes it — {@code prePrepare} (the totals bolt's: {@link RunningTotals#checkpoint}
 * and its puts into the state), {@code prepareCommit(txid)}, {@code commit(txid)} — into a real
 * {@link KeyValueState}: stormwatch's {@link MemoryKeyValueState} (the default), Storm's
 * {@link InMemoryKeyValueState} (what it replaced: copies everything at each prepare) and Redis through
 * {@code RedisStateProvider} (storm-redis's {@code RedisKeyValueState}). Median of the rounds after warm-up.
 * Bytes: the checkpoint's puts serialized as Storm's state serializer does (what Redis stores), and what the
 * Redis server received ({@code total_net_input_bytes}). The claim to show: cost follows the change, not the
 * number of keys.
 *
 * <pre>
 * bin/bench-topology state [--lines N] [--skip-runs] [--skip-redis] [--changed N] [--rounds N]
 * </pre>
 */
public final class StateBenchmark {

    /** The endpoints dimension of {@link LogStats#SCHEMA} (reject reasons, response codes, clients, endpoints). */
    private static final int ENDPOINTS = 3;
    private static final int FILL_CHUNK = 100_000;

    private StateBenchmark() {}

    public static void main(String[] args) {
        Bench.runAndExit(() -> benchmark(args));
    }

    private static void benchmark(String[] args) throws Exception {
        long lines = 1_000_000;
        boolean runs = true;
        boolean redis = true;
        int changed = 1_000;
        int rounds = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lines" -> lines = Long.parseLong(args[++i].replace("_", ""));
                case "--skip-runs" -> runs = false;
                case "--skip-redis" -> redis = false;
                case "--changed" -> changed = Integer.parseInt(args[++i].replace("_", ""));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: [--lines N] [--skip-runs] [--skip-redis] [--changed N] [--rounds N]");
            }
        }
        System.out.printf(Locale.ROOT, "== state: running totals with ~1 M endpoints and 500 k clients; checkpoint cost vs change%n");
        System.out.println(Bench.machine());
        if (runs) {
            wholeRuns(lines, redis);
        }
        checkpoints(redis, changed, rounds);
    }

    // ---------------------------------------------------------------- part 1

    private static void wholeRuns(long lines, boolean redis) throws Exception {
        Path log = Bench.log("state-" + lines + "-42-e1M-c500k.log",
                new LogGenerator.Options(lines, 42, LogGenerator.Format.COMBINED, 0.0, LogGenerator.DEFAULT_START)
                        .withEndpoints(1_000_000).withClients(500_000));
        System.out.printf(Locale.ROOT, "input: %s, %,d MB%n", log, Files.size(log) >> 20);

        StormwatchProcess.Run batch = StormwatchProcess.checked(StormwatchProcess.run("state-batch",
                List.of("batch", "--json", log.toString())));
        JsonNode batchTotals = Oracle.asRead(Oracle.readJson(batch.stdout()));

        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"bin/stormwatch batch --json F", batch, "-", null});
        Path memoryOut = Bench.WORK.resolve("out-state-memory").toAbsolutePath();
        Bench.deleteTree(memoryOut);
        LiveHeap memoryLive = new LiveHeap(memoryOut, lines);
        StormwatchProcess.Run memory = StormwatchProcess.checked(StormwatchProcess.run("state-local-memory",
                List.of("local", "log-analytics", "--source", "file:" + log, "--output", "jsonl:" + memoryOut),
                List.of(), false, Duration.ofMinutes(10), memoryLive));
        rows.add(new Object[] {"bin/stormwatch local ... (--state memory)", memory, check(memoryOut, batchTotals), memoryLive});
        String redisMemory = null;
        if (redis) {
            try (RedisServer server = RedisServer.start()) {
                Path redisOut = Bench.WORK.resolve("out-state-redis").toAbsolutePath();
                Bench.deleteTree(redisOut);
                LiveHeap redisLive = new LiveHeap(redisOut, lines);
                StormwatchProcess.Run run = StormwatchProcess.checked(StormwatchProcess.run("state-local-redis",
                        List.of("local", "log-analytics", "--source", "file:" + log, "--output", "jsonl:" + redisOut,
                                "--state", "redis://" + server.host() + ":" + server.port() + "/0"),
                        List.of(), false, Duration.ofMinutes(10), redisLive));
                rows.add(new Object[] {"bin/stormwatch local ... --state redis://...", run, check(redisOut, batchTotals),
                    redisLive});
                try (Jedis jedis = server.client()) {
                    redisMemory = info(jedis, "memory", "used_memory_peak_human") + " peak used by redis-server, "
                            + info(jedis, "memory", "used_memory_human") + " at the end, "
                            + jedis.dbSize() + " keys";
                }
            }
        }

        // The batch's live data: its totals tally, held in this JVM (the process exits with it).
        long baseline = usedAfterGc();
        Tally keys = new Batch<>(LogAnalytics.defaults(), AccessLogParser.DEFAULT_MAX_LINE_LENGTH)
                .run(List.of(log), Batch.DeadLetterSink.DISCARD, bytes -> {});
        long batchLive = usedAfterGc() - baseline;
        LogStats stats = LogStats.of(keys);

        StormwatchProcess.Heap batchHeap = batch.heap();
        Bench.Table table = new Bench.Table("command (whole process)", "wall", "× batch", "peak RSS", "× batch RSS",
                "peak heap used", "× batch heap", "live heap", "× batch live", "GC pauses", "totals");
        for (Object[] row : rows) {
            StormwatchProcess.Run run = (StormwatchProcess.Run) row[1];
            StormwatchProcess.Heap heap = run.heap();
            long live = row[3] == null ? batchLive : ((LiveHeap) row[3]).bytes;
            table.row(row[0], Bench.seconds(run.wallNanos()), Bench.ratio(run.seconds() / batch.seconds()),
                    Bench.mb(run.peakRssBytes()), Bench.ratio((double) run.peakRssBytes() / batch.peakRssBytes()),
                    Bench.mb(heap.peakUsedBytes()), Bench.ratio((double) heap.peakUsedBytes() / batchHeap.peakUsedBytes()),
                    Bench.mb(live), live < 0 ? "-" : Bench.ratio((double) live / batchLive),
                    String.format(Locale.ROOT, "%d, %.0f ms", heap.pauses(), heap.pauseMillis()), row[2]);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "totals hold %,d keys: %,d endpoints, %,d clients, %,d response codes%n",
                keys.keyCount(), stats.endpoints().size(), stats.clients().size(), stats.responseCodes().size());
        table.print(System.out);
        if (redisMemory != null) {
            System.out.println("redis: " + redisMemory);
        }
        System.out.println("CPU by thread (s; /proc, 15 characters of a thread name; ~ = not an executor):");
        for (Object[] row : rows) {
            System.out.println("  " + row[0] + ": " + ((StormwatchProcess.Run) row[1]).cpuSummary());
        }
        System.out.println("peak heap used: the largest heap occupancy the GC log shows (before a collection, or at exit):"
                + " JVMs run with their default max heap (1/4 of RAM), so it follows the allocation rate and G1's sizing."
                + " live heap: after a full GC — for local, jcmd GC.class_histogram once the totals count ≥ 95 % of the"
                + " lines; for batch, its totals tally held in this JVM (Batch engine; the process exits with it).");
        for (Object[] row : rows) {
            StormwatchProcess.Run run = (StormwatchProcess.Run) row[1];
            long reading = run.logMark("from offset 0");
            long complete = run.logMark("results complete");
            if (reading > 0 && complete > 0) {
                System.out.printf(Locale.ROOT, "  %s: reading the file → results complete %.2f s (log times)%n", row[0],
                        (complete - reading) / 1e3);
            }
        }
        System.out.println("targets (within 2 × batch's time and 2 × batch's heap):");
        for (Object[] row : rows.subList(1, rows.size())) {
            StormwatchProcess.Run run = (StormwatchProcess.Run) row[1];
            StormwatchProcess.Heap heap = run.heap();
            double time = run.seconds() / batch.seconds();
            double heapRatio = (double) heap.peakUsedBytes() / batchHeap.peakUsedBytes();
            double rss = (double) run.peakRssBytes() / batch.peakRssBytes();
            long liveBytes = ((LiveHeap) row[3]).bytes;
            // The run can end before its totals file shows 95 % of the lines (a million keys are rendered seldom).
            String live = liveBytes < 0 ? "not measured (the run ended before the probe saw 95 % counted)"
                    : String.format(Locale.ROOT, "%.2f× → %s", (double) liveBytes / batchLive,
                            Bench.verdict((double) liveBytes / batchLive <= 2));
            System.out.printf(Locale.ROOT, "  %s: time %.2f× → %s; peak heap %.2f× → %s; live heap %s (peak RSS %.2f× → %s)%n",
                    row[0], time, Bench.verdict(time <= 2), heapRatio, Bench.verdict(heapRatio <= 2), live,
                    rss, Bench.verdict(rss <= 2));
        }
        System.out.println();
    }

    private static String check(Path out, JsonNode batchTotals) throws Exception {
        JsonNode totals = Oracle.asRead(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS)));
        return totals.equals(batchTotals) ? "= batch" : "DIFFERENT: " + totals.get("records") + " records";
    }

    private static String info(Jedis jedis, String section, String key) {
        for (String line : jedis.info(section).split("\r?\n")) {
            if (line.startsWith(key + ":")) {
                return line.substring(key.length() + 1).trim();
            }
        }
        return "?";
    }

    /** Takes the live heap of a local run once its totals file counts 95 % of the lines. */
    private static final class LiveHeap implements StormwatchProcess.Probe {
        private final Path totals;
        private final long lines;
        long bytes = -1;
        private boolean taken;

        LiveHeap(Path out, long lines) {
            this.totals = out.resolve(JsonLinesSink.TOTALS);
            this.lines = lines;
        }

        @Override
        public void poll(long pid) throws java.io.IOException, InterruptedException {
            if (taken || !Files.exists(totals)) {
                return;
            }
            JsonNode json;
            try {
                json = Oracle.readJson(totals);
            } catch (java.io.IOException e) {
                return; // being replaced
            }
            if (json.path("records").asLong() + json.path("rejected").asLong() >= lines * 0.95) {
                taken = true;
                bytes = StormwatchProcess.liveHeapBytes(pid);
            }
        }
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    // ---------------------------------------------------------------- part 2

    /** Timings of one checkpoint, ns, and its bytes. */
    private record Checkpoint(long prePrepare, long prepare, long commit, int puts, long serializedBytes, long redisBytes) {
        long total() {
            return prePrepare + prepare + commit;
        }
    }

    private static void checkpoints(boolean redis, int changed, int rounds) throws Exception {
        System.out.printf(Locale.ROOT, "-- checkpoint cost vs change: %,d keys changed per checkpoint, median of %d rounds"
                + " after 3 warm-up%n", changed, rounds);
        Bench.Table table = new Bench.Table("state", "keys in totals", "puts", "prePrepare (totals → puts)",
                "prepareCommit", "commit", "checkpoint", "serialized puts", "bytes into Redis");
        RedisServer server = redis ? RedisServer.start() : null;
        try {
            for (int keys : new int[] {10_000, 1_000_000}) {
                List<Backend> backends = new ArrayList<>();
                backends.add(new Backend("stormwatch MemoryKeyValueState", MemoryKeyValueState::new, null));
                backends.add(new Backend("Storm InMemoryKeyValueState", InMemoryKeyValueState::new, null));
                if (server != null) {
                    backends.add(new Backend("Redis (RedisStateProvider)", () -> redisState(server, keys), server));
                }
                for (Backend backend : backends) {
                    Checkpoint median = measure(backend, keys, changed, rounds);
                    table.row(backend.label(), Bench.count(keys), Bench.count(median.puts()), Bench.millis(median.prePrepare()),
                            Bench.millis(median.prepare()), Bench.millis(median.commit()), Bench.millis(median.total()),
                            Bench.count(median.serializedBytes()) + " B",
                            backend.redis() == null ? "-" : Bench.count(median.redisBytes()) + " B");
                    System.out.println("done: " + backend.label() + ", " + Bench.count(keys) + " keys");
                }
            }
        } finally {
            if (server != null) {
                server.close();
            }
        }
        System.out.println();
        table.print(System.out);
        System.out.println("checkpoint = prePrepare + prepareCommit + commit, as Storm's StatefulBoltExecutor calls them;"
                + " prePrepare is TotalsBolt's (RunningTotals.checkpoint, then a state put per changed entry: Redis"
                + " serializes there).");
        System.out.println("serialized puts: keys + values as DefaultStateSerializer (Kryo) writes them; bytes into Redis:"
                + " total_net_input_bytes of the server over the checkpoint (protocol included).");
    }

    private record Backend(String label, Supplier<KeyValueState<String, Object>> state, RedisServer redis) {}

    private static Checkpoint measure(Backend backend, int keys, int changed, int rounds) {
        KeyValueState<String, Object> state = backend.state().get();
        RunningTotals totals = new RunningTotals(LogStats.SCHEMA, 600_000);
        DefaultStateSerializer<Object> serializer = serializer();
        String source = "bench.log#1";
        long offset = 0;
        long txid = 1;
        // Fill: the totals get `keys` endpoints, committed in chunks (one Redis command per chunk stays small).
        for (int from = 0; from < keys; from += FILL_CHUNK) {
            Tally fill = LogStats.SCHEMA.newTally();
            for (int i = from; i < Math.min(keys, from + FILL_CHUNK); i++) {
                fill.countRecord();
                fill.count(ENDPOINTS, endpoint(i), 1);
            }
            totals.add(source, offset, ++offset, fill);
            apply(totals.checkpoint(System.currentTimeMillis()), state);
            state.prepareCommit(txid);
            state.commit(txid++);
        }
        if (LogStats.of(totals.totals()).endpoints().size() != keys) {
            throw new IllegalStateException("the totals hold " + LogStats.of(totals.totals()).endpoints().size() + " endpoints");
        }
        Random random = new Random(42);
        List<Checkpoint> measured = new ArrayList<>();
        for (int round = -3; round < rounds; round++) {
            Tally change = LogStats.SCHEMA.newTally();
            for (int i = 0; i < changed; i++) {
                change.countRecord();
                change.count(ENDPOINTS, endpoint(random.nextInt(keys)), 1);
            }
            totals.add(source, offset, ++offset, change);
            long redisBefore = backend.redis() == null ? 0 : netInput(backend.redis());
            long t0 = System.nanoTime();
            RunningTotals.Changes changes = totals.checkpoint(System.currentTimeMillis());
            apply(changes, state);
            long t1 = System.nanoTime();
            state.prepareCommit(txid);
            long t2 = System.nanoTime();
            state.commit(txid++);
            long t3 = System.nanoTime();
            long redisBytes = backend.redis() == null ? 0 : netInput(backend.redis()) - redisBefore;
            if (round >= 0) {
                long bytes = 0;
                for (Map.Entry<String, Object> put : changes.puts().entrySet()) {
                    bytes += serializer.serialize(put.getKey()).length + serializer.serialize(put.getValue()).length;
                }
                measured.add(new Checkpoint(t1 - t0, t2 - t1, t3 - t2, changes.puts().size(), bytes, redisBytes));
            }
        }
        measured.sort((a, b) -> Long.compare(a.total(), b.total()));
        Checkpoint middle = measured.get(measured.size() / 2);
        long[] pre = measured.stream().mapToLong(Checkpoint::prePrepare).sorted().toArray();
        long[] prepare = measured.stream().mapToLong(Checkpoint::prepare).sorted().toArray();
        long[] commit = measured.stream().mapToLong(Checkpoint::commit).sorted().toArray();
        return new Checkpoint(pre[pre.length / 2], prepare[prepare.length / 2], commit[commit.length / 2], middle.puts(),
                middle.serializedBytes(), middle.redisBytes());
    }

    private static void apply(RunningTotals.Changes changes, KeyValueState<String, Object> state) {
        changes.puts().forEach(state::put);
        changes.deletes().forEach(state::delete);
    }

    private static String endpoint(int i) {
        return "/item/" + i + "?ref=bench";
    }

    private static long netInput(RedisServer server) {
        try (Jedis jedis = server.client()) {
            return Long.parseLong(info(jedis, "stats", "total_net_input_bytes"));
        }
    }

    /** Storm's state serializer over the topology's Kryo registrations. */
    private static DefaultStateSerializer<Object> serializer() {
        TestTopology topology = totalsTopology(Map.of());
        return new DefaultStateSerializer<>(topology.conf(), topology.context("totals", 0));
    }

    /** A fresh Redis state (its own namespace) as the totals bolt gets it from {@code RedisStateProvider}. */
    @SuppressWarnings("unchecked")
    private static KeyValueState<String, Object> redisState(RedisServer server, int keys) {
        TestTopology topology = totalsTopology(StateBackends.redis(new RedisEndpoint(server.host(), server.port(), null, 0,
                false, 10_000)));
        TopologyContext context = topology.context("totals", 0);
        return (KeyValueState<String, Object>) StateFactory.getState("totals-bench-" + keys + "-" + System.nanoTime(),
                topology.conf(), context);
    }

    private static TestTopology totalsTopology(Map<String, Object> backend) {
        TestTopology topology = new TestTopology()
                .component("parse", 1, Map.of(Utils.DEFAULT_STREAM_ID, Schema.PANES_FIELDS))
                .bolt("totals", 1, new TotalsBolt(new EventJob()), TestTopology.stream("parse", Utils.DEFAULT_STREAM_ID));
        Config registrations = new Config();
        TupleTypes.register(registrations);
        registrations.forEach(topology::conf);
        backend.forEach(topology::conf);
        return topology;
    }
}
