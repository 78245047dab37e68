package io.stormwatch.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.job.Settings;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.log.AccessLogParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where Structured Streaming's event-time windows differ from stormwatch's, on a crafted out-of-order log read
 * as three micro-batches (three files, one per micro-batch). Window 30 s sliding by 10 s, lag 5 s; lines at
 * these seconds after 2024-03-31T00:00:00Z:
 * <pre>
 *   file a (micro-batch 0):  1  10  31  12   12 is 19 s behind 31: late for stormwatch; Spark's watermark does
 *                                            not move inside a micro-batch
 *   file b (micro-batch 1): 15  40  50       15: late for stormwatch; Spark filters late rows with the watermark
 *                                            of the micro-batch before (none yet), so 15 is in window (-10, 20]
 *                                            although that window is evicted in this very micro-batch (26 s)
 *   file c (micro-batch 2): 16               16: late for stormwatch; Spark drops it from window (-10, 20] only
 *                                            (end 20 ≤ 26, micro-batch 0's watermark) and counts it in the
 *                                            windows still open
 * </pre>
 * Records per window end (seconds), as {@code topologies/spark.md} explains:
 * <pre>
 *                          10  20  30  40  50  60  70
 *   stormwatch (batch)      2   2   2   2   3   3   1     12, 15, 16 late (in "late"), last windows flushed
 *   Spark, bounds (s, e]    2   4   5   5   -   -   -     no end-of-input flush: the watermark stays at 45
 *   Spark, bounds [s, e)    1   4   5   5   -   -   -     the line at 10 s belongs to [10, 40), not to [-20, 10)
 * </pre>
 * Totals count all 8 lines in every engine.
 */
class WatermarkSemanticsTest {

    static SharedSpark spark;

    @TempDir
    Path tmp;
    Path input;
    Job<?> job = StormwatchOracle.job("log-analytics");

    @BeforeAll
    static void startSpark() {
        spark = SharedSpark.get();
    }


    static String line(int second) {
        return String.format("10.0.0.%d - - [31/Mar/2024:00:00:%02d +0000] \"GET /p%d HTTP/1.1\" 200 100", second, second, second);
    }

    @BeforeEach
    void craft() throws Exception {
        input = Files.createDirectories(tmp.resolve("in"));
        Path first = Files.write(input.resolve("a.log"), List.of(line(1), line(10), line(31), line(12)));
        Path second = Files.write(input.resolve("b.log"), List.of(line(15), line(40), line(50)));
        Path third = Files.write(input.resolve("c.log"), List.of(line(16)));
        // The file source takes files oldest first, one per micro-batch (maxFilesPerTrigger 1).
        Files.setLastModifiedTime(first, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        Files.setLastModifiedTime(second, FileTime.fromMillis(System.currentTimeMillis() - 40_000));
        Files.setLastModifiedTime(third, FileTime.fromMillis(System.currentTimeMillis() - 20_000));
    }

    private JsonlOutput spark(StructuredJob.Bounds bounds) throws Exception {
        JsonlOutput output = new JsonlOutput(tmp.resolve("out-" + bounds));
        new StructuredJob(spark.spark, spark.run, job, Settings.window(job, Map.of()), bounds, AccessLogParser.DEFAULT_MAX_LINE_LENGTH)
                .start(new SourceSpec.File(input), output, 0).awaitTermination();
        return output;
    }

    /** Records per window, by window end in seconds after midnight. */
    static Map<Long, Long> records(List<JsonNode> windows) {
        Map<Long, Long> records = new TreeMap<>();
        for (JsonNode w : windows) {
            long end = java.time.Instant.parse(w.get("windowEnd").asText()).getEpochSecond()
                    - java.time.Instant.parse("2024-03-31T00:00:00Z").getEpochSecond();
            if (w.get("records").asLong() > 0) {
                records.put(end, w.get("records").asLong());
            }
        }
        return records;
    }

    @Test
    void stormwatchCountsLateLinesAndFlushesTheLastWindows() throws Exception {
        List<JsonNode> windows = StormwatchOracle.windows(job, Settings.window(job, Map.of()), input.resolve("a.log"), input.resolve("b.log"),
                input.resolve("c.log"));
        assertThat(records(windows)).isEqualTo(Map.of(10L, 2L, 20L, 2L, 30L, 2L, 40L, 2L, 50L, 3L, 60L, 3L, 70L, 1L));
        // Each late line is in the "late" of the three windows over the pane it is reported in.
        assertThat(windows.stream().mapToLong(w -> w.get("late").asLong()).sum()).isEqualTo(3 * 3);
    }

    @Test
    void sparkDropsLateRowsOnlyFromWindowsClosedTwoMicroBatchesAgo() throws Exception {
        JsonlOutput output = spark(StructuredJob.Bounds.STORMWATCH);
        assertThat(records(StormwatchOracle.readLines(output.dir().resolve(JsonlOutput.WINDOWS))))
                .isEqualTo(Map.of(10L, 2L, 20L, 4L, 30L, 5L, 40L, 5L));
        assertThat(StormwatchOracle.read(output.dir().resolve(JsonlOutput.TOTALS)))
                .isEqualTo(StormwatchOracle.totals(job, input.resolve("a.log"), input.resolve("b.log"),
                input.resolve("c.log")));
    }

    @Test
    void sparksOwnBoundsPutAnEventOnAWindowEdgeInTheNextWindow() throws Exception {
        JsonlOutput output = spark(StructuredJob.Bounds.SPARK);
        assertThat(records(StormwatchOracle.readLines(output.dir().resolve(JsonlOutput.WINDOWS))))
                .isEqualTo(Map.of(10L, 1L, 20L, 4L, 30L, 5L, 40L, 5L));
    }
}
