package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.topology.LogAnalyticsJob;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.testing.LocalStorm;
import io.stormwatch.testing.Oracle;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flux/log-analytics.yaml} is the same topology as the Java factory, wire for wire, and runs to the
 * same totals.
 */
class FluxIT {

    private static final Path YAML = Path.of("flux/log-analytics.yaml");

    @TempDir
    Path tmp;

    @Test
    void theYamlWiresTheSameComponentsStreamsAndGroupingsAsTheFactory() throws Exception {
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        Path out = tmp.resolve("out");
        TopologyDef def = FluxParser.parseFile(YAML.toString(), false, true, properties(spool, out), false);
        Config fluxConf = FluxBuilder.buildConfig(def);
        StormTopology flux = FluxBuilder.buildTopology(new ExecutionContext(def, fluxConf));

        Map<String, Object> conf = LocalStorm.testConfig();
        conf.put(StormwatchConfig.SOURCE, "spool:" + spool);
        conf.put(StormwatchConfig.OUTPUTS, "log,jsonl:" + out);
        LogAnalyticsJob java = LogAnalyticsJob.fromConfig("log-analytics", conf, true, Map.of());

        assertThat(wiring(flux)).isEqualTo(wiring(java.topology()));
        assertThat(fluxConf.get(Config.TOPOLOGY_KRYO_REGISTER)).isEqualTo(java.config().get(Config.TOPOLOGY_KRYO_REGISTER));
    }

    @Test
    void theYamlRunsToTheOracleTotals() throws Exception {
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        Path out = tmp.resolve("out");
        Path log = Oracle.generate(tmp.resolve("in/access.log"), 3_000, 31, 0.03);
        Files.copy(log, tmp.resolve("staged"));
        Files.move(tmp.resolve("staged"), spool.resolve("access.log"), StandardCopyOption.ATOMIC_MOVE);

        TopologyDef def = FluxParser.parseFile(YAML.toString(), false, true, properties(spool, out), false);
        Config conf = FluxBuilder.buildConfig(def);
        conf.putAll(LocalStorm.testConfig());
        StormTopology topology = FluxBuilder.buildTopology(new ExecutionContext(def, conf));
        try (LocalCluster cluster = new LocalCluster()) {
            cluster.submitTopology(def.getName(), conf, topology);
            LocalStorm.awaitSuccess(out);
            LocalStorm.kill(cluster, def.getName());
        }
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.totals(log));
    }

    /** conf/local.properties, with this test's directories. */
    private static Properties properties(Path spool, Path out) throws Exception {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("conf/local.properties"))) {
            properties.load(in);
        }
        properties.setProperty("stormwatch.spool.dir", spool.toString());
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
