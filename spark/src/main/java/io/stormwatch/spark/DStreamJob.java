package io.stormwatch.spark;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallyCodec;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.hashtags.Hashtags;
import io.stormwatch.core.job.topurls.TopUrls;
import io.stormwatch.core.job.wordcount.WordCount;
import io.stormwatch.core.window.WindowSpec;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.Optional;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.streaming.Duration;
import org.apache.spark.streaming.api.java.JavaDStream;
import org.apache.spark.streaming.api.java.JavaPairDStream;
import scala.Tuple2;

/**
 * A stormwatch job on Spark's DStreams, written the way the Spark Streaming material writes each job, with
 * every line counted by stormwatch's core ({@link Counting}) and the counts merged by Spark as encoded tallies:
 * <ul>
 *   <li><b>word-count</b> — the network word count: each batch of {@code socketTextStream} counted on its own
 *       ({@code mapPartitions} then {@code reduce}), one processing-time window per batch;</li>
 *   <li><b>log-analytics, status-codes</b> — the log analyzer, windowed: {@code window(length, slide)}
 *       then {@code transform} (the window's lines counted again at every slide, as the tutorial does);</li>
 *   <li><b>hashtags, top-urls</b> — {@code reduceByKeyAndWindow(merge, subtract, 300 s, 1 s)}: each slide adds the
 *       newest batch and takes out the one that left, with the inverse function ({@link Counting#subtract}; these
 *       tallies have only sums and keyed counts, which subtract exactly);</li>
 *   <li>every job — the log analyzer, cumulative: all-time totals by {@code updateStateByKey}, whose state is
 *       checkpointed in the run's checkpoint directory.</li>
 * </ul>
 * Windows here are processing time (batch times), as DStreams have no other: they say what arrived when, like
 * stormwatch's word-count windows, and are not comparable with event-time windows. Totals are comparable.
 */
public final class DStreamJob implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String KEY = "all";

    private final Job<?> job;
    private final WindowSpec window;
    private final long batchMillis;
    private final int maxLineLength;
    /** Lines in the totals so far (records and rejected); updated on the driver after each batch. */
    private final AtomicLong linesCounted = new AtomicLong();
    /** Batch time of the latest totals update that counted new lines, and of the latest window computed. */
    private final AtomicLong countedAt = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong windowedAt = new AtomicLong(Long.MIN_VALUE);

    /** @param window the processing-time window (its lag is not used); its length and slide multiples of the batch */
    public DStreamJob(Job<?> job, WindowSpec window, long batchMillis, int maxLineLength) {
        this.job = job;
        this.window = window;
        this.batchMillis = batchMillis;
        this.maxLineLength = maxLineLength;
    }

    /** Lines the totals have counted so far. */
    public long linesCounted() {
        return linesCounted.get();
    }

    /** True when a window was computed at or after the batch that last added to the totals: the windows are current. */
    public boolean windowsCaughtUp() {
        return windowedAt.get() >= countedAt.get();
    }

    /** Wires the job's streams on {@code lines}; the streaming context must have a checkpoint directory. */
    public void wire(JavaDStream<String> lines, JsonlOutput output) {
        Job<?> j = job;
        int max = maxLineLength;
        JavaDStream<byte[]> perBatch = lines.mapPartitions(it -> single(Counting.total(j, max, it)));
        Function2<byte[], byte[], byte[]> merge = Counting::merge;

        // Cumulative: the log analyzer's updateStateByKey, over all that was read.
        JavaPairDStream<String, byte[]> totals = perBatch.mapToPair(t -> new Tuple2<>(KEY, t))
                .updateStateByKey((List<byte[]> batch, Optional<byte[]> state) -> {
                    byte[] merged = state.orElse(null);
                    for (byte[] t : batch) {
                        merged = Counting.merge(merged, t);
                    }
                    return Optional.ofNullable(merged);
                });
        AtomicLong counter = linesCounted;
        AtomicLong counted = countedAt;
        AtomicLong windowed = windowedAt;
        totals.foreachRDD((rdd, time) -> {
            List<Tuple2<String, byte[]>> state = rdd.collect();
            Tally tally = state.isEmpty() ? j.aggregate().createAccumulator() : TallyCodec.decode(state.get(0)._2());
            output.totals(j.views().jsonText(tally));
            output.counted(tally.records() + tally.rejected());
            if (counter.getAndSet(tally.records() + tally.rejected()) != tally.records() + tally.rejected()) {
                counted.set(time.milliseconds());
            }
        });

        long length = window.lengthMillis();
        switch (job.name()) {
            case WordCount.NAME -> perBatch.foreachRDD((rdd, time) ->
                    writeWindow(j, output, time.milliseconds() - batchMillis, time.milliseconds(), rdd, windowed));
            case Hashtags.NAME, TopUrls.NAME -> perBatch.mapToPair(t -> new Tuple2<>(KEY, t))
                    .reduceByKeyAndWindow(merge, Counting::subtract, new Duration(length), new Duration(window.slideMillis()))
                    .foreachRDD((rdd, time) -> writeWindow(j, output, time.milliseconds() - length, time.milliseconds(),
                            rdd.values(), windowed));
            default -> lines.window(new Duration(length), new Duration(window.slideMillis()))
                    .transform(rdd -> rdd.mapPartitions(it -> single(Counting.total(j, max, it))))
                    .foreachRDD((rdd, time) -> writeWindow(j, output, time.milliseconds() - length, time.milliseconds(), rdd,
                            windowed));
        }
    }

    private static void writeWindow(Job<?> job, JsonlOutput output, long start, long end, JavaRDD<byte[]> tallies,
            AtomicLong windowedAt) {
        byte[] merged = tallies.isEmpty() ? null : tallies.reduce(Counting::merge);
        Tally tally = merged == null ? job.aggregate().createAccumulator() : TallyCodec.decode(merged);
        if (!tally.isEmpty()) {
            output.windows(List.of(job.views().windowJsonText(start, end, tally, 0)));
            output.windowed(end);
        }
        windowedAt.set(end);
    }

    private static Iterator<byte[]> single(byte[] tally) {
        return List.of(tally).iterator();
    }
}
