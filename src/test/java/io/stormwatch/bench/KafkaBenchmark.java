package io.stormwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.topology.JobTopology;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.testing.KafkaServer;
import io.stormwatch.testing.LocalStorm;
import io.stormwatch.testing.Oracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.storm.LocalCluster;

/**
 * Lines per second of the Kafka source end to end — records already in a real broker (KRaft, its own JVM, on
 * this machine) → blocks → parse → windows and exactly-once running totals → the totals file — beside the file
 * source and {@code batch} on the same lines, in the same run.
 *
 * <p>Input: {@code --lines} generated Combined lines (default 500,000), produced into a topic of 1 partition and
 * into one of 3 partitions with {@code stormwatch produce} before the runs (its rate is printed too). Each row
 * is {@link JobTopology#fromConfig} as {@code stormwatch local log-analytics --source ... --output jsonl:D}
 * builds it (default windows, in-memory state, acking on) on one LocalCluster in this JVM, with a fresh consumer
 * group (so the topic is read from its start). Timing: from submission until the totals file counts every line
 * (topology start included: ≈ 4 s here, see the fixed-cost benchmark), and from the first totals written to the
 * last ("steady": start excluded). Every row's totals must equal the batch's. A warm-up run of the file source
 * (not reported) comes first. The rows: the file source; Kafka, 1 partition; Kafka, 3 partitions read by 2 spout
 * tasks; Kafka with one record per tuple ({@code stormwatch.block.lines=1}), the cost of not grouping records.
 *
 * <pre>bin/bench-topology kafka [--lines N] [--only ROW-PREFIX] [--set KEY=VALUE]...</pre>
 */
public final class KafkaBenchmark {

    private static final Duration RUN_LIMIT = Duration.ofMinutes(5);

    private KafkaBenchmark() {}

    public static void main(String[] args) {
        Bench.runAndExit(() -> benchmark(args));
    }

    private record Row(String label, String source, Map<String, Object> overrides) {}

    private static void benchmark(String[] args) throws Exception {
        long lines = 500_000;
        String only = null;
        Map<String, Object> settings = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lines" -> lines = Long.parseLong(args[++i].replace("_", ""));
                case "--only" -> only = args[++i];
                case "--set" -> {
                    Map.Entry<String, Object> entry = StormwatchConfig.parseOverride(args[++i]);
                    settings.put(entry.getKey(), entry.getValue());
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: [--lines N] [--only ROW-PREFIX] [--set KEY=VALUE]...");
            }
        }
        if (!settings.isEmpty()) {
            System.out.println("every row also with: " + settings);
        }
        System.out.printf(Locale.ROOT, "== kafka: log-analytics from a Kafka topic vs the file source vs batch,"
                + " %,d generated Combined lines%n", lines);
        System.out.println(Bench.machine());
        Path log = Bench.combinedLog(lines, 42);
        System.out.printf(Locale.ROOT, "input: %s, %,d MB%n", log, Files.size(log) >> 20);
        JsonNode batchTotals = Oracle.asRead(Oracle.totals(log));

