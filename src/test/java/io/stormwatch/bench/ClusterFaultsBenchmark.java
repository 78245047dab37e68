package io.stormwatch.bench;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.topology.Outputs;
import io.stormwatch.testing.CliProcess;
import io.stormwatch.testing.KafkaServer;
import io.stormwatch.testing.Oracle;
import io.stormwatch.testing.RedisServer;
import io.stormwatch.testing.StormCluster;
import io.stormwatch.testing.WindowFigures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import redis.clients.jedis.Jedis;

/**
 * "Before" figures of issue 10's faults on a real multi-process cluster ({@code stormwatch cluster up}: two
 * workers), for {@code topologies/results/faults.md}: log-analytics reading a Kafka topic (1 partition) that is
 * fed at a paced rate while the fault happens, running totals in a real Redis, outputs to jsonl and the Redis
 * sink; submitted with {@code stormwatch submit} as {@code storm jar} does. The faults:
 * <ul>
 *   <li>{@code kills}: a worker killed with SIGKILL {@code --kills} times, the Kafka spout's worker and the other
 *       in turn; each kill {@code --every} seconds after lines are counted again after the one before;</li>
 *   <li>{@code resubmit}: the topology killed (no wait) and submitted again under the same name.</li>
 * </ul>
 * For each: lines counted in the totals against the lines sent (lost, counted twice), whether the totals equal
 * {@code batch --json}, the windows of {@code windows.jsonl} and of Redis against {@code batch --window}
 * ({@link WindowFigures}), worker relaunch times, and the recovery time (fault → every line counted). A run
 * that never catches up is reported as such after {@code --patience} seconds without progress.
 *
 * <pre>bin/bench-topology cluster-faults [--lines N] [--rate R] [--kills K] [--every S] [--timeout S] [--only kills|resubmit|redis-freeze|redis-restart|kafka-restart]</pre>
 *
 * <p>The outages (issue 10 item 4): {@code redis-freeze} = Redis SIGSTOPped for 10 s, {@code redis-restart} = Redis
 * stopped (SIGTERM) for 10 s and started again with its append-only file (the benchmark's Redis persists every
 * write), {@code kafka-restart} = the broker stopped cleanly for 10 s and started again; each while lines flow.
 */
public final class ClusterFaultsBenchmark {

    private static final String KEYS = Outputs.redisKeyPrefix(LogAnalytics.NAME);

    private ClusterFaultsBenchmark() {}

    public static void main(String[] args) {
        Bench.runAndExit(() -> benchmark(args));
    }

    private record Settings(long lines, double rate, int kills, int every, int timeout, int patience, String only) {}

    private static void benchmark(String[] args) throws Exception {
        long lines = 40_000;
        double rate = 250;
        int kills = 3;
        int every = 5;
        int timeout = 10;
        int patience = 45;
        String only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lines" -> lines = Long.parseLong(args[++i].replace("_", ""));
                case "--rate" -> rate = Double.parseDouble(args[++i]);
                case "--kills" -> kills = Integer.parseInt(args[++i]);
                case "--every" -> every = Integer.parseInt(args[++i]);
                case "--timeout" -> timeout = Integer.parseInt(args[++i]);
                case "--patience" -> patience = Integer.parseInt(args[++i]);
                case "--only" -> only = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Settings settings = new Settings(lines, rate, kills, every, timeout, patience, only);
        System.out.println(Bench.machine());
        System.out.printf("cluster-faults: %,d lines over 5 min of event time, %.0f lines/s into Kafka while the fault"
                + " happens, topology.message.timeout.secs=%d%n", lines, rate, timeout);
        Path work = Files.createDirectories(Bench.WORK.resolve("cluster-faults"));
        try (KafkaServer kafka = KafkaServer.start(); RedisServer redis = RedisServer.startPersistent()) {
            long started = System.nanoTime();
            try (StormCluster storm = StormCluster.start(2, false)) {
                System.out.printf("cluster up in %s%n", Bench.millis(System.nanoTime() - started));
                if (only == null || only.equals("kills")) {
                    run(new Fault.Kills(), "faults-kills", 51, settings, work, storm, kafka, redis);
                }
                if (only == null || only.equals("resubmit")) {
                    run(new Fault.Resubmit(), "faults-resubmit", 52, settings, work, storm, kafka, redis);
                }
                if (only == null || only.contains("redis-freeze")) {
                    run(new Fault.RedisFreeze(), "faults-redis-freeze", 53, settings, work, storm, kafka, redis);
                }
                if (only == null || only.contains("redis-restart")) {
                    run(new Fault.RedisRestart(), "faults-redis-restart", 54, settings, work, storm, kafka, redis);
                }
                if (only == null || only.contains("kafka-restart")) {
                    run(new Fault.KafkaRestart(), "faults-kafka-restart", 55, settings, work, storm, kafka, redis);
                }
            }
        }
        System.out.println(Bench.machineAfter());
    }

