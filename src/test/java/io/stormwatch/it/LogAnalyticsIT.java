package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.window.TimeMode;
import io.stormwatch.core.window.WindowResult;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.spout.SpoolDirectorySpout;
import io.stormwatch.storm.topology.LogAnalyticsJob;
import io.stormwatch.storm.topology.LogAnalyticsOptions;
import io.stormwatch.storm.topology.LogAnalyticsTopology;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.storm.topology.TopologyConfigs;
import io.stormwatch.testing.LocalStorm;
import io.stormwatch.testing.Oracle;
import io.stormwatch.testing.WindowOracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.storm.Config;
import org.apache.storm.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * log-analytics end to end on a LocalCluster, checked against the batch oracle: a generated log with
 * malformed lines and times running backwards goes in; totals, every window, the dead letters and the late
 * lines come out and must equal what the batch code and the window definition say, exactly.
 */
class LogAnalyticsIT {

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
    void spoolDirectoryInEventTimeGivesTheOracleTotalsWindowsDeadLettersAndLateLines() throws Exception {
        Path log = Oracle.generate(tmp.resolve("incoming/access.log"), 20_000, 7, 0.02);
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        Path out = tmp.resolve("out");
        Files.copy(log, tmp.resolve("incoming/access.log.part"));
        Files.move(tmp.resolve("incoming/access.log.part"), spool.resolve("access.log"), StandardCopyOption.ATOMIC_MOVE);
        WindowSpec window = WindowSpec.parse("20s", "5s", "2s");
        LogAnalyticsOptions options = new LogAnalyticsOptions("auto", 65_536, window, TimeMode.EVENT, 10, 10, 1);

        run("spool-event-time", options, new SpoolDirectorySpout(spool.toString()).withStopWhenDrained(true), out);

        JsonNode oracleTotals = Oracle.totals(log);
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(oracleTotals);

        List<LogRecord> records = Oracle.records(log);
        WindowOracle.Result oracle = WindowOracle.eventTime(records, window.lengthMillis(), window.slideMillis(),
                window.lagMillis());
        NavigableMap<Long, WindowOracle.Window> expected = oracle.windows();
        long expectedLate = oracle.lateLines();
        assertThat(expectedLate).as("the generated log must have late lines, or lateness goes untested").isPositive();

        Map<Long, JsonNode> actual = new TreeMap<>();
        for (JsonNode node : Oracle.readJsonLines(out.resolve(JsonLinesSink.WINDOWS))) {
            assertThat(actual.put(Oracle.isoMillis(node.get("windowEnd")), node)).as("one object per window").isNull();
        }
        assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
        for (WindowOracle.Window w : expected.values()) {
            assertThat(actual.get(w.end())).as("window ending %s", java.time.Instant.ofEpochMilli(w.end()))
                    .isEqualTo(json(new WindowResult(w.start(), w.end(), w.stats(), w.late())));
        }

        assertThat(Oracle.readJsonLines(out.resolve(JsonLinesSink.LATE))).hasSize((int) expectedLate);
        List<JsonNode> deadLetters = Oracle.readJsonLines(out.resolve(JsonLinesSink.REJECTED));
        assertThat(deadLetters).hasSize(oracleTotals.get("rejected").asInt());
        Map<String, Integer> byReason = new TreeMap<>();
        deadLetters.forEach(d -> byReason.merge(d.get("reason").asText(), 1, Integer::sum));
        Map<String, Integer> oracleByReason = new TreeMap<>();
        oracleTotals.get("rejectReasons").fields().forEachRemaining(e -> oracleByReason.put(e.getKey(), e.getValue().asInt()));
        assertThat(byReason).isEqualTo(oracleByReason);
    }

    @Test
    void fileSourceInProcessingTimeWithTwoParseTasksGivesTheOracleTotals() throws Exception {
        Path log = Oracle.generate(tmp.resolve("access.log"), 5_000, 11, 0.05);
        Path out = tmp.resolve("out");
        Map<String, Object> conf = LocalStorm.testConfig();
        conf.put(StormwatchConfig.SOURCE, "file:" + log);
        conf.put(StormwatchConfig.OUTPUTS, "jsonl:" + out);
        conf.put(StormwatchConfig.TIME, "processing");
        conf.put(StormwatchConfig.WINDOW_LENGTH, "2s");
        conf.put(StormwatchConfig.WINDOW_SLIDE, "1s");
        conf.put(StormwatchConfig.PARSE_PARALLELISM, 2);
        LogAnalyticsJob job = LogAnalyticsJob.fromConfig("file-processing-time", conf, true, Map.of());
        assertThat(job.finite()).isTrue();

        LocalStorm.submit(cluster, job);
        LocalStorm.awaitSuccess(out);
        LocalStorm.kill(cluster, job.name());

        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.totals(log));
        List<JsonNode> windows = Oracle.readJsonLines(out.resolve(JsonLinesSink.WINDOWS));
        assertThat(windows).isNotEmpty().allSatisfy(w -> assertThat(w.get("late").asLong()).isZero());
    }

    private static JsonNode json(WindowResult window) throws java.io.IOException {
        return Oracle.asRead(window.toJson(LogStats.DEFAULT_CLIENT_THRESHOLD, LogStats.DEFAULT_TOP_ENDPOINTS));
    }

    private void run(String name, LogAnalyticsOptions options, org.apache.storm.topology.IRichSpout spout, Path out)
            throws Exception {
        Config config = TopologyConfigs.logAnalytics(LocalStorm.testConfig(), options, Map.of());
        cluster.submitTopology(name, config, LogAnalyticsTopology.build(spout, 1,
                Map.of("sink-jsonl", new JsonLinesSink(out.toString())), options));
        LocalStorm.awaitSuccess(out);
        LocalStorm.kill(cluster, name);
    }
}
