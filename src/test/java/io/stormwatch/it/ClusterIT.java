package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;

/**
 * log-analytics on a real multi-process Storm cluster ({@code stormwatch cluster up}: ZooKeeper, Nimbus, a
 * Supervisor, two workers, each a JVM of its own), reading a real Kafka broker and keeping its running totals
 * in a real Redis, submitted with {@code stormwatch submit} exactly as {@code storm jar} submits: once through
 * {@code SubmitTopology} and once through {@code Flux --remote}. While lines flow, workers are killed with
 * SIGKILL (in the first run the one without the Kafka spout, then the spout's own; in the second the spout's); the Supervisor
 * relaunches it and the final totals, in Redis and in the jsonl output, equal {@code batch --json}'s, and every
 * window written equals {@code batch --window}'s, once (the input never ends, so the last few windows, which
 * the watermark has not passed, are not out). A third run kills the topology mid-stream and submits it again:
 * the totals and windows go on from the state in Redis. That the topology runs at all on the cluster's worker
 * classpath proves the jar carries everything Storm does not. Timings (submit → first tuple, worker relaunch)
 * are logged as "figures" for the faults report.
 */
class ClusterIT {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterIT.class);
    private static final String KEYS = Outputs.redisKeyPrefix(LogAnalytics.NAME);
    private static final int LINES = 20_000;
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final Duration RECOVERY_LIMIT = Duration.ofMinutes(4);
    private static final WindowSpec WINDOW = WindowSpec.parse("30s", "10s", "5s");

    private static StormCluster storm;
    private static KafkaServer kafka;
    private static RedisServer redis;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        // Started side by side: the cluster takes longest.
        CompletableFuture<KafkaServer> broker = CompletableFuture.supplyAsync(() -> {
            try {
                return KafkaServer.start();
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        redis = RedisServer.start();
        long started = System.nanoTime();
        storm = StormCluster.start(2, Boolean.getBoolean("stormwatch.cluster.keep"));
        LOG.info("figures: cluster up in {} ms", (System.nanoTime() - started) / 1_000_000);
        kafka = broker.join();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (storm != null) {
                storm.close();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
            if (kafka != null) {
                kafka.close();
            }
        }
    }

    @AfterEach
    void daemonsStillRun() throws Exception {
        assertThat(storm.cluster().allRun()).as("ZooKeeper, Nimbus and the Supervisor still run").isTrue();
        storm.killAll(); // a test that failed midway leaves its topology, which would hold the slots
    }

    @Test
    void theClusterCommandsShowWhatRunsAndRefuseASecondStart() throws Exception {
        String dir = storm.home().toString();
        CliProcess status = CliProcess.stormwatch(tmp, LIMIT, "cluster", "status", "--dir", dir);
        assertThat(status.exitCode()).as("status: %s", status.stderr()).isZero();
        assertThat(status.stdout()).contains("zookeeper   runs", "nimbus      runs", "supervisor  runs",
                "slots " + storm.cluster().slots());
        CliProcess again = CliProcess.stormwatch(tmp, LIMIT, "cluster", "up", "--dir", dir);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("runs already");
        assertThat(again.stdout()).isEmpty();
    }

    @Test
    void submittedAsStormJarTheTotalsAndWindowsSurviveTwoKilledWorkers() throws Exception {
        String name = "cluster-jar";
        Path out = tmp.resolve("out");
        String redisUrl = "redis://" + redis.host() + ":" + redis.port() + "/0";
        Run run = prepare(name, 41);
        CliProcess submit = CliProcess.stormwatch(tmp, LIMIT, "submit", "--dir", storm.home().toString(),
                "log-analytics", "-conf", "conf/cluster.yaml", "--name", name,
                "-c", "stormwatch.source=kafka:" + kafka.bootstrap() + "/" + name,
                "-c", "stormwatch.state=" + redisUrl,
                "-c", "stormwatch.outputs=jsonl:" + out + "," + redisUrl,
                // Lines a dead worker held are replayed after the message timeout: keep the test short.
                "-c", "topology.message.timeout.secs=10");
        assertThat(submit.exitCode()).as("submit: %s", submit.stderr()).isZero();
        killWorkersWhileLinesFlow(run, name, out, 300, false, true);

        JsonNode expected = Oracle.totals(run.log());
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(expected);
        try (Jedis jedis = redis.client()) {
            Map<String, String> totals = jedis.hgetAll(KEYS + ":totals");
            assertThat(totals).containsEntry("records", expected.get("records").asText())
                    .containsEntry("rejected", expected.get("rejected").asText())
                    .containsEntry("firstTime", expected.get("firstTime").asText())
                    .containsEntry("lastTime", expected.get("lastTime").asText());
            Map<String, String> codes = new HashMap<>();
            expected.get("responseCodes").fields().forEachRemaining(e -> codes.put(e.getKey(), e.getValue().asText()));
            assertThat(jedis.hgetAll(KEYS + ":totals:responseCodes")).isEqualTo(codes);
            List<String> oracle = Oracle.windows(WINDOW, run.log());
            WindowFigures kept = WindowFigures.ofKept(WindowFigures.fromRedis(jedis, KEYS), oracle);
            LOG.info("figures: {} windows in Redis after the kill: {}", name, kept);
            assertThat(kept.missing() + kept.wrong() + kept.emittedTwice()).as("windows in Redis: %s", kept).isZero();
            assertWindowsExact(out, run);
        }
        storm.kill(name);
    }

    @Test
    void submittedThroughFluxRemoteTheTotalsAndWindowsSurviveAKilledSpoutWorker() throws Exception {
        String name = "log-analytics"; // the Flux file's own name
        Path out = tmp.resolve("out");
        Run run = prepare("cluster-flux", 42);
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("conf/cluster.properties"))) {
            properties.load(in);
        }
        properties.setProperty("stormwatch.source", "kafka:" + kafka.bootstrap() + "/cluster-flux");
        properties.setProperty("stormwatch.output.dir", out.toString());
        properties.setProperty("stormwatch.state.provider.config",
                "{\"host\":\"" + redis.host() + "\",\"port\":" + redis.port() + ",\"database\":0,\"timeout\":2000}");
        Path filter = tmp.resolve("cluster-test.properties");
        try (OutputStream stream = Files.newOutputStream(filter)) {
            properties.store(stream, "conf/cluster.properties pointed at the test's Kafka, Redis and directory");
        }
        CliProcess submit = CliProcess.stormwatch(tmp, LIMIT, "submit", "--dir", storm.home().toString(),
                "--flux", "flux/log-analytics.yaml", "--filter", filter.toString());
        assertThat(submit.exitCode()).as("submit --flux: %s", submit.stderr()).isZero();
        killWorkersWhileLinesFlow(run, name, out, 0, true);

        // The Flux file writes totals to jsonl only; they come from the totals' state in Redis.
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.totals(run.log()));
        assertWindowsExact(out, run);
        storm.kill(name);
    }

    @Test
    void killedAndResubmittedTheTotalsAndWindowsGoOnFromTheState() throws Exception {
        String name = "cluster-resubmit";
        Path out = tmp.resolve("out");
        Run run = prepare(name, 43);
        String redisUrl = "redis://" + redis.host() + ":" + redis.port() + "/0";
        String[] submit = {"submit", "--dir", storm.home().toString(), "log-analytics", "-conf", "conf/cluster.yaml",
                "--name", name, "-c", "stormwatch.source=kafka:" + kafka.bootstrap() + "/" + name,
                "-c", "stormwatch.state=" + redisUrl, "-c", "stormwatch.outputs=jsonl:" + out,
                "-c", "topology.message.timeout.secs=10"};
        CliProcess first = CliProcess.stormwatch(tmp, LIMIT, submit);
        assertThat(first.exitCode()).as("submit: %s", first.stderr()).isZero();
        // Killed once the first third is counted and its windows are out (some panes still open), the rest of the
        // log sent while it is down.
        long firstLines = newlines(run.first());
        await().atMost(LIMIT).pollInterval(Duration.ofMillis(100)).until(() -> JsonLinesSink.linesCounted(out) == firstLines
                && Files.exists(out.resolve(JsonLinesSink.WINDOWS)) && Files.size(out.resolve(JsonLinesSink.WINDOWS)) > 0);
        long killedAt = System.nanoTime();
        storm.kill(name);
        kafka.produce(run.topic(), 1, run.rest());
        CliProcess second = CliProcess.stormwatch(tmp, LIMIT, submit);
        assertThat(second.exitCode()).as("submit again: %s", second.stderr()).isZero();
        await().atMost(LIMIT).pollInterval(Duration.ofMillis(200)).until(() -> JsonLinesSink.linesCounted(out) == LINES);
        LOG.info("figures: {} every line counted {} ms after the kill", name, (System.nanoTime() - killedAt) / 1_000_000);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> JsonLinesSink.linesCounted(out) == LINES);
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.totals(run.log()));
        assertWindowsExact(out, run);
        storm.kill(name);
    }

    private static void assertWindowsExact(Path out, Run run) throws IOException {
        LOG.info("figures: windows.jsonl {}", WindowFigures.of(Oracle.readJsonLines(out.resolve(JsonLinesSink.WINDOWS)),
                Oracle.windows(WINDOW, run.log())));
        Oracle.assertWindowsSoFar(out, WINDOW, run.log());
    }

    /** A generated log of two minutes, its first third already in topic {@code topic}, the rest to come. */
    private record Run(String topic, Path log, Path first, Path rest) {}

    private Run prepare(String topic, long seed) throws IOException {
        flushRedis();
        Path log = Oracle.generate(tmp.resolve(topic + ".log"), new LogGenerator.Options(LINES, seed,
                LogGenerator.Format.COMBINED, 0.02, LogGenerator.DEFAULT_START).withSpan(Duration.ofMinutes(2)));
        Path first = tmp.resolve(topic + ".first.log");
        Path rest = tmp.resolve(topic + ".rest.log");
        Oracle.split(log, 1.0 / 3, first, rest);
        // One partition: its lines in file order, so its windows can be compared with batch's.
        kafka.produce(topic, 1, first);
        return new Run(topic, log, first, rest);
    }

    /**
     * Waits for the first counted line, sends the rest of the log (at {@code rate} lines/s, or as fast as it goes
     * when 0), and while it goes in kills workers with SIGKILL one after the other — for each of {@code spouts},
     * the one with the spout (true) or without it (false) — each once the previous one's replacement counts lines
     * again; then waits for every line to be counted (and to stay so for 3 s).
     */
    private void killWorkersWhileLinesFlow(Run run, String name, Path out, double rate, boolean... spouts) throws Exception {
        long submitted = System.nanoTime();
        await().atMost(LIMIT).pollInterval(Duration.ofMillis(100)).until(() -> JsonLinesSink.linesCounted(out) > 0);
        LOG.info("figures: {} submit → first totals in {} ms", name, (System.nanoTime() - submitted) / 1_000_000);
        String id = storm.topologyId(name).orElseThrow();
        CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> kafka.produce(run.topic(), 1, rate, run.rest()));
        long killedAt = 0;
        for (boolean theSpouts : spouts) {
            await().atMost(LIMIT).until(() -> storm.workers(id).size() == 2);
            Map<Integer, Long> workers = storm.workers(id);
            Set<Integer> spoutPorts = storm.portsOf(id, "source");
            int port = workers.keySet().stream().filter(p -> spoutPorts.contains(p) == theSpouts).findFirst()
                    .orElse(workers.keySet().iterator().next());
            long before = JsonLinesSink.linesCounted(out);
            await().atMost(LIMIT).pollInterval(Duration.ofMillis(50)).until(() -> JsonLinesSink.linesCounted(out) > before);
            killedAt = System.nanoTime();
            LOG.info("figures: {} killing worker {} (port {}, components {}) with {} of {} lines counted", name,
                    workers.get(port), port, storm.componentsOf(id, port), JsonLinesSink.linesCounted(out), LINES);
            Duration relaunch = storm.killWorker(id, port);
            LOG.info("figures: {} worker relaunched (worker.pid rewritten) {} ms after the kill", name, relaunch.toMillis());
        }
        producing.join();
        // Blocks lost with a worker are replayed one to two message timeouts (60 s in the Flux file) after their
        // emit, plus the Kafka spout's retry backoff; a window bolt waits for a block missing in its channel's order.
        await().atMost(RECOVERY_LIMIT).pollInterval(Duration.ofMillis(200)).until(() -> JsonLinesSink.linesCounted(out) == LINES);
        LOG.info("figures: {} every line counted {} ms after the last kill", name, (System.nanoTime() - killedAt) / 1_000_000);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> JsonLinesSink.linesCounted(out) == LINES);
    }

    /** Lines of a file that may hold invalid UTF-8 (the generated log does). */
    private static long newlines(Path file) throws IOException {
        long lines = 0;
        for (byte b : Files.readAllBytes(file)) {
            lines += b == '\n' ? 1 : 0;
        }
        return lines;
    }

    private static void flushRedis() {
        try (Jedis jedis = redis.client()) {
            jedis.flushAll();
        }
    }
}