    /** What happens to the topology while the paced lines go in. */
    private sealed interface Fault {
        /** Does the fault; returns a line per event for the report. */
        List<String> apply(Context context) throws Exception;

        record Kills() implements Fault {
            @Override
            public List<String> apply(Context c) throws Exception {
                List<String> events = new ArrayList<>();
                String id = c.storm().topologyId(c.name()).orElseThrow();
                Set<Integer> spout = c.storm().portsOf(id, "source");
                for (int k = 0; k < c.settings().kills(); k++) {
                    await().pollDelay(Duration.ofSeconds(c.settings().every())).atMost(Duration.ofMinutes(1)).until(() -> true);
                    List<Integer> ports = new ArrayList<>(c.storm().workers(id).keySet());
                    // The spout's worker first, then the other, in turn.
                    boolean spoutsTurn = k % 2 == 0;
                    int port = ports.stream().filter(p -> spout.contains(p) == spoutsTurn).findFirst().orElse(ports.get(0));
                    String components = String.join(",", c.storm().componentsOf(id, port));
                    long counted = JsonLinesSink.linesCounted(c.out());
                    long killedAt = System.nanoTime();
                    Duration relaunch = c.storm().killWorker(id, port);
                    // The next kill comes only once lines are counted again: each kill is a recovery of its own.
                    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                            .until(() -> JsonLinesSink.linesCounted(c.out()) > counted);
                    events.add(String.format("kill %d: worker on port %d [%s] at %,d lines counted; relaunched in %s,"
                                    + " lines counted again %s after the kill", k + 1, port, components, counted,
                            Bench.millis(relaunch.toNanos()), Bench.millis(System.nanoTime() - killedAt)));
                }
                return events;
            }
        }

        record RedisFreeze() implements Fault {
            @Override
            public List<String> apply(Context c) throws Exception {
                return outage(c, "Redis SIGSTOP 10 s", () -> {
                    c.redis().pause();
                    try {
                        await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
                    } finally {
                        c.redis().resume();
                    }
                });
            }
        }

        record RedisRestart() implements Fault {
            @Override
            public List<String> apply(Context c) throws Exception {
                return outage(c, "Redis stopped 10 s, restarted with its AOF", () -> {
                    c.redis().stop();
                    try {
                        await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
                    } finally {
                        c.redis().restart();
                    }
                });
            }
        }

        record KafkaRestart() implements Fault {
            @Override
            public List<String> apply(Context c) throws Exception {
                return outage(c, "Kafka broker stopped 10 s, restarted", () -> {
                    c.kafka().stop();
                    try {
                        await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
                    } finally {
                        c.kafka().restart();
                    }
                });
            }
        }

        record Resubmit() implements Fault {
            @Override
            public List<String> apply(Context c) throws Exception {
                await().pollDelay(Duration.ofSeconds(c.settings().every())).atMost(Duration.ofMinutes(1)).until(() -> true);
                long before = JsonLinesSink.linesCounted(c.out());
                long killedAt = System.nanoTime();
                c.storm().kill(c.name());
                long killed = System.nanoTime();
                // The old topology counts on until its workers are gone: the new one's progress starts here.
                long counted = JsonLinesSink.linesCounted(c.out());
                c.submit().run();
                long submitted = System.nanoTime();
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                        .until(() -> JsonLinesSink.linesCounted(c.out()) > counted);
                return List.of(String.format("killed at %,d lines counted (%,d when its workers were gone: kill took %s),"
                                + " resubmitted (%s), counting again %s after the kill", before, counted,
                        Bench.millis(killed - killedAt),
                        Bench.millis(submitted - killed), Bench.millis(System.nanoTime() - killedAt)));
            }
        }
    }

    private record Context(String name, Path out, Settings settings, StormCluster storm, Submit submit, KafkaServer kafka,
            RedisServer redis) {}

