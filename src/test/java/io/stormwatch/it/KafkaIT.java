package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.spout.KafkaBlockSpout;
import io.stormwatch.storm.spout.KafkaSettings;
import io.stormwatch.storm.topology.JobTopology;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.testing.CapturedLog;
import io.stormwatch.testing.KafkaServer;
import io.stormwatch.testing.LocalStorm;
import io.stormwatch.testing.Oracle;
import io.stormwatch.testing.RedisServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.Level;
import org.apache.storm.Config;
import org.apache.storm.LocalCluster;
import org.apache.storm.flux.FluxBuilder;
import org.apache.storm.flux.model.ExecutionContext;
import org.apache.storm.flux.model.TopologyDef;
import org.apache.storm.flux.parser.FluxParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka source against a real single-node broker (KRaft, in a JVM of its own: {@link KafkaServer}) on a
 * LocalCluster, with log-analytics lines fed in by {@code stormwatch produce}: totals stay exactly-once across a
 * kill and a resubmission (state in a real Redis), several partitions read by several spout tasks give the batch
 * totals, and a topic that does not exist yet or a broker that is down are one clear log line each, then
 * recovery — without a dead worker or a hot loop (the spout's own log says how often it asked); and the Flux
 * file reads Kafka with {@code conf/kafka-local.properties} (here, not in {@code FluxIT}, to share the broker).
 */
class KafkaIT {

    private static KafkaServer kafka;
    private static RedisServer redis;
    private static LocalCluster cluster;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() throws Exception {
        kafka = KafkaServer.start();
        redis = RedisServer.start();
        cluster = new LocalCluster();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    private JobTopology job(String name, String topic, Path out, Map<String, Object> settings) {
        Map<String, Object> conf = LocalStorm.testConfig();
        conf.put(StormwatchConfig.SOURCE, "kafka:" + kafka.bootstrap() + "/" + topic);
        conf.put(StormwatchConfig.OUTPUTS, "jsonl:" + out);
        conf.put(KafkaSettings.REFRESH_MS, 1_000);
        conf.putAll(settings);
        return JobTopology.fromConfig(LogAnalytics.NAME, name, conf, true, Map.of());
    }

    private static void awaitLines(Path out, long lines) {
        await().atMost(LocalStorm.RUN_LIMIT).pollInterval(Duration.ofMillis(200))
                .until(() -> JsonLinesSink.linesCounted(out) == lines);
    }

    @Test
    void killedAndResubmittedAfterMoreRecordsTheTotalsCountEachLineOnce() throws Exception {
        Path first = Oracle.generate(tmp.resolve("first.log"), 3_000, 31, 0.02);
        Path second = Oracle.generate(tmp.resolve("second.log"), 2_000, 32, 0.02);
        String state = "redis://" + redis.host() + ":" + redis.port();
        kafka.produce("resubmit", 2, first);

        // Offsets are committed rarely in the first run, so the second reads much of the first again: the totals
        // must recognise those records by their (partition, offset) and count them once.
        Path out1 = tmp.resolve("out1");
        JobTopology run1 = job("kafka-resubmit", "resubmit", out1, Map.of(StormwatchConfig.STATE, state,
                KafkaSettings.COMMIT_PERIOD_MS, 60_000, StormwatchConfig.BLOCK_LINES, 50));
        LocalStorm.submit(cluster, run1);
        awaitLines(out1, 3_000);
        LocalStorm.kill(cluster, run1.name());

        kafka.produce("resubmit", 2, second);
        Path out2 = tmp.resolve("out2");
        JobTopology run2 = job("kafka-resubmit", "resubmit", out2, Map.of(StormwatchConfig.STATE, state));
        LocalStorm.submit(cluster, run2);
        awaitLines(out2, 5_000);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> JsonLinesSink.linesCounted(out2) == 5_000);
        LocalStorm.kill(cluster, run2.name());

        assertThat(Oracle.readJson(out2.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.totals(first, second));
    }

    @Test
    void threePartitionsReadByTwoSpoutTasksGiveTheBatchTotals() throws Exception {
        Path log = Oracle.generate(tmp.resolve("access.log"), 6_000, 33, 0.02);
        kafka.produce("three", 3, log);
        Path out = tmp.resolve("out");
        JobTopology job = job("kafka-three", "three", out, Map.of(StormwatchConfig.SOURCE_PARALLELISM, 2,
                StormwatchConfig.PARSE_PARALLELISM, 2, StormwatchConfig.BLOCK_LINES, 100));

        try (CapturedLog log4j = CapturedLog.attach(Level.INFO, KafkaBlockSpout.class.getName())) {
            LocalStorm.submit(cluster, job);
            awaitLines(out, 6_000);
            LocalStorm.kill(cluster, job.name());
            assertThat(log4j.lines()).anyMatch(l -> l.contains("reads partition(s) [0, 2] of 3"))
                    .anyMatch(l -> l.contains("reads partition(s) [1] of 3"));
        }
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.totals(log));
    }

    @Test
    void aTopicCreatedLaterIsOneWarningThenRead() throws Exception {
        // Two minutes of log: one partition in file order, so its windows are batch's, as far as the watermark went.
        Path log = Oracle.generate(tmp.resolve("later.log"), new LogGenerator.Options(1_000, 34,
                LogGenerator.Format.COMBINED, 0.02, LogGenerator.DEFAULT_START).withSpan(Duration.ofMinutes(2)));
        Path out = tmp.resolve("out");
        JobTopology job = job("kafka-later", "later", out, Map.of());
        try (CapturedLog log4j = CapturedLog.attach(Level.INFO, KafkaBlockSpout.class.getName())) {
            LocalStorm.submit(cluster, job);
            await().atMost(Duration.ofMinutes(1)).until(() -> log4j.text().contains("does not exist"));
            long waitingSince = System.nanoTime();
            // Let it look a few times before the topic appears.
            await().pollDelay(Duration.ofSeconds(4)).until(() -> true);
            kafka.produce("later", 1, log);
            awaitLines(out, 1_000);
            long waitedSeconds = Duration.ofNanos(System.nanoTime() - waitingSince).toSeconds();
            // The partition's watermark closes windows at once: the spout task, expected as a channel at the
            // start, does not hold them back for the 30 s idle timeout.
            await().atMost(Duration.ofSeconds(15)).until(() -> Files.exists(out.resolve(JsonLinesSink.WINDOWS))
                    && Files.readAllLines(out.resolve(JsonLinesSink.WINDOWS)).size() >= 5);
            LocalStorm.kill(cluster, job.name());
            List<String> windows = Files.readAllLines(out.resolve(JsonLinesSink.WINDOWS));
            assertThat(Oracle.windows(WindowSpec.parse("30s", "10s", "5s"), log)).startsWith(windows.toArray(String[]::new));

            assertThat(log4j.lines()).filteredOn(l -> l.contains("does not exist")).hasSize(1);
            Matcher found = Pattern.compile("topic 'later' found after \\d+ s with 1 partition\\(s\\) \\((\\d+) look-ups\\)")
                    .matcher(log4j.text());
            assertThat(found.find()).as("a line saying the topic was found: %s", log4j.text()).isTrue();
            // One look-up per refresh period (1 s here), not a loop.
            assertThat(Long.parseLong(found.group(1))).isBetween(2L, waitedSeconds + 5);
        }
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.totals(log));
    }

    @Test
    void aBrokerDownAtTheStartIsOneWarningThenRecovery() throws Exception {
        Path log = Oracle.generate(tmp.resolve("outage.log"), 1_000, 35, 0.02);
        Path out = tmp.resolve("out");
        kafka.stop();
        long downSince = System.nanoTime();
        try (CapturedLog log4j = CapturedLog.attach(Level.INFO, KafkaBlockSpout.class.getName())) {
            JobTopology job = job("kafka-outage", "outage", out, Map.of());
            LocalStorm.submit(cluster, job);
            await().atMost(Duration.ofMinutes(1)).until(() -> log4j.text().contains("cannot reach Kafka"));
            await().pollDelay(Duration.ofSeconds(5)).until(() -> true);
            kafka.restart();
            kafka.produce("outage", 1, log);
            awaitLines(out, 1_000);
            long downSeconds = Duration.ofNanos(System.nanoTime() - downSince).toSeconds();
            LocalStorm.kill(cluster, job.name());

            assertThat(log4j.lines()).filteredOn(l -> l.contains("cannot reach Kafka (")).hasSize(1);
            Matcher recovered = Pattern.compile("Kafka reached again after \\d+ s \\((\\d+) failed calls\\)")
                    .matcher(log4j.text());
            assertThat(recovered.find()).as("a line saying Kafka was reached again: %s", log4j.text()).isTrue();
            // Each failed call waits out a metadata time-out (5 s) or a refresh period (1 s): no hot loop.
            assertThat(Long.parseLong(recovered.group(1))).isBetween(1L, downSeconds + 2);
        } finally {
            if (!kafkaRuns()) {
                kafka.restart();
            }
        }
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.totals(log));
    }

    /**
     * The broker stops (cleanly) for 8 s and starts again while records are produced and read: the worker does not
     * die or loop, our spout says so in at most one warning and one recovery line, nothing logs a stack trace, and
     * every record is counted exactly once. Logs a {@code figures:} line (outage, recovery).
     */
    @Test
    void aBrokerRestartedWhileLinesFlowIsWaitedForAndEveryLineCountedOnce() throws Exception {
        Path log = Oracle.generate(tmp.resolve("restart.log"), 6_000, 37, 0.02);
        Path out = tmp.resolve("out");
        // One partition: its records in file order, so that the windows can be compared with batch's.
        kafka.produce("restart", 1, Files.createFile(tmp.resolve("empty.log"))); // creates the topic
        java.util.concurrent.CompletableFuture<Void> producing = java.util.concurrent.CompletableFuture.runAsync(
                () -> kafka.produce("restart", 1, 500, log)); // 12 s of records, paced
        long outageMillis;
        long recoveryMillis;
        try (CapturedLog spout = CapturedLog.attach(Level.INFO, KafkaBlockSpout.class.getName());
                CapturedLog warnings = CapturedLog.attach(Level.WARN, "")) {
            JobTopology job = job("kafka-restart", "restart", out, Map.of());
            LocalStorm.submit(cluster, job);
            await().atMost(LocalStorm.RUN_LIMIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> JsonLinesSink.linesCounted(out) >= 1_000);
            long stopped = System.nanoTime();
            kafka.stop();
            try {
                await().pollDelay(Duration.ofSeconds(8)).atMost(Duration.ofSeconds(9)).until(() -> true);
            } finally {
                kafka.restart();
            }
            long back = System.nanoTime();
            outageMillis = Duration.ofNanos(back - stopped).toMillis();
            long counted = JsonLinesSink.linesCounted(out);
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> JsonLinesSink.linesCounted(out) > counted || JsonLinesSink.linesCounted(out) == 6_000);
            recoveryMillis = Duration.ofNanos(System.nanoTime() - back).toMillis();
            producing.get(2, java.util.concurrent.TimeUnit.MINUTES);
            awaitLines(out, 6_000);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> JsonLinesSink.linesCounted(out) == 6_000);
            // Taken before the kill: Storm's own ZooKeeper client may log a stack trace while the topology goes.
            List<String> warned = List.copyOf(warnings.lines());
            LocalStorm.kill(cluster, job.name());

            org.slf4j.LoggerFactory.getLogger(KafkaIT.class).info("figures: Kafka broker stopped and restarted: outage {} ms,"
                    + " lines counted again {} ms after it was back; 6000 lines", outageMillis, recoveryMillis);
            assertThat(spout.lines()).filteredOn(l -> l.contains("cannot reach Kafka (")).hasSizeLessThanOrEqualTo(1);
            if (spout.text().contains("cannot reach Kafka (")) {
                assertThat(spout.text()).contains("Kafka reached again");
            }
            assertThat(warned).as("no stack trace").noneMatch(l -> l.contains("\tat "));
        } finally {
            if (!kafkaRuns()) {
                kafka.restart();
            }
        }
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.totals(log));
        Oracle.assertWindowsSoFar(out, WindowSpec.parse("30s", "10s", "5s"), log);
    }

    /** The Flux variant: flux/log-analytics.yaml with conf/kafka-local.properties, pointed at this broker. */
    @Test
    void theFluxFileReadsKafkaWithTheKafkaPropertiesFilter() throws Exception {
        Path log = Oracle.generate(tmp.resolve("flux.log"), 2_000, 36, 0.02);
        kafka.produce("flux", 2, log);
        Path out = tmp.resolve("out");
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("conf/kafka-local.properties"))) {
            properties.load(in);
        }
        assertThat(properties.getProperty("stormwatch.source")).startsWith("kafka:");
        properties.setProperty("stormwatch.source", "kafka:" + kafka.bootstrap() + "/flux");
        properties.setProperty("stormwatch.output.dir", out.toString());
        TopologyDef def = FluxParser.parseFile("flux/log-analytics.yaml", false, true, properties, false);
        Config conf = FluxBuilder.buildConfig(def);
        conf.putAll(LocalStorm.testConfig());
        cluster.submitTopology(def.getName(), conf, FluxBuilder.buildTopology(new ExecutionContext(def, conf)));
        awaitLines(out, 2_000);
        LocalStorm.kill(cluster, def.getName());
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.totals(log));
    }

    private static boolean kafkaRuns() {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress("127.0.0.1",
                    Integer.parseInt(kafka.bootstrap().substring(kafka.bootstrap().lastIndexOf(':') + 1))), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
