package io.stormwatch.core.job.loganalytics;

import io.stormwatch.core.agg.Counts;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallySchema;
import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.RejectReason;
import java.io.Serializable;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The statistics of a set of access-log lines, as the Spark Streaming log analyzer computes them, plus the
 * lines that were rejected and why: a typed reading of a log-analytics {@link Tally} ({@link #SCHEMA}).
 * {@code new LogStats()} starts an empty one; {@link #of} reads an existing tally (a window, the totals)
 * without copying it.
 *
 * <p>Like the tally beneath it, a commutative monoid: {@code new LogStats()} is the identity and
 * {@link #merge} is associative and commutative, so {@code stats(A ++ B)} equals
 * {@code stats(A).merge(stats(B))} for any split. That is what lets a batch over files, a window over
 * panes and a running total all agree exactly.
 *
 * <p>Not thread-safe. Content size statistics treat a {@code -} size as 0 bytes; {@link #contentAvg()} is
 * {@code sum / count} truncated, as in the Spark reference.
 */
public final class LogStats {

    /** Default threshold of {@link #clientsOver}: clients with more than this many requests. */
    public static final int DEFAULT_CLIENT_THRESHOLD = 10;
    /** Default size of {@link #topEndpoints}. */
    public static final int DEFAULT_TOP_ENDPOINTS = 10;

    static final int CONTENT_SUM = 2;
    static final int CONTENT_MIN = 3;
    static final int CONTENT_MAX = 4;
    static final int FIRST_TIME = 5;
    static final int LAST_TIME = 6;
    static final int RESPONSE_CODES = 1;
    static final int CLIENTS = 2;
    static final int ENDPOINTS = 3;

    /**
     * Cells: records, rejected, content sum, content min, content max, first time (min), last time (max);
     * dimensions: reject reasons, response codes (int), clients, endpoints.
     */
    public static final TallySchema SCHEMA = TallySchema.builder()
            .sum().min().max().min().max()
            .intKeys().stringKeys().stringKeys()
            .build();

    private final Tally tally;

    public LogStats() {
        this(SCHEMA.newTally());
    }

    private LogStats(Tally tally) {
        if (tally.schema() != SCHEMA) {
            throw new IllegalArgumentException("not a log-analytics tally: " + tally.schema());
        }
        this.tally = tally;
    }

    /** Reads {@code tally} (of {@link #SCHEMA}) as log statistics; changes to either show in both. */
    public static LogStats of(Tally tally) {
        return new LogStats(tally);
    }

    /** The tally beneath. */
    public Tally tally() {
        return tally;
    }

    /** Counts one parsed line. */
    public LogStats add(LogRecord r) {
        add(r, tally);
        return this;
    }

    /** Counts one parsed line into a log-analytics tally: the log-analytics aggregate's {@code add}. */
    static void add(LogRecord r, Tally tally) {
        tally.countRecord();
        long size = r.contentSize();
        tally.sum(CONTENT_SUM, size);
        tally.min(CONTENT_MIN, size);
        tally.max(CONTENT_MAX, size);
        tally.min(FIRST_TIME, r.timeMillis());
        tally.max(LAST_TIME, r.timeMillis());
        tally.count(RESPONSE_CODES, r.status());
        tally.count(CLIENTS, r.client());
        tally.count(ENDPOINTS, r.endpoint());
    }

    /** Counts one rejected line. */
    public LogStats reject(RejectReason reason) {
        tally.countRejected(reason.key());
        return this;
    }

    /** Adds everything {@code other} counted into this; returns this. */
    public LogStats merge(LogStats other) {
        tally.merge(other.tally);
        return this;
    }

    public LogStats copy() {
        return new LogStats(tally.copy());
    }

    public boolean isEmpty() {
        return tally.isEmpty();
    }

    public long records() {
        return tally.records();
    }

    public long rejected() {
        return tally.rejected();
    }

    public long contentSum() {
        return tally.cell(CONTENT_SUM);
    }

    /** Smallest content size, or 0 when there are no records. */
    public long contentMin() {
        return records() == 0 ? 0 : tally.cell(CONTENT_MIN);
    }

    /** Largest content size, or 0 when there are no records. */
    public long contentMax() {
        return records() == 0 ? 0 : tally.cell(CONTENT_MAX);
    }

    /** {@code sum / count}, truncated; 0 when there are no records. */
    public long contentAvg() {
        return records() == 0 ? 0 : contentSum() / records();
    }

    /** Earliest event time in epoch ms (not the first line's: logs run backwards), or null when empty. */
    public Long firstTimeMillis() {
        return records() == 0 ? null : tally.cell(FIRST_TIME);
    }

    /** Latest event time in epoch ms, or null when empty. */
    public Long lastTimeMillis() {
        return records() == 0 ? null : tally.cell(LAST_TIME);
    }

    public Counts<Integer> responseCodes() {
        return tally.dim(RESPONSE_CODES);
    }

    public Counts<String> clients() {
        return tally.dim(CLIENTS);
    }

    public Counts<String> endpoints() {
        return tally.dim(ENDPOINTS);
    }

    /** Rejected lines by reason key ({@link RejectReason#key()}, e.g. {@code too-long}). */
    public Counts<String> rejectReasons() {
        return tally.dim(TallySchema.REJECT_REASONS);
    }

    /** Every client with more than {@code threshold} requests, most requests first, ties by client. */
    public Map<String, Long> clientsOver(long threshold) {
        Map<String, Long> over = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : clients().over(threshold, Comparator.naturalOrder())) {
            over.put(e.getKey(), e.getValue());
        }
        return over;
    }

    /** The {@code k} most requested endpoints, most requests first, ties broken by endpoint text. */
    public List<EndpointCount> topEndpoints(int k) {
        return endpoints().top(k, Comparator.naturalOrder()).stream()
                .map(e -> new EndpointCount(e.getKey(), e.getValue()))
                .toList();
    }

    /** One row of {@link #topEndpoints}. */
    public record EndpointCount(String endpoint, long count) implements Serializable {}

    /** Equal when the tallies beneath are. */
    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof LogStats s && tally.equals(s.tally);
    }

    @Override
    public int hashCode() {
        return tally.hashCode();
    }

    @Override
    public String toString() {
        return "LogStats{records=" + records() + ", rejected=" + rejected() + ", contentSum=" + contentSum()
                + ", codes=" + responseCodes() + ", clients=" + clients().size() + ", endpoints=" + endpoints().size()
                + ", rejectReasons=" + rejectReasons() + '}';
    }
}