    /** Waits {@code --every} s, does {@code outage} (which returns once the service is back), reports the recovery. */
    private static List<String> outage(Context c, String what, Outage outage) throws Exception {
        await().pollDelay(Duration.ofSeconds(c.settings().every())).atMost(Duration.ofMinutes(1)).until(() -> true);
        long before = JsonLinesSink.linesCounted(c.out());
        long start = System.nanoTime();
        outage.run();
        long back = System.nanoTime();
        long counted = JsonLinesSink.linesCounted(c.out());
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> JsonLinesSink.linesCounted(c.out()) > counted);
        String id = c.storm().topologyId(c.name()).orElse("?");
        return List.of(String.format("%s at %,d lines counted: unavailable %s, lines counted again %s after it was back"
                        + " (%,d counted during the outage); workers now %s", what, before, Bench.millis(back - start),
                Bench.millis(System.nanoTime() - back), counted - before, c.storm().workers(id)));
    }

    private interface Outage {
        void run() throws Exception;
    }

    private interface Submit {
        void run() throws Exception;
    }

    private static void run(Fault fault, String name, long seed, Settings settings, Path work, StormCluster storm,
            KafkaServer kafka, RedisServer redis) throws Exception {
        try (Jedis jedis = redis.client()) {
            jedis.flushAll();
        }
        Path dir = Files.createDirectories(work.resolve(name));
        Path out = dir.resolve("out");
        Bench.deleteTree(out);
        Path log = Oracle.generate(dir.resolve("access.log"), new LogGenerator.Options(settings.lines(), seed,
                LogGenerator.Format.COMBINED, 0.02, LogGenerator.DEFAULT_START).withSpan(Duration.ofMinutes(5)));
        Path first = dir.resolve("first.log");
        Path rest = dir.resolve("rest.log");
        Oracle.split(log, 0.1, first, rest);
        String topic = name + "-" + System.currentTimeMillis();
        kafka.produce(topic, 1, first);

        String redisUrl = "redis://" + redis.host() + ":" + redis.port() + "/0";
        Submit submit = () -> {
            CliProcess process = CliProcess.stormwatch(dir, Duration.ofMinutes(2), "submit", "--dir",
                    storm.home().toString(), "log-analytics", "-conf", "conf/cluster.yaml", "--name", name,
                    "-c", "stormwatch.source=kafka:" + kafka.bootstrap() + "/" + topic,
                    "-c", "stormwatch.state=" + redisUrl,
                    "-c", "stormwatch.outputs=jsonl:" + out.toAbsolutePath() + "," + redisUrl,
                    "-c", "topology.message.timeout.secs=" + settings.timeout());
            if (process.exitCode() != 0) {
                throw new IllegalStateException("submit failed: " + process.stderr());
            }
        };
        long submitted = System.nanoTime();
        submit.run();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> JsonLinesSink.linesCounted(out) > 0);
        long firstTotals = System.nanoTime() - submitted;

        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> kafka.produce(topic, 1, settings.rate(), rest));
        List<String> events = fault.apply(new Context(name, out, settings, storm, submit, kafka, redis));
        long faultsDone = System.nanoTime();
        producing.join();

        // Caught up when every line is counted; given up after --patience seconds without progress.
        long[] last = {-1};
        long[] lastChange = {System.nanoTime()};
        long patience = Duration.ofSeconds(settings.patience()).toNanos();
        await().forever().pollInterval(Duration.ofMillis(200)).until(() -> {
            long now = JsonLinesSink.linesCounted(out);
            if (now != last[0]) {
                last[0] = now;
                lastChange[0] = System.nanoTime();
            }
            return now == settings.lines() || System.nanoTime() - lastChange[0] >= patience;
        });
        long caughtUp = System.nanoTime();
        boolean complete = JsonLinesSink.linesCounted(out) == settings.lines();
        // Replays still in flight would change the figures: give them 5 s more.
        await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);
        long counted = JsonLinesSink.linesCounted(out);

        JsonNode expected = Oracle.totals(log);
        JsonNode totals = Oracle.readJson(out.resolve(JsonLinesSink.TOTALS));
        List<String> oracle = Oracle.windows(WindowSpec.parse("30s", "10s", "5s"), log);
        WindowFigures jsonl = WindowFigures.of(Oracle.readJsonLines(out.resolve(JsonLinesSink.WINDOWS)), oracle);
        WindowFigures kept;
        try (Jedis jedis = redis.client()) {
            kept = WindowFigures.ofKept(WindowFigures.fromRedis(jedis, KEYS), oracle);
        }
        storm.kill(name);

        System.out.printf("%n== %s (%s)%n", name, fault.getClass().getSimpleName());
        System.out.printf("submit → first totals: %s%n", Bench.millis(firstTotals));
        events.forEach(System.out::println);
        System.out.printf("totals: %,d of %,d lines counted (%,d lost, %,d counted twice); equal to batch --json: %s%n",
                counted, settings.lines(), Math.max(0, settings.lines() - counted), Math.max(0, counted - settings.lines()),
                stripped(totals).equals(stripped(expected)));
        System.out.printf("recovery: every line counted %s after the last fault%n",
                complete ? Bench.millis(caughtUp - faultsDone) : "NEVER (gave up after " + settings.patience() + " s without progress)");
        System.out.printf("windows.jsonl: %s%n", jsonl);
        System.out.printf("Redis windows (those not expired yet): %s%n", kept);
    }

    /** The totals without the field that says whether the input ended (a Kafka run never ends). */
    private static JsonNode stripped(JsonNode totals) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = totals.deepCopy();
        copy.remove("final");
        return copy;
    }
}
