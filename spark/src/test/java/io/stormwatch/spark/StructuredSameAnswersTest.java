package io.stormwatch.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stormwatch.core.job.Settings;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.window.WindowSpec;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Structured Streaming gives stormwatch's answers on the bundled samples: totals, and windows where defined alike. */
class StructuredSameAnswersTest {

    static final Path HOME = Path.of(System.getProperty("stormwatch.home", ".."));
    static SharedSpark spark;

    @TempDir
    Path out;

    @BeforeAll
    static void startSpark() {
        spark = SharedSpark.get();
    }


    static JsonNode withoutLate(JsonNode window) {
        ObjectNode copy = window.deepCopy();
        copy.remove("late");
        return copy;
    }

    /** The largest event time of an access log, from the oracle's totals. */
    static long lastTime(Path log) throws Exception {
        JsonNode totals = StormwatchOracle.totals(StormwatchOracle.job("log-analytics"), log);
        return java.time.Instant.parse(totals.get("lastTime").asText()).toEpochMilli();
    }

    private JsonlOutput run(String jobName, Path input) throws Exception {
        Job<?> job = StormwatchOracle.job(jobName);
        JsonlOutput output = new JsonlOutput(out.resolve(jobName));
        new StructuredJob(spark.spark, spark.run, job, Settings.window(job, Map.of()), StructuredJob.Bounds.STORMWATCH,
                AccessLogParser.DEFAULT_MAX_LINE_LENGTH)
                .start(new SourceSpec.File(input), output, 0).awaitTermination();
        return output;
    }

    @ParameterizedTest
    @CsvSource({"word-count, data/words-sample.txt", "hashtags, data/tweets-sample.jsonl"})
    void totalsEqualBatch(String jobName, String file) throws Exception {
        Path input = HOME.resolve(file);
        JsonlOutput output = run(jobName, input);
        assertThat(StormwatchOracle.read(output.dir().resolve(JsonlOutput.TOTALS)))
                .isEqualTo(StormwatchOracle.totals(StormwatchOracle.job(jobName), input));
        assertThat(output.dir().resolve(JsonlOutput.WINDOWS).toFile().exists())
                .as("event-time windows").isEqualTo(StormwatchOracle.job(jobName).hasEventTime());
    }

    @Test
    void logAnalyticsTotalsAndWindowsEqualBatch() throws Exception {
        Path log = HOME.resolve("data/access-sample.log");
        Job<?> job = StormwatchOracle.job("log-analytics");
        JsonlOutput output = run("log-analytics", log);

        assertThat(StormwatchOracle.read(output.dir().resolve(JsonlOutput.TOTALS)))
                .isEqualTo(StormwatchOracle.totals(job, log));
        // One micro-batch reads the whole file, and Spark's watermark moves only between micro-batches: nothing
        // in it is late. That is stormwatch with an unbounded lag; the windows then agree exactly, as far as
        // Spark emits them (append mode never emits the windows the final watermark has not passed).
        WindowSpec spec = Settings.window(job, Map.of());
        List<JsonNode> spark = StormwatchOracle.readLines(output.dir().resolve(JsonlOutput.WINDOWS));
        List<JsonNode> batch = StormwatchOracle.windows(job,
                new WindowSpec(spec.lengthMillis(), spec.slideMillis(), Integer.MAX_VALUE), log);
        long watermark = lastTime(log) - 1 - spec.lagMillis();
        List<JsonNode> passed = batch.stream()
                .filter(w -> java.time.Instant.parse(w.get("windowEnd").asText()).toEpochMilli() <= watermark).toList();
        assertThat(spark).isNotEmpty().hasSameSizeAs(passed);
        for (int i = 0; i < spark.size(); i++) {
            assertThat(spark.get(i).get("late").isNull()).isTrue();
            assertThat(withoutLate(spark.get(i))).as("window %d", i).isEqualTo(withoutLate(passed.get(i)));
        }
    }
}
