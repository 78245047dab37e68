package io.stormwatch.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.window;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallyCodec;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.JsonText;
import io.stormwatch.core.window.WindowSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stormwatch job on Spark Structured Streaming: any {@link Job}, counted by stormwatch's core
 * ({@link Counting}) and merged by Spark ({@link TallyAggregator}), as two queries over the same source:
 * <ul>
 *   <li><b>totals</b>: every line, all time — one aggregation without grouping, output mode complete, written
 *       to {@code totals.json} after every micro-batch;</li>
 *   <li><b>windows</b> (jobs with event time): {@code withWatermark(time, lag)}, then
 *       {@code groupBy(window(time, length, slide))}, output mode append, each window written to
 *       {@code windows.jsonl} once Spark's watermark has passed its end.</li>
 * </ul>
 * Window length, slide and lag are the job's own ({@link Job#engineDefaults()}), as in {@code stormwatch local}.
 *
 * <p>Windows are Spark's, with one adaptation: Spark's window is {@code [start, end)}, stormwatch's
 * {@code (start, end]}. With {@link Bounds#STORMWATCH} (the default) each event time {@code t} is given to
 * Spark as {@code t − 1 ms}, which puts it in exactly the windows stormwatch puts it in (event times are whole
 * milliseconds); {@link Bounds#SPARK} leaves Spark's bounds. Lateness stays Spark's own — a watermark that is
 * the largest event time of all earlier micro-batches minus the lag, late rows dropped without a count — so a
 * window's {@code late} is {@code null}: this engine does not count late lines. Where that differs from
 * stormwatch, and why: {@code topologies/spark.md}.
 */
public final class StructuredJob {

    /** Which end of a window is in it. */
    public enum Bounds {
        /** {@code (start, end]}, as stormwatch's windows: comparable with {@code batch --window}. */
        STORMWATCH,
        /** {@code [start, end)}, Spark's own. */
        SPARK
    }

    private static final Logger LOG = LoggerFactory.getLogger(StructuredJob.class);
    private static final AtomicInteger QUERIES = new AtomicInteger();
    private static final StructType TIMED = new StructType()
            .add("time", DataTypes.TimestampType, true)
            .add("tally", DataTypes.BinaryType, false);

    private final SparkSession spark;
    private final SparkRun run;
    private final Job<?> job;
    private final WindowSpec window;
    private final Bounds bounds;
    private final int maxLineLength;
    private final UserDefinedFunction tally = TallyAggregator.function();

    /**
     * @param window null for totals only (a job without event time has no event-time windows)
     */
    public StructuredJob(SparkSession spark, SparkRun run, Job<?> job, WindowSpec window, Bounds bounds, int maxLineLength) {
        this.spark = spark;
        this.run = run;
        this.job = job;
        this.window = job.hasEventTime() ? window : null;
        this.bounds = bounds;
        this.maxLineLength = maxLineLength;
    }

    /** The running queries of one run. */
    public record Queries(StreamingQuery totals, StreamingQuery windows) {

        List<StreamingQuery> all() {
            List<StreamingQuery> all = new ArrayList<>();
            all.add(totals);
            if (windows != null) {
                all.add(windows);
            }
            return all;
        }

        /** Waits until every query has ended (a finite input read whole), rethrowing a query's failure. */
        public void awaitTermination() throws StreamingQueryException {
            for (StreamingQuery query : all()) {
                query.awaitTermination();
            }
        }

        /** Stops every query; what they wrote stays. */
        public void stop() throws TimeoutException {
            for (StreamingQuery query : all()) {
                query.stop();
            }
        }
    }

    /**
     * Starts the queries on {@code source}, writing to {@code output}. A file source (a file, or a directory whose
     * files are read one per micro-batch, oldest first) is read with {@code Trigger.AvailableNow}: the queries end
     * once it is read; other sources run until stopped.
     *
     * @param trigger the processing-time trigger interval in ms; 0 for Spark's default (next batch at once)
     */
    public Queries start(SourceSpec source, JsonlOutput output, long trigger) throws TimeoutException {
        Trigger chosen = source instanceof SourceSpec.File ? Trigger.AvailableNow()
                : trigger > 0 ? Trigger.ProcessingTime(trigger) : null;
        Dataset<Row> timed = timed(lines(source));
        StreamingQuery totals = startTotals(timed, output, chosen);
        StreamingQuery windows = window == null ? null : startWindows(timed, output, chosen);
        Queries queries = new Queries(totals, windows);
        run.onClose(queries::stop);
        return queries;
    }

    /** The lines of {@code source} as raw bytes, in one column {@code line}. */
    Dataset<byte[]> lines(SourceSpec source) {
        DataStreamReader reader = spark.readStream();
        Dataset<Row> raw;
        if (source instanceof SourceSpec.File file) {
            Path path = file.path().toAbsolutePath();
            raw = Files.isDirectory(path)
                    ? reader.format("text").option("maxFilesPerTrigger", 1).load(path.toString())
                    // A file source watches a directory: this one's, for this file only.
                    : reader.format("text").option("pathGlobFilter", path.getFileName().toString())
                            .load(path.getParent().toString());
        } else if (source instanceof SourceSpec.Socket socket) {
            raw = reader.format("socket").option("host", socket.host()).option("port", socket.port()).load();
        } else {
            SourceSpec.Kafka kafka = (SourceSpec.Kafka) source;
            raw = reader.format("kafka").option("kafka.bootstrap.servers", kafka.bootstrap())
                    .option("subscribe", kafka.topic()).option("startingOffsets", "earliest").load();
        }
        // The text source keeps a line's bytes as they were read: decoded by Counting, as stormwatch decodes them.
        return raw.selectExpr("CAST(value AS BINARY) AS line").as(Encoders.BINARY());
    }

    /** Lines → one row per partition and event time: {@code time} (null for lines without one), {@code tally}. */
    Dataset<Row> timed(Dataset<byte[]> lines) {
        Job<?> j = job;
        int max = maxLineLength;
        long shift = bounds == Bounds.STORMWATCH ? 1 : 0;
        return lines.mapPartitions((MapPartitionsFunction<byte[], Row>) it -> {
            List<Row> rows = new ArrayList<>();
            for (Counting.Timed t : Counting.byEventTime(j, max, Counting.decoded(it))) {
                rows.add(RowFactory.create(t.timeMillis() == null ? null : new Timestamp(t.timeMillis() - shift), t.tally()));
            }
            return rows.iterator();
        }, Encoders.row(TIMED));
    }

    private StreamingQuery startTotals(Dataset<Row> timed, JsonlOutput output, Trigger trigger) throws TimeoutException {
        Dataset<Row> totals = timed.agg(tally.apply(col("tally")).as("tally"));
        Job<?> j = job;
        VoidFunction2<Dataset<Row>, Long> write = (batch, id) -> {
            List<Row> rows = batch.collectAsList();
            byte[] bytes = rows.isEmpty() ? null : rows.get(0).getAs("tally");
            Tally merged = bytes == null ? j.aggregate().createAccumulator() : TallyCodec.decode(bytes);
            output.totals(j.views().jsonText(merged));
            output.counted(merged.records() + merged.rejected());
        };
        var writer = totals.writeStream().queryName(name("totals")).outputMode("complete")
                .option("checkpointLocation", run.checkpoint(name("totals")).toString()).foreachBatch(write);
        return (trigger == null ? writer : writer.trigger(trigger)).start();
    }

    private StreamingQuery startWindows(Dataset<Row> timed, JsonlOutput output, Trigger trigger) throws TimeoutException {
        Dataset<Row> windows = timed.where(col("time").isNotNull())
                .withWatermark("time", window.lagMillis() + " milliseconds")
                .groupBy(window(col("time"), window.lengthMillis() + " milliseconds", window.slideMillis() + " milliseconds"))
                .agg(tally.apply(col("tally")).as("tally"));
        Job<?> j = job;
        VoidFunction2<Dataset<Row>, Long> write = (batch, id) -> {
            List<Row> rows = new ArrayList<>(batch.collectAsList());
            rows.sort(Comparator.comparing(r -> r.<Row>getAs("window").<Timestamp>getAs("start")));
            List<String> lines = new ArrayList<>(rows.size());
            for (Row row : rows) {
                Row w = row.getAs("window");
                lines.add(windowJson(j, w.<Timestamp>getAs("start").getTime(), w.<Timestamp>getAs("end").getTime(),
                        TallyCodec.decode(row.getAs("tally"))));
            }
            output.windows(lines);
            for (Row row : rows) {
                output.windowed(row.<Row>getAs("window").<Timestamp>getAs("end").getTime());
            }
        };
        var writer = windows.writeStream().queryName(name("windows")).outputMode("append")
                .option("checkpointLocation", run.checkpoint(name("windows")).toString()).foreachBatch(write);
        return (trigger == null ? writer : writer.trigger(trigger)).start();
    }

    /** The keys of stormwatch's windows; {@code late} is null: Spark drops late rows without counting them. */
    static String windowJson(Job<?> job, long start, long end, Tally tally) {
        return JsonText.text(json -> {
            job.views().writeFields(tally, json);
            io.stormwatch.core.job.IsoTime.writeField(json, "windowStart", start);
            io.stormwatch.core.job.IsoTime.writeField(json, "windowEnd", end);
            json.writeNullField("late");
        });
    }

    private String name(String what) {
        return job.name().replace('-', '_') + "_" + what + "_" + QUERIES.incrementAndGet();
    }

    /** Logs what the last micro-batch of each query did (rows dropped by the watermark among it). */
    static void logProgress(Queries queries) {
        for (StreamingQuery query : queries.all()) {
            if (query.lastProgress() != null) {
                LOG.info("{}: batch {}, {} input rows, state: {}", query.name(), query.lastProgress().batchId(),
                        query.lastProgress().numInputRows(),
                        query.lastProgress().stateOperators().length == 0 ? "none" : query.lastProgress().stateOperators()[0].json());
            }
        }
    }
}
