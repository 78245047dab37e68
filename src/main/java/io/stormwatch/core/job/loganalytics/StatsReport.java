package io.stormwatch.core.job.loganalytics;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What stormwatch reports about a {@link LogStats}: the figures of the Spark log analyzer for one choice of
 * client threshold and top-K, in output order. It is the common form of the table, the JSON object
 * ({@link StatsJson}) and the JSON read back, so two outputs can be compared field for field with
 * {@code equals}.
 *
 * <p>Map fields are in output order: reject reasons by key (e.g. {@code too-long}), response codes
 * numerically, clients most requests first (ties by client). Equality of maps ignores order; the lists
 * and the values decide it.
 *
 * @param records         parsed lines
 * @param rejected        rejected lines
 * @param rejectReasons   rejected lines by reason key; only reasons that occurred
 * @param contentSize     content size statistics ({@code -} counts as 0 bytes)
 * @param responseCodes   parsed lines by status
 * @param clientThreshold the threshold of {@code clientsOver}
 * @param clientsOver     every client with more than {@code clientThreshold} requests
 * @param topEndpoints    the most requested endpoints, most first, ties by endpoint text
 * @param firstTime       earliest event time, or null when there are no records
 * @param lastTime        latest event time, or null when there are no records
 */
public record StatsReport(
        long records,
        long rejected,
        Map<String, Long> rejectReasons,
        ContentSize contentSize,
        Map<Integer, Long> responseCodes,
        long clientThreshold,
        Map<String, Long> clientsOver,
        List<LogStats.EndpointCount> topEndpoints,
        Instant firstTime,
        Instant lastTime) {

    /** Keeps unmodifiable copies, in the order given. */
    public StatsReport {
        rejectReasons = Collections.unmodifiableMap(new LinkedHashMap<>(rejectReasons));
        responseCodes = Collections.unmodifiableMap(new LinkedHashMap<>(responseCodes));
        clientsOver = Collections.unmodifiableMap(new LinkedHashMap<>(clientsOver));
        topEndpoints = List.copyOf(topEndpoints);
    }

    /** Sum, min, max and truncated average of content sizes; all 0 when there are no records. */
    public record ContentSize(long sum, long min, long max, long avg) {}

    /**
     * @param clientThreshold report clients with more than this many requests
     * @param topK            report this many endpoints at most
     */
    public static StatsReport of(LogStats stats, long clientThreshold, int topK) {
        Map<String, Long> reasons = new LinkedHashMap<>();
        stats.rejectReasons().toMap().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> reasons.put(e.getKey(), e.getValue()));
        Map<Integer, Long> codes = new LinkedHashMap<>();
        stats.responseCodes().toMap().entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> codes.put(e.getKey(), e.getValue()));
        return new StatsReport(
                stats.records(),
                stats.rejected(),
                reasons,
                new ContentSize(stats.contentSum(), stats.contentMin(), stats.contentMax(), stats.contentAvg()),
                codes,
                clientThreshold,
                stats.clientsOver(clientThreshold),
                stats.topEndpoints(topK),
                instant(stats.firstTimeMillis()),
                instant(stats.lastTimeMillis()));
    }

    /** With the defaults: clients over {@value LogStats#DEFAULT_CLIENT_THRESHOLD}, top {@value LogStats#DEFAULT_TOP_ENDPOINTS}. */
    public static StatsReport of(LogStats stats) {
        return of(stats, LogStats.DEFAULT_CLIENT_THRESHOLD, LogStats.DEFAULT_TOP_ENDPOINTS);
    }

    private static Instant instant(Long epochMillis) {
        return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis);
    }
}
