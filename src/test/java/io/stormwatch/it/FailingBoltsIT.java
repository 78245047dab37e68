package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.topology.JobTopology;
import io.stormwatch.storm.topology.PipelineTopology;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.testing.LocalStorm;
import io.stormwatch.testing.Oracle;
import io.stormwatch.testing.RandomlyFailingBolt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.LocalCluster;
import org.apache.storm.generated.StormTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One of the faults the windows and the totals must come through exactly once: bolts that fail random tuples.
 * The parse, window and totals bolts each fail 3 % of the blocks they get (before the bolt sees them); the spout
 * replays each failed block line by line, and some replays fail again. On a multi-day log with out-of-order and
 * malformed lines, 2 parse tasks on 2 workers, the totals equal {@code batch --json} and the windows equal
 * {@code batch --window}, window for window: none lost, none counted twice, none written twice.
 */
class FailingBoltsIT {

    private static final WindowSpec WINDOW = WindowSpec.parse("20s", "5s", "2s");

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

    @Test
    void boltsFailingRandomBlocksLoseNothingAndCountNothingTwice() throws Exception {
        Path log = Oracle.multiDay(tmp.resolve("access.log"), 6_000, 6_000, 11);
        Path out = tmp.resolve("out");
        Map<String, Object> conf = LocalStorm.testConfig();
        conf.put(StormwatchConfig.SOURCE, "file:" + log);
        conf.put(StormwatchConfig.OUTPUTS, "jsonl:" + out);
        conf.put(StormwatchConfig.WINDOW_LENGTH, "20s");
        conf.put(StormwatchConfig.WINDOW_SLIDE, "5s");
        conf.put(StormwatchConfig.WINDOW_LAG, "2s");
        conf.put(StormwatchConfig.PARSE_PARALLELISM, 2);
        conf.put(StormwatchConfig.BLOCK_LINES, 97);
        conf.put(Config.TOPOLOGY_WORKERS, 2);
        JobTopology built = JobTopology.fromConfig(LogAnalytics.NAME, "failing-bolts", conf, true, Map.of());
        StormTopology topology = built.topology().deepCopy();
        RandomlyFailingBolt.inject(topology, PipelineTopology.PARSE, 0.03, 1);
        RandomlyFailingBolt.inject(topology, PipelineTopology.WINDOWS, 0.03, 2);
        RandomlyFailingBolt.inject(topology, PipelineTopology.TOTALS, 0.03, 3);
        JobTopology job = new JobTopology(built.name(), built.job(), built.config(), topology, built.finite());

        LocalStorm.submit(cluster, job);
        LocalStorm.awaitSuccess(out);
        LocalStorm.kill(cluster, job.name());

        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.totals(log));
        assertThat(Files.readAllLines(out.resolve(JsonLinesSink.WINDOWS))).containsExactlyElementsOf(Oracle.windows(WINDOW, log));
    }
}
