package io.stormwatch.core.job;

import java.io.Serializable;
import java.util.Map;

/**
 * A stormwatch job: what to make of a line ({@link Extractor}), how to count records ({@link Aggregate}),
 * and what to show of the counts ({@link Views}). That is all a job is: the spouts, the parse, window, totals
 * and sink bolts, the topology factory, {@code stormwatch local}, {@code stormwatch batch} and the Flux
 * wiring are the same for every job and take the job as a parameter.
 *
 * <p>A job object is configured (its parser format, its views' sizes) and serializable: Storm ships it to
 * the workers inside the bolts.
 *
 * @param <R> the record type its extractor produces
 */
public interface Job<R> extends Serializable {

    /** The job's name, e.g. {@code log-analytics}: the topology's name and the key of its outputs. */
    String name();

    /** A fresh extractor for one thread. */
    Extractor<R> newExtractor();

    /**
     * What {@link #eventTimeMillis} returns for a record that has no time of its own (e.g. a stream's
     * {@code disconnect} notice among tweets): such a record is counted in the totals and in processing-time
     * windows, and in no event-time window — where rejected lines go, for the same reason — and it moves no
     * watermark.
     */
    long NO_EVENT_TIME = Long.MIN_VALUE;

    /**
     * The record's event time in epoch milliseconds: what places it in event-time windows; or
     * {@link #NO_EVENT_TIME} when it has none.
     */
    long eventTimeMillis(R record);

    /**
     * The name of the record field {@link #eventTimeMillis} reads, e.g. {@code time} for an access log's
     * {@code %t}: what a window bolt's {@code withTimestampField} names to choose event time.
     */
    default String timestampField() {
        return "time";
    }

    /**
     * False when the job's lines carry no time of their own (word count over plain text): it then runs in
     * processing time only, and asking for event time is a configuration error, not empty windows.
     */
    default boolean hasEventTime() {
        return true;
    }

    /**
     * The engine settings this job runs with unless the user sets them, by their {@code stormwatch.*} keys:
     * window length, slide and lag, and time ({@code stormwatch.window.length} ... {@code stormwatch.time}).
     * E.g. hashtags' {@code 5m} window sliding by {@code 1s}, as Spark's
     * {@code reduceByKeyAndWindow(Seconds(300), Seconds(1))}. Empty: the engine's defaults (30 s / 10 s,
     * lag 5 s, event time).
     */
    default Map<String, String> engineDefaults() {
        return Map.of();
    }

    Aggregate<R> aggregate();

    Views views();
}
