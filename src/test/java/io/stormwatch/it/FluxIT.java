package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Jobs;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.topology.JobTopology;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.testing.LocalStorm;
import io.stormwatch.testing.Oracle;
import io.stormwatch.testing.RedisServer;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.storm.Config;
import org.apache.storm.LocalCluster;
import org.apache.storm.flux.FluxBuilder;
import org.apache.storm.flux.model.ExecutionContext;
import org.apache.storm.flux.model.TopologyDef;
import org.apache.storm.flux.parser.FluxParser;
import org.apache.storm.generated.ComponentCommon;
import org.apache.storm.generated.StormTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/**
 * Each {@code flux/<job>.yaml} is the same topology as the Java factory, wire for wire, and runs to the same
 * results; and each knob a user edits in the properties file — window, slide, lag, time, source, state — does
 * what it says when the YAML runs (a 60 s window used to kill the worker: the YAML fixed the message timeout
 * Storm's windowed bolt needed).
 */
class FluxIT {

    private static LocalCluster cluster;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new LocalCluster();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        cluster.close();
    }

    private static Path yaml(String job) {
        return Path.of("flux/" + job + ".yaml");
    }

    @ParameterizedTest
    @MethodSource("io.stormwatch.core.job.Jobs#names")
    void theYamlWiresTheSameComponentsStreamsAndGroupingsAsTheFactory(String jobName) throws Exception {
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        Path out = tmp.resolve("out");
        TopologyDef def = FluxParser.parseFile(yaml(jobName).toString(), false, true, properties(spool, out), false);
        Config fluxConf = FluxBuilder.buildConfig(def);
        StormTopology flux = FluxBuilder.buildTopology(new ExecutionContext(def, fluxConf));

        Map<String, Object> conf = LocalStorm.testConfig();
        conf.put(StormwatchConfig.SOURCE, "spool:" + spool);
        conf.put(StormwatchConfig.OUTPUTS, "log,jsonl:" + out);
        JobTopology java = JobTopology.fromConfig(jobName, jobName, conf, true, Map.of());

        assertThat(def.getName()).isEqualTo(jobName);
        assertThat(wiring(flux)).isEqualTo(wiring(java.topology()));
        assertThat(fluxConf.get(Config.TOPOLOGY_KRYO_REGISTER)).isEqualTo(java.config().get(Config.TOPOLOGY_KRYO_REGISTER));
    }

    @ParameterizedTest
    @MethodSource("io.stormwatch.core.job.Jobs#names")
    void theYamlRunsASpoolToTheBatchTotals(String jobName) throws Exception {
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        Path out = tmp.resolve("out");
        Path log = jobName.equals("hashtags") ? Oracle.tweets(tmp.resolve("in/tweets.jsonl"), 3_000, 31)
                : Oracle.generate(tmp.resolve("in/access.log"), 3_000, 31, 0.03);
        Files.copy(log, tmp.resolve("staged"));
        Files.move(tmp.resolve("staged"), spool.resolve("access.log"), StandardCopyOption.ATOMIC_MOVE);

        run(jobName, properties(spool, out), out);

        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(batchTotals(jobName, log));
    }

    @Test
    void windowSlideAndLagKnobs() throws Exception {
        Path log = Oracle.generate(tmp.resolve("access.log"), 4_000, 32, 0.02);
        Path out = tmp.resolve("out");
        Properties properties = properties(tmp.resolve("unused"), out);
        properties.setProperty("stormwatch.source", "file:" + log);
        properties.setProperty("stormwatch.window.length", "60s");
        properties.setProperty("stormwatch.window.slide", "20s");
        properties.setProperty("stormwatch.window.lag", "1s");

        run("log-analytics", properties, out);

        assertThat(Files.readAllLines(out.resolve(JsonLinesSink.WINDOWS)))
                .isNotEmpty().containsExactlyElementsOf(Oracle.windows(WindowSpec.parse("60s", "20s", "1s"), log));
    }

    @Test
    void timeKnobSwitchesToProcessingTime() throws Exception {
        Path log = Oracle.generate(tmp.resolve("access.log"), 3_000, 33, 0.02);
        Path out = tmp.resolve("out");
        Properties properties = properties(tmp.resolve("unused"), out);
        properties.setProperty("stormwatch.source", "file:" + log);
        properties.setProperty("stormwatch.time", "processing");
        properties.setProperty("stormwatch.window.length", "2s");
        properties.setProperty("stormwatch.window.slide", "1s");

        run("log-analytics", properties, out);

        List<JsonNode> windows = Oracle.readJsonLines(out.resolve(JsonLinesSink.WINDOWS));
        assertThat(windows).isNotEmpty().allSatisfy(w -> assertThat(w.get("late").asLong()).isZero());
        assertThat(windows.get(0).get("windowStart").asText()).as("windows of the wall clock, not of 2024")
                .doesNotStartWith("2024");
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.totals(log));
    }

    @Test
    void sourceKnobReadsAFileAndStateKnobKeepsTotalsInRedis() throws Exception {
        Path log = Oracle.generate(tmp.resolve("access.log"), 3_000, 34, 0.02);
        Path out = tmp.resolve("out");
        try (RedisServer redis = RedisServer.start()) {
            Properties properties = properties(tmp.resolve("unused"), out);
            properties.setProperty("stormwatch.source", "file:" + log);
            properties.setProperty("stormwatch.state.provider", "io.stormwatch.storm.state.RedisStateProvider");
            properties.setProperty("stormwatch.state.provider.config", "{\"host\":\"" + redis.host() + "\",\"port\":"
                    + redis.port() + ",\"database\":0,\"timeout\":2000,\"tls\":false}");

            run("log-analytics", properties, out);

            JsonNode expected = Oracle.totals(log);
            assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(expected);
            try (Jedis jedis = redis.client()) {
                assertThat(jedis.keys("totals-*")).as("the totals bolt's state namespace").isNotEmpty();
                assertThat(jedis.hlen(jedis.keys("totals-*").stream().filter(k -> !k.contains("$")).findFirst().orElseThrow()))
                        .as("one entry per counted key, and more").isGreaterThan(expected.get("responseCodes").size());
            }
        }
    }

    private void run(String jobName, Properties properties, Path out) throws Exception {
        TopologyDef def = FluxParser.parseFile(yaml(jobName).toString(), false, true, properties, false);
        Config conf = FluxBuilder.buildConfig(def);
        conf.putAll(LocalStorm.testConfig());
        StormTopology topology = FluxBuilder.buildTopology(new ExecutionContext(def, conf));
        cluster.submitTopology(def.getName(), conf, topology);
        LocalStorm.awaitSuccess(out);
        LocalStorm.kill(cluster, def.getName());
    }

    private static JsonNode batchTotals(String jobName, Path log) throws Exception {
        Job<?> job = Jobs.fromConfig(jobName, Map.of());
        return Oracle.asRead(job.views().json(new Batch<>(job, 65_536).run(List.of(log), Batch.DeadLetterSink.DISCARD, b -> {})));
    }

    /** conf/local.properties, with this test's directories. */
    private static Properties properties(Path spool, Path out) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("conf/local.properties"))) {
            properties.load(in);
        }
        properties.setProperty("stormwatch.source", "spool:" + spool);
        properties.setProperty("stormwatch.output.dir", out.toString());
        return properties;
    }

    /** Component id → its parallelism and its inputs as "component/stream=grouping", sorted. */
    private static Map<String, String> wiring(StormTopology topology) {
        Map<String, String> wiring = new TreeMap<>();
        topology.get_spouts().forEach((id, spout) -> wiring.put(id, describe(spout.get_common())));
        topology.get_bolts().forEach((id, bolt) -> wiring.put(id, describe(bolt.get_common())));
        return wiring;
    }

    private static String describe(ComponentCommon common) {
        List<String> inputs = common.get_inputs().entrySet().stream()
                .map(e -> e.getKey().get_componentId() + "/" + e.getKey().get_streamId() + "=" + e.getValue().getSetField())
                .sorted()
                .toList();
        return "parallelism " + common.get_parallelism_hint() + " " + inputs;
    }
}
