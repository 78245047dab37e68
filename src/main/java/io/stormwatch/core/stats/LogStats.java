package io.stormwatch.core.stats;

import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.RejectReason;
import java.io.Serializable;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The statistics of a set of access-log lines, as the Spark Streaming log analyzer computes them, plus the
 * lines that were rejected and why.
 *
 * <p>A mutable accumulator that forms a commutative monoid: {@code new LogStats()} is the identity and
 * {@link #merge} is associative and commutative, so {@code stats(A ++ B)} equals
 * {@code stats(A).merge(stats(B))} for any split. That is what lets a batch over files, a window over
 * panes and a running total all agree exactly.
 *
 * <p>Not thread-safe. Content size statistics treat a {@code -} size as 0 bytes; {@link #contentAvg()} is
 * {@code sum / count} truncated, as in the Spark reference.
 */
public final class LogStats implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Default threshold of {@link #clientsOver}: clients with more than this many requests. */
    public static final int DEFAULT_CLIENT_THRESHOLD = 10;
    /** Default size of {@link #topEndpoints}. */
    public static final int DEFAULT_TOP_ENDPOINTS = 10;

    /** Status codes as shared boxes: {@code Integer.valueOf} caches only up to 127, and 200 is on every line. */
    private static final Integer[] STATUS_KEYS = new Integer[1000];

    static {
        for (int i = 0; i < STATUS_KEYS.length; i++) {
            STATUS_KEYS[i] = i;
        }
    }

    private static Integer statusKey(int status) {
        return status >= 0 && status < STATUS_KEYS.length ? STATUS_KEYS[status] : Integer.valueOf(status);
    }

    private long records;
    private long rejected;
    private long contentSum;
    private long contentMin = Long.MAX_VALUE;
    private long contentMax = Long.MIN_VALUE;
    private long firstTimeMillis = Long.MAX_VALUE;
    private long lastTimeMillis = Long.MIN_VALUE;
    private final Counts<Integer> responseCodes;
    private final Counts<String> clients;
    private final Counts<String> endpoints;
    private final Counts<RejectReason> rejectReasons;

    public LogStats() {
        this(new Counts<>(), new Counts<>(), new Counts<>(), new Counts<>());
    }

    private LogStats(Counts<Integer> responseCodes, Counts<String> clients, Counts<String> endpoints,
            Counts<RejectReason> rejectReasons) {
        this.responseCodes = responseCodes;
        this.clients = clients;
        this.endpoints = endpoints;
        this.rejectReasons = rejectReasons;
    }

    /** Counts one parsed line. */
    public LogStats add(LogRecord r) {
        records++;
        long size = r.contentSize();
        contentSum += size;
        contentMin = Math.min(contentMin, size);
        contentMax = Math.max(contentMax, size);
        firstTimeMillis = Math.min(firstTimeMillis, r.timeMillis());
        lastTimeMillis = Math.max(lastTimeMillis, r.timeMillis());
        responseCodes.increment(statusKey(r.status()));
        clients.increment(r.client());
        endpoints.increment(r.endpoint());
        return this;
    }

    /** Counts one rejected line. */
    public LogStats reject(RejectReason reason) {
        rejected++;
        rejectReasons.increment(reason);
        return this;
    }

    /** Adds everything {@code other} counted into this; returns this. */
    public LogStats merge(LogStats other) {
        records += other.records;
        rejected += other.rejected;
        contentSum += other.contentSum;
        contentMin = Math.min(contentMin, other.contentMin);
        contentMax = Math.max(contentMax, other.contentMax);
        firstTimeMillis = Math.min(firstTimeMillis, other.firstTimeMillis);
        lastTimeMillis = Math.max(lastTimeMillis, other.lastTimeMillis);
        responseCodes.addAll(other.responseCodes);
        clients.addAll(other.clients);
        endpoints.addAll(other.endpoints);
        rejectReasons.addAll(other.rejectReasons);
        return this;
    }

    /**
     * Adds the scalar part of another stats into this, for {@link LogStatsCodec#decodeInto}: the counts are
     * added through {@link Counts#add}. {@code contentMin} … {@code lastTimeMillis} are read only when
     * {@code records > 0}, as in stats that counted no record they are undefined.
     */
    void mergeScalars(long records, long rejected, long contentSum, long contentMin, long contentMax,
            long firstTimeMillis, long lastTimeMillis) {
        this.records += records;
        this.rejected += rejected;
        this.contentSum += contentSum;
        if (records > 0) {
            this.contentMin = Math.min(this.contentMin, contentMin);
            this.contentMax = Math.max(this.contentMax, contentMax);
            this.firstTimeMillis = Math.min(this.firstTimeMillis, firstTimeMillis);
            this.lastTimeMillis = Math.max(this.lastTimeMillis, lastTimeMillis);
        }
    }

    /** Adds {@code n} to a status code's count, with the shared boxed key {@link #add} uses. */
    void addResponseCode(int status, long n) {
        responseCodes.add(statusKey(status), n);
    }

    public LogStats copy() {
        LogStats c = new LogStats(responseCodes.copy(), clients.copy(), endpoints.copy(), rejectReasons.copy());
        c.records = records;
        c.rejected = rejected;
        c.contentSum = contentSum;
        c.contentMin = contentMin;
        c.contentMax = contentMax;
        c.firstTimeMillis = firstTimeMillis;
        c.lastTimeMillis = lastTimeMillis;
        return c;
    }

    public boolean isEmpty() {
        return records == 0 && rejected == 0;
    }

    public long records() {
        return records;
    }

    public long rejected() {
        return rejected;
    }

    public long contentSum() {
        return contentSum;
    }

    /** Smallest content size, or 0 when there are no records. */
    public long contentMin() {
        return records == 0 ? 0 : contentMin;
    }

    /** Largest content size, or 0 when there are no records. */
    public long contentMax() {
        return records == 0 ? 0 : contentMax;
    }

    /** {@code sum / count}, truncated; 0 when there are no records. */
    public long contentAvg() {
        return records == 0 ? 0 : contentSum / records;
    }

    /** Earliest event time in epoch ms (not the first line's: logs run backwards), or null when empty. */
    public Long firstTimeMillis() {
        return records == 0 ? null : firstTimeMillis;
    }

    /** Latest event time in epoch ms, or null when empty. */
    public Long lastTimeMillis() {
        return records == 0 ? null : lastTimeMillis;
    }

    public Counts<Integer> responseCodes() {
        return responseCodes;
    }

    public Counts<String> clients() {
        return clients;
    }

    public Counts<String> endpoints() {
        return endpoints;
    }

    public Counts<RejectReason> rejectReasons() {
        return rejectReasons;
    }

    /** Every client with more than {@code threshold} requests, most requests first, ties by client. */
    public Map<String, Long> clientsOver(long threshold) {
        Map<String, Long> over = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : clients.sortedByCountDesc(Comparator.naturalOrder())) {
            if (e.getValue() <= threshold) {
                break;
            }
            over.put(e.getKey(), e.getValue());
        }
        return over;
    }

    /** The {@code k} most requested endpoints, most requests first, ties broken by endpoint text. */
    public List<EndpointCount> topEndpoints(int k) {
        return endpoints.sortedByCountDesc(Comparator.naturalOrder()).stream()
                .limit(k)
                .map(e -> new EndpointCount(e.getKey(), e.getValue()))
                .toList();
    }

    /** One row of {@link #topEndpoints}. */
    public record EndpointCount(String endpoint, long count) implements Serializable {}

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LogStats s)) {
            return false;
        }
        return records == s.records && rejected == s.rejected && contentSum == s.contentSum
                && contentMin() == s.contentMin() && contentMax() == s.contentMax()
                && Objects.equals(firstTimeMillis(), s.firstTimeMillis())
                && Objects.equals(lastTimeMillis(), s.lastTimeMillis())
                && responseCodes.equals(s.responseCodes) && clients.equals(s.clients)
                && endpoints.equals(s.endpoints) && rejectReasons.equals(s.rejectReasons);
    }

    @Override
    public int hashCode() {
        return Objects.hash(records, rejected, contentSum, responseCodes, clients, endpoints, rejectReasons);
    }

    @Override
    public String toString() {
        return "LogStats{records=" + records + ", rejected=" + rejected + ", contentSum=" + contentSum
                + ", codes=" + responseCodes + ", clients=" + clients.size() + ", endpoints=" + endpoints.size()
                + ", rejectReasons=" + rejectReasons + '}';
    }
}
