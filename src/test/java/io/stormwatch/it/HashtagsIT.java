package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.hashtags.Hashtags;
import io.stormwatch.core.window.WindowAssembler;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.topology.JobTopology;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.testing.CliProcess;
import io.stormwatch.testing.LocalStorm;
import io.stormwatch.testing.Oracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.storm.Config;
import org.apache.storm.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hashtags end to end: a generated Twitter stream — out-of-order statuses (some later than the lag), notices
 * with and without a time, broken lines — through {@code bin/stormwatch local hashtags} equals
 * {@code batch --job hashtags} (totals) and {@code batch --job hashtags --window 5m --slide 1s} (every window,
 * line for line); and the same on a LocalCluster with two parse tasks on two workers (tallies really
 * serialized between them). Two minutes of tweets: about 420 windows of 5 minutes sliding by 1 s.
 */
class HashtagsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path tweets(long count, long seed) throws Exception {
        return Oracle.tweets(tmp.resolve("tweets.jsonl"), count, seed);
    }

    @Test
    void localEqualsBatchTotalsAndEveryWindow() throws Exception {
        Path file = tweets(4_000, 8);
        Path out = tmp.resolve("out");

        // The two batch runs go beside the local one: three JVMs one after the other would take most of a minute.
        CompletableFuture<CliProcess> batchTotals = inBackground("batch", "--job", "hashtags", "--json", file.toString());
        CompletableFuture<CliProcess> batchWindows = inBackground("batch", "--job", "hashtags", "--window", "5m",
                "--slide", "1s", "--json", file.toString());
        CliProcess local = CliProcess.stormwatch(tmp, Duration.ofMinutes(3), "local", "hashtags", "--source", "file:" + file,
                "--output", "jsonl:" + out);
        CliProcess totals = batchTotals.get(2, TimeUnit.MINUTES);
        CliProcess windows = batchWindows.get(2, TimeUnit.MINUTES);

        assertThat(totals.exitCode()).as(totals.stderr()).isZero();
        assertThat(windows.exitCode()).as(windows.stderr()).isZero();
        assertThat(local.exitCode()).as(local.stderr()).isZero();
        JsonNode expected = Oracle.asRead(JSON.readTree(totals.stdout()));
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(expected);
        List<String> streamed = Files.readAllLines(out.resolve(JsonLinesSink.WINDOWS));
        assertThat(streamed).hasSizeBetween(400, 440).containsExactlyElementsOf(windows.stdout().lines().toList());

        assertThat(expected.get("rejected").asLong()).as("broken lines in the input").isPositive();
        assertThat(expected.get("notices").get("delete").asLong()).isPositive();
        assertThat(expected.get("notices").get("keep-alive").asLong()).as("notices without a time").isPositive();
        assertThat(streamed.stream().mapToLong(w -> json(w).get("late").asLong()).sum()).as("late statuses").isPositive();
        assertThat(local.stderr()).contains("final totals").contains("top=[#storm=");
    }

    @Test
    void twoParseTasksOnTwoWorkersGiveTheBatchWindows() throws Exception {
        Path file = tweets(3_000, 9);
        Path out = tmp.resolve("out");
        Map<String, Object> conf = LocalStorm.testConfig();
        conf.put(StormwatchConfig.SOURCE, "file:" + file);
        conf.put(StormwatchConfig.OUTPUTS, "jsonl:" + out);
        conf.put(StormwatchConfig.PARSE_PARALLELISM, 2);
        conf.put(StormwatchConfig.BLOCK_LINES, 97);
        conf.put(Config.TOPOLOGY_WORKERS, 2);
        JobTopology job = JobTopology.fromConfig(Hashtags.NAME, "hashtags-2x2", conf, true, Map.of());
        Hashtags hashtags = Hashtags.fromConfig(Map.of());
        List<String> expected = new ArrayList<>();
        Tally totals = new Batch<>(hashtags, 65_536, WindowSpec.parse("5m", "1s", "5s"), new WindowAssembler.Listener() {
            @Override
            public void window(long start, long end, Tally tally, long late) {
                expected.add(hashtags.views().windowJsonText(start, end, tally, late));
            }

            @Override
            public void late(String source, long[] offsets, long[] times, long reportedIn) {}
        }).run(List.of(file), Batch.DeadLetterSink.DISCARD, b -> {});

        LocalCluster cluster = new LocalCluster();
        try {
            LocalStorm.submit(cluster, job);
            LocalStorm.awaitSuccess(out);
            LocalStorm.kill(cluster, job.name());
        } finally {
            cluster.close();
        }

        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.asRead(hashtags.views().json(totals)));
        assertThat(Files.readAllLines(out.resolve(JsonLinesSink.WINDOWS))).isNotEmpty().containsExactlyElementsOf(expected);
        assertThat(Oracle.readJsonLines(out.resolve(JsonLinesSink.REJECTED))).hasSize((int) totals.rejected());
    }

    private CompletableFuture<CliProcess> inBackground(String... args) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return CliProcess.stormwatch(tmp, Duration.ofMinutes(2), args);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }
}
