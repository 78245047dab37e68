package io.stormwatch.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.job.Settings;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.log.AccessLogParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DStream versions count what stormwatch counts: each job's all-time totals ({@code updateStateByKey})
 * equal {@code batch --json} on the same file, served over a socket to {@code socketTextStream}; and the
 * processing-time windows ({@code window}+{@code transform}, {@code reduceByKeyAndWindow} with its inverse, one
 * window per batch) hold exactly the lines read, when every line arrived in one window.
 */
class DStreamSameAnswersTest {

    static final Path HOME = Path.of(System.getProperty("stormwatch.home", ".."));
    static SharedSpark spark;
    static JavaSparkContext sc;

    @TempDir
    Path out;

    @BeforeAll
    static void startSpark() {
        spark = SharedSpark.get();
        sc = JavaSparkContext.fromSparkContext(spark.spark.sparkContext());
    }


    @ParameterizedTest
    @CsvSource({"word-count, data/words-sample.txt", "log-analytics, data/access-sample.log", "hashtags, data/tweets-sample.jsonl"})
    void totalsEqualBatch(String jobName, String file) throws Exception {
        Path input = HOME.resolve(file);
        Job<?> job = StormwatchOracle.job(jobName);
        JsonlOutput output = new JsonlOutput(out.resolve(jobName));
        DStreamJob dstream = new DStreamJob(job, Settings.window(job, Map.of()), 500, AccessLogParser.DEFAULT_MAX_LINE_LENGTH);

        boolean whole = DStreamRunner.run(sc, spark.run, dstream, new SourceSpec.File(input), output, 500, 0, 120_000,
                AccessLogParser.DEFAULT_MAX_LINE_LENGTH);

        assertThat(whole).isTrue();
        assertThat(output.dir().resolve(JsonlOutput.SUCCESS)).exists();
        JsonNode oracle = StormwatchOracle.totals(job, input);
        assertThat(StormwatchOracle.read(output.dir().resolve(JsonlOutput.TOTALS))).isEqualTo(oracle);
        List<JsonNode> windows = StormwatchOracle.readLines(output.dir().resolve(JsonlOutput.WINDOWS));
        assertThat(windows).isNotEmpty();
        if (jobName.equals("word-count")) {
            // One window per batch: together they hold every line exactly once.
            assertThat(windows.stream().mapToLong(w -> w.get("records").asLong() + w.get("rejected").asLong()).sum())
                    .isEqualTo(oracle.get("records").asLong() + oracle.get("rejected").asLong());
        } else {
            // Sliding windows: the largest holds at most everything.
            assertThat(windows.stream().mapToLong(w -> w.get("records").asLong()).max().orElseThrow())
                    .isLessThanOrEqualTo(oracle.get("records").asLong()).isPositive();
        }
        assertThat(Files.list(spark.run.dir().resolve("checkpoints")).count()).isPositive();
    }
}
