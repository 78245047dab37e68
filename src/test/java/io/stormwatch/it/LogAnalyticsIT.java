package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.job.loganalytics.StatsJson;
import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.topology.JobTopology;
import io.stormwatch.storm.topology.PipelineTopology;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.testing.LocalStorm;
import io.stormwatch.testing.Oracle;
import io.stormwatch.testing.RandomlyFailingBolt;
import io.stormwatch.testing.WindowOracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.storm.Config;
import org.apache.storm.LocalCluster;
import org.apache.storm.generated.StormTopology;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * log-analytics end to end on a LocalCluster, against the batch oracle and the window definition: a log that
 * spans days and then bursts with lines out of order, with malformed lines of every kind, goes in; the totals
 * equal {@code batch --json}, {@code windows.jsonl} equals {@code batch --window --json} line for line and the
 * line-by-line definition ({@link WindowOracle}) window for window, and the late lines and dead letters are
 * the oracle's — with one and two parse tasks, on one and two workers (tuples then really cross workers), and
 * with bolts failing random blocks.
 */
class LogAnalyticsIT {

    /** 20 s windows sliding every 5 s with 2 s lag: the burst's lines running 1-5 s back make some late. */
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

    @ParameterizedTest(name = "{0} parse task(s), {1} worker(s)")
    @CsvSource({"1, 1", "2, 1", "2, 2"})
    void aMultiDayLogGivesTheBatchTotalsAndWindowsWindowForWindow(int parseTasks, int workers) throws Exception {
        Path log = Oracle.multiDay(tmp.resolve("access.log"), 6_000, 6_000, 7);
        Path out = tmp.resolve("out");
        Map<String, Object> conf = multiDayConf(log, out, parseTasks, workers);
        JobTopology job = JobTopology.fromConfig(LogAnalytics.NAME, "multi-day-" + parseTasks + "-" + workers, conf,
                true, Map.of());

        LocalStorm.submit(cluster, job);
        LocalStorm.awaitSuccess(out);
        LocalStorm.kill(cluster, job.name());

        JsonNode totals = Oracle.totals(log);
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(totals);
        List<String> windows = Files.readAllLines(out.resolve(JsonLinesSink.WINDOWS));
        assertThat(windows).containsExactlyElementsOf(Oracle.windows(WINDOW, log));

        WindowOracle.Result definition = WindowOracle.eventTime(List.of(Oracle.records(log)), LogStats.SCHEMA,
                (record, tally) -> LogStats.of(tally).add(record), LogRecord::timeMillis,
                WINDOW.lengthMillis(), WINDOW.slideMillis(), WINDOW.lagMillis());
        assertThat(definition.lateLines()).as("the log must have late lines, or lateness goes untested").isPositive();
        List<String> expected = new ArrayList<>();
        definition.windows().values().forEach(w -> expected.add(StatsJson.write(
                LogAnalytics.defaults().views().windowJson(w.start(), w.end(), w.tally(), w.late()))));
        assertThat(windows).containsExactlyElementsOf(expected);
        assertThat(Oracle.readJsonLines(out.resolve(JsonLinesSink.LATE))).hasSize((int) definition.lateLines());

        List<JsonNode> deadLetters = Oracle.readJsonLines(out.resolve(JsonLinesSink.REJECTED));
        Map<String, Integer> byReason = new TreeMap<>();
        deadLetters.forEach(d -> byReason.merge(d.get("reason").asText(), 1, Integer::sum));
        Map<String, Integer> oracleByReason = new TreeMap<>();
        totals.get("rejectReasons").fields().forEachRemaining(e -> oracleByReason.put(e.getKey(), e.getValue().asInt()));
        assertThat(byReason).isEqualTo(oracleByReason);
    }

    @Test
    void aSpoolInProcessingTimeWithTwoParseTasksGivesTheOracleTotals() throws Exception {
        Path log = Oracle.generate(tmp.resolve("in/access.log"), 5_000, 11, 0.05);
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        Files.copy(log, tmp.resolve("staged"));
        Files.move(tmp.resolve("staged"), spool.resolve("access.log"));
        Path out = tmp.resolve("out");
        Map<String, Object> conf = LocalStorm.testConfig();
        conf.put(StormwatchConfig.SOURCE, "spool:" + spool);
        conf.put(StormwatchConfig.OUTPUTS, "jsonl:" + out);
        conf.put(StormwatchConfig.TIME, "processing");
        conf.put(StormwatchConfig.WINDOW_LENGTH, "2s");
        conf.put(StormwatchConfig.WINDOW_SLIDE, "1s");
        conf.put(StormwatchConfig.PARSE_PARALLELISM, 2);
        JobTopology job = JobTopology.fromConfig(LogAnalytics.NAME, "spool-processing-time", conf, true, Map.of());
        assertThat(job.finite()).isTrue();

        LocalStorm.submit(cluster, job);
        LocalStorm.awaitSuccess(out);
        LocalStorm.kill(cluster, job.name());

        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.totals(log));
        List<JsonNode> windows = Oracle.readJsonLines(out.resolve(JsonLinesSink.WINDOWS));
        assertThat(windows).isNotEmpty().allSatisfy(w -> assertThat(w.get("late").asLong()).isZero());
        assertThat(windows.stream().mapToLong(w -> w.get("records").asLong() + w.get("rejected").asLong()).sum())
                .as("every line in some window (1 s slides over 2 s windows: twice)")
                .isEqualTo(2 * 5_000);
    }

    /**
     * One of the faults the windows and the totals must come through exactly once: the parse, window and totals
     * bolts each fail 3 % of the blocks they get (before the bolt sees them); the spout replays each failed block
     * line by line, and some replays fail again. None lost, none counted twice, no window written twice.
     */
    @Test
    void boltsFailingRandomBlocksLoseNothingAndCountNothingTwice() throws Exception {
        Path log = Oracle.multiDay(tmp.resolve("access.log"), 6_000, 6_000, 11);
        Path out = tmp.resolve("out");
        JobTopology built = JobTopology.fromConfig(LogAnalytics.NAME, "failing-bolts", multiDayConf(log, out, 2, 2), true,
                Map.of());
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

    /** The file {@code log} through {@link #WINDOW} into {@code out}, blocks of 97 lines. */
    private static Map<String, Object> multiDayConf(Path log, Path out, int parseTasks, int workers) {
        Map<String, Object> conf = LocalStorm.testConfig();
        conf.put(StormwatchConfig.SOURCE, "file:" + log);
        conf.put(StormwatchConfig.OUTPUTS, "jsonl:" + out);
        conf.put(StormwatchConfig.WINDOW_LENGTH, "20s");
        conf.put(StormwatchConfig.WINDOW_SLIDE, "5s");
        conf.put(StormwatchConfig.WINDOW_LAG, "2s");
        conf.put(StormwatchConfig.PARSE_PARALLELISM, parseTasks);
        conf.put(StormwatchConfig.BLOCK_LINES, 97);
        conf.put(Config.TOPOLOGY_WORKERS, workers);
        return conf;
    }
}