        Bench.Table table = new Bench.Table("row", "submit→all counted", "lines/s", "steady (first→last totals)",
                "lines/s steady", "× batch process", "totals");
        // --- batch, as a process (JVM start included, median of 3) and warm in this JVM
        double[] batch = new double[3];
        for (int i = 0; i < batch.length; i++) {
            StormwatchProcess.Run run = StormwatchProcess.checked(StormwatchProcess.run("kafka-batch-" + i,
                    List.of("batch", "--json", log.toString())));
            batch[i] = run.seconds();
        }
        double batchSeconds = Bench.median(batch);
        table.row("bin/stormwatch batch --json F (process, median of 3)", secs(batchSeconds), Bench.count(lines / batchSeconds),
                "", "", "1.00", "= batch");
        double warmBatch = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            new Batch<>(LogAnalytics.defaults(), AccessLogParser.DEFAULT_MAX_LINE_LENGTH)
                    .run(List.of(log), Batch.DeadLetterSink.DISCARD, bytes -> {});
            warmBatch = Math.min(warmBatch, (System.nanoTime() - start) / 1e9);
        }
        table.row("Batch engine in this JVM, warm (best of 3)", secs(warmBatch), Bench.count(lines / warmBatch), "", "",
                ratio(batchSeconds / warmBatch), "");

        try (KafkaServer kafka = KafkaServer.start(); LocalCluster cluster = new LocalCluster()) {
            long produceStart = System.nanoTime();
            kafka.produce("bench-1", 1, log);
            double produce1 = (System.nanoTime() - produceStart) / 1e9;
            produceStart = System.nanoTime();
            kafka.produce("bench-3", 3, log);
            double produce3 = (System.nanoTime() - produceStart) / 1e9;
            String bootstrap = kafka.bootstrap();

            run(cluster, new Row("warmup", "file:" + log.toAbsolutePath(), Map.of()), 0, lines, batchTotals);
            List<Row> rows = new ArrayList<>(List.of(
                    new Row("file source (FileSpout)", "file:" + log.toAbsolutePath(), Map.of()),
                    new Row("kafka, 1 partition", "kafka:" + bootstrap + "/bench-1", Map.of()),
                    new Row("kafka, 3 partitions, 2 spout tasks", "kafka:" + bootstrap + "/bench-3",
                            Map.of(StormwatchConfig.SOURCE_PARALLELISM, 2)),
                    new Row("kafka, 1 partition, one record per tuple (block.lines=1)", "kafka:" + bootstrap + "/bench-1",
                            Map.of(StormwatchConfig.BLOCK_LINES, 1))));
            for (int i = 0; i < rows.size(); i++) {
                Row row = rows.get(i);
                if (only != null && !row.label().startsWith(only)) {
                    continue;
                }
                Map<String, Object> overrides = new HashMap<>(settings);
                overrides.putAll(row.overrides());
                row = new Row(row.label(), row.source(), overrides);
                double[] times = run(cluster, row, i + 1, lines, batchTotals);
                table.row(row.label(), secs(times[0]), Bench.count(lines / times[0]), secs(times[1]),
                        Bench.count(lines / times[1]), ratio(times[0] / batchSeconds), times[2] == 1 ? "= batch" : "DIFFERENT");
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "stormwatch produce (in this JVM, acks=all): %,.0f lines/s into 1 partition,"
                    + " %,.0f lines/s into 3%n", lines / produce1, lines / produce3);
        }
        System.out.println();
        table.print(System.out);
    }

    private static boolean awaitEvery50Millis(java.util.function.BooleanSupplier done, Duration limit) {
        try {
            org.awaitility.Awaitility.await().atMost(limit).pollInterval(Duration.ofMillis(50)).until(done::getAsBoolean);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    private static String secs(double seconds) {
        return String.format(Locale.ROOT, "%.2f s", seconds);
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    /** Runs one row; returns {submit→all counted s, first→last totals s, 1 if the totals equal the batch's}. */
    private static double[] run(LocalCluster cluster, Row row, int n, long lines, JsonNode batchTotals) throws Exception {
        Path out = Bench.WORK.resolve("out-kafka-" + n).toAbsolutePath();
        Bench.deleteTree(out);
        Map<String, Object> conf = new HashMap<>(Bench.localConf());
        conf.put(StormwatchConfig.SOURCE, row.source());
        conf.put(StormwatchConfig.OUTPUTS, "jsonl:" + out);
        conf.putAll(row.overrides());
        String name = "kafka-bench-" + n + "-" + System.currentTimeMillis();
        JobTopology job = JobTopology.fromConfig(LogAnalytics.NAME, name, conf, true, Map.of());
        long submitted = System.nanoTime();
        LocalStorm.submit(cluster, job);
        long[] first = {-1};
        // Every 50 ms, not Bench.await's 5: parsing the totals file every 5 ms took 11 % of the CPU in a profile.
        boolean done = awaitEvery50Millis(() -> {
            try {
                long counted = JsonLinesSink.linesCounted(out);
                if (counted > 0 && first[0] < 0) {
                    first[0] = System.nanoTime();
                }
                return counted >= lines;
            } catch (java.io.IOException e) {
                return false; // the file is being replaced
            }
        }, RUN_LIMIT);
        long end = System.nanoTime();
        if (!done) {
            throw new IllegalStateException(row.label() + ": not every line counted within " + RUN_LIMIT);
        }
        boolean same = Oracle.asRead(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).equals(batchTotals);
        LocalStorm.kill(cluster, name);
        System.out.printf(Locale.ROOT, "%s: %.2f s%n", row.label(), (end - submitted) / 1e9);
        return new double[] {(end - submitted) / 1e9, (end - first[0]) / 1e9, same ? 1 : 0};
    }
}
