package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Jobs;
import io.stormwatch.core.window.TimeMode;
import io.stormwatch.core.window.WindowAssembler;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.topology.JobOptions;
import io.stormwatch.storm.topology.JobTopology;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.testing.LocalStorm;
import io.stormwatch.testing.Oracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.storm.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every job on every sample in {@code data/} — its own input and the other jobs' — streamed on a LocalCluster
 * with two parse tasks and really serialized tuples, at the job's own default window: the totals equal the
 * batch oracle's, and for jobs in event time every window equals the oracle's, line for line. A job given
 * another job's input rejects what it cannot read, counted and the same in both: "any input" includes the
 * wrong one.
 */
class EveryJobIT {

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

    static Stream<Arguments> jobsAndSamples() throws IOException {
        List<Path> samples;
        try (Stream<Path> files = Files.list(Path.of("data"))) {
            samples = files.filter(f -> !f.getFileName().toString().endsWith(".md")).sorted().toList();
        }
        return Jobs.NAMES.stream().flatMap(job -> samples.stream().map(sample -> Arguments.of(job, sample)));
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("jobsAndSamples")
    void streamEqualsBatch(String jobName, Path sample) throws Exception {
        Path out = tmp.resolve("out");
        Map<String, Object> conf = LocalStorm.testConfig();
        conf.put(StormwatchConfig.SOURCE, "file:" + sample.toAbsolutePath());
        conf.put(StormwatchConfig.OUTPUTS, "jsonl:" + out);
        conf.put(StormwatchConfig.PARSE_PARALLELISM, 2);
        conf.put(StormwatchConfig.BLOCK_LINES, 50);
        String name = jobName + "-on-" + sample.getFileName().toString().replaceAll("[^A-Za-z0-9]", "-");
        JobTopology topology = JobTopology.fromConfig(jobName, name, conf, true, Map.of());
        Job<?> job = Jobs.fromConfig(jobName, Map.of());
        JobOptions options = JobOptions.fromConfig(job, Map.of());

        LocalStorm.submit(cluster, topology);
        LocalStorm.awaitSuccess(out);
        LocalStorm.kill(cluster, name);

        List<String> batchWindows = new ArrayList<>();
        Tally totals = batch(job, options, batchWindows, sample);
        JsonNode streamTotals = Oracle.readJson(out.resolve(JsonLinesSink.TOTALS));
        assertThat(streamTotals).isEqualTo(Oracle.asRead(job.views().json(totals)));
        assertThat(totals.records() + totals.rejected()).as("every line counted").isPositive();
        if (options.time() == TimeMode.EVENT) {
            assertThat(Files.readAllLines(out.resolve(JsonLinesSink.WINDOWS))).containsExactlyElementsOf(batchWindows);
        }
    }

    /** Batch's totals, and its windows when the job runs in event time (processing-time windows have no oracle). */
    private static <R> Tally batch(Job<R> job, JobOptions options, List<String> windows, Path sample) throws IOException {
        Batch<R> batch = options.time() != TimeMode.EVENT ? new Batch<>(job, options.maxLineLength())
                : new Batch<>(job, options.maxLineLength(), options.window(), new WindowAssembler.Listener() {
            @Override
            public void window(long start, long end, Tally tally, long late) {
                windows.add(job.views().windowJsonText(start, end, tally, late));
            }

            @Override
            public void late(String source, long[] offsets, long[] times, long reportedIn) {}
        });
        return batch.run(List.of(sample), Batch.DeadLetterSink.DISCARD, bytes -> {});
    }
}
