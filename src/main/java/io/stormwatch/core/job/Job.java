package io.stormwatch.core.job;

import java.io.Serializable;

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

    /** The record's event time in epoch milliseconds: what places it in event-time windows. */
    long eventTimeMillis(R record);

    /**
     * The name of the record field {@link #eventTimeMillis} reads, e.g. {@code time} for an access log's
     * {@code %t}: what a window bolt's {@code withTimestampField} names to choose event time.
     */
    default String timestampField() {
        return "time";
    }

    Aggregate<R> aggregate();

    Views views();
}
