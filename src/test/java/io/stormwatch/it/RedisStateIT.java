package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.storm.topology.JobTopology;
import io.stormwatch.storm.topology.Outputs;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.testing.LocalStorm;
import io.stormwatch.testing.Oracle;
import io.stormwatch.testing.RedisServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.storm.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Running totals in a real Redis (a {@code redis-server} the test starts): they survive killing and
 * resubmitting the topology, also when the next file reuses the name of one already counted, a kill in the
 * middle of a file neither loses nor double counts a line, and the Redis sink leaves readable keys a dashboard
 * can use.
 */
class RedisStateIT {

    private static final String KEYS = Outputs.redisKeyPrefix(LogAnalytics.NAME);
    private static RedisServer redis;
    private static LocalCluster cluster;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        redis = RedisServer.start();
        cluster = new LocalCluster();
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
        redis.close();
    }

    @Test
    void totalsSurviveKillAndResubmitAndTheSinkKeysHoldThem() throws Exception {
        flushRedis();
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        Path first = Oracle.generate(tmp.resolve("in/first.log"), 4_000, 21, 0.02);
        Path second = Oracle.generate(tmp.resolve("in/second.log"), 3_000, 22, 0.02);

        moveInto(spool, first, "access.log");
        runToEnd("totals-survive", spool, tmp.resolve("out1"));
        assertThat(Oracle.readJson(tmp.resolve("out1").resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.totals(first));

        // Flume-style: the next file comes in under the name of the one now renamed access.log.COMPLETED.
        moveInto(spool, second, "access.log");
        runToEnd("totals-survive", spool, tmp.resolve("out2"));
        JsonNode expected = Oracle.totals(first, second);
        assertThat(Oracle.readJson(tmp.resolve("out2").resolve(JsonLinesSink.TOTALS))).isEqualTo(expected);

        try (Jedis jedis = redis.client()) {
            Map<String, String> totals = jedis.hgetAll(KEYS + ":totals");
            assertThat(totals).containsEntry("records", expected.get("records").asText())
                    .containsEntry("rejected", expected.get("rejected").asText())
                    .containsEntry("final", "true")
                    .containsEntry("firstTime", expected.get("firstTime").asText())
                    .containsEntry("lastTime", expected.get("lastTime").asText());
            Map<String, String> codes = new HashMap<>();
            expected.get("responseCodes").fields().forEachRemaining(e -> codes.put(e.getKey(), e.getValue().asText()));
            assertThat(jedis.hgetAll(KEYS + ":totals:responseCodes")).isEqualTo(codes);
            JsonNode top = expected.get("topEndpoints").get(0);
            assertThat(jedis.zscore(KEYS + ":totals:topEndpoints", top.get("endpoint").asText()))
                    .isEqualTo(top.get("count").asDouble());
            assertThat(jedis.zrevrange(KEYS + ":totals:topEndpoints", 0, 0)).containsExactly(top.get("endpoint").asText());
            String newestWindow = jedis.zrevrange(KEYS + ":windows", 0, 0).get(0);
            assertThat(jedis.hget(KEYS + ":window:" + newestWindow, "records")).isNotNull();
            assertThat(jedis.ttl(KEYS + ":window:" + newestWindow)).isPositive();
        }
    }

    @Test
    void killedInTheMiddleOfAFileAndRestartedTheTotalsEqualTheOracle() throws Exception {
        flushRedis();
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        Path log = Oracle.generate(tmp.resolve("in/big.log"), 60_000, 23, 0.01);
        moveInto(spool, log, "big.log");
        Path out1 = tmp.resolve("out1");
        // Small blocks and few in flight: a few thousand lines a second, so that the kill comes mid-file.
        JobTopology job = job("restart", spool, out1, Map.of(StormwatchConfig.BLOCK_LINES, 10,
                org.apache.storm.Config.TOPOLOGY_MAX_SPOUT_PENDING, 20));

        LocalStorm.submit(cluster, job);
        Path totals = out1.resolve(JsonLinesSink.TOTALS);
        await().atMost(LocalStorm.RUN_LIMIT).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(totals) && Oracle.readJson(totals).get("records").asLong() >= 5_000);
        LocalStorm.kill(cluster, job.name());
        long countedBeforeKill = Oracle.readJson(totals).get("records").asLong();
        JsonNode expected = Oracle.totals(tmp.resolve("in/big.log"));
        assertThat(countedBeforeKill).as("the kill must come mid-file").isLessThan(expected.get("records").asLong());
        assertThat(out1.resolve(JsonLinesSink.SUCCESS)).doesNotExist();

        Path out2 = tmp.resolve("out2");
        runToEnd("restart", spool, out2);
        assertThat(Oracle.readJson(out2.resolve(JsonLinesSink.TOTALS))).isEqualTo(expected);
    }

    private void runToEnd(String name, Path spool, Path out) throws Exception {
        JobTopology job = job(name, spool, out);
        LocalStorm.submit(cluster, job);
        LocalStorm.awaitSuccess(out);
        LocalStorm.kill(cluster, job.name());
    }

    private JobTopology job(String name, Path spool, Path out) {
        return job(name, spool, out, Map.of());
    }

    private JobTopology job(String name, Path spool, Path out, Map<String, Object> settings) {
        Map<String, Object> conf = LocalStorm.testConfig();
        String redisUrl = "redis://" + redis.host() + ":" + redis.port();
        conf.put(StormwatchConfig.SOURCE, "spool:" + spool);
        conf.put(StormwatchConfig.STATE, redisUrl);
        conf.put(StormwatchConfig.OUTPUTS, "jsonl:" + out + "," + redisUrl);
        conf.putAll(settings);
        return JobTopology.fromConfig(LogAnalytics.NAME, name, conf, true, Map.of());
    }

    private static void moveInto(Path spool, Path file, String name) throws Exception {
        Path staged = spool.resolveSibling(name + ".staged");
        Files.copy(file, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, spool.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void flushRedis() {
        try (Jedis jedis = redis.client()) {
            jedis.flushAll();
        }
    }
}
