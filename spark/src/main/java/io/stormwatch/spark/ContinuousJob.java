package io.stormwatch.spark;

import io.stormwatch.core.job.LineExtraction;
import io.stormwatch.core.job.Job;
import java.util.Iterator;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.ForeachWriter;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * A job's map-only half on Structured Streaming's continuous trigger, which allows no aggregation: each line is
 * extracted by the job's own {@link Extractor} into {@code "ok"} or its rejection reason, and a {@code foreach}
 * writer counts the lines as they come, reporting the running count to the latency probe after every row
 * ({@link JsonlOutput#counted}). There is no totals state and no window: this is the part of the job
 * continuous processing can run, measured for its latency only.
 *
 * <p>The count lives in this JVM ({@link #LINES}): right under {@code local[N]}, where the writers run in the
 * driver's JVM; a cluster would need one count per executor.
 */
public final class ContinuousJob {

    /** Lines the foreach writers of this JVM have seen. */
    static final AtomicLong LINES = new AtomicLong();

    private ContinuousJob() {}

    /**
     * Starts the query on a socket source ({@code numPartitions} 1: each continuous partition holds a core for
     * the whole run, and {@code local[2]} has two).
     *
     * @param intervalMillis the continuous trigger's checkpoint interval
     */
    public static StreamingQuery start(SparkSession spark, SparkRun run, Job<?> job, SourceSpec.Socket source,
            JsonlOutput output, long intervalMillis, int maxLineLength) throws TimeoutException {
        Dataset<byte[]> lines = spark.readStream().format("socket").option("host", source.host())
                .option("port", source.port()).option("numPartitions", 1).load()
                .selectExpr("CAST(value AS BINARY) AS line").as(Encoders.BINARY());
        Job<?> j = job;
        int max = maxLineLength;
        Dataset<String> outcomes = lines.mapPartitions((MapPartitionsFunction<byte[], String>) it -> classify(j, max, it),
                Encoders.STRING());
        StreamingQuery query = outcomes.writeStream().queryName("continuous_" + job.name().replace('-', '_'))
                .option("checkpointLocation", run.checkpoint("continuous").toString())
                .trigger(Trigger.Continuous(intervalMillis))
                .foreach(new Counter(output)).start();
        run.onClose(query::stop);
        return query;
    }

    /** Each line → {@code ok} or why it was rejected, by the rules of every engine ({@link LineExtraction}). */
    static Iterator<String> classify(Job<?> job, int maxLineLength, Iterator<byte[]> lines) {
        LineExtraction<?> extraction = new LineExtraction<>(job, maxLineLength);
        Iterator<String> decoded = Counting.decoded(lines);
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return decoded.hasNext();
            }

            @Override
            public String next() {
                String reason = extraction.rejectReason(decoded.next());
                return reason == null ? "ok" : reason;
            }
        };
    }

    /** Counts rows and reports the count after each one. */
    static final class Counter extends ForeachWriter<String> {
        private static final long serialVersionUID = 1L;
        private final JsonlOutput output;

        Counter(JsonlOutput output) {
            this.output = output;
        }

        @Override
        public boolean open(long partitionId, long epochId) {
            return true;
        }

        @Override
        public void process(String outcome) {
            output.counted(LINES.incrementAndGet());
        }

        @Override
        public void close(Throwable error) {
            // the count is the JVM's; nothing to release
        }
    }
}
