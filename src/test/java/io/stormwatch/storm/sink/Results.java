package io.stormwatch.storm.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stormwatch.core.job.Views;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.job.loganalytics.StatsJson;
import io.stormwatch.core.log.RejectReason;
import io.stormwatch.testing.Records;
import java.time.Instant;

/**
 * Realistic {@link Result}s for sink tests, rendered as the window and totals bolts render them: by the
 * log-analytics views (clients over {@value #CLIENTS_OVER}, top {@value #TOP_ENDPOINTS} endpoints), windows with
 * {@code windowStart}, {@code windowEnd} (ISO-8601 UTC) and {@code late} added.
 */
final class Results {

    static final int CLIENTS_OVER = 1;
    static final int TOP_ENDPOINTS = 2;
    static final Views VIEWS = new LogAnalytics("combined", 65_536, CLIENTS_OVER, TOP_ENDPOINTS).views();

    /** 2024-03-31T00:00:00Z. */
    static final long T0 = Instant.parse("2024-03-31T00:00:00Z").toEpochMilli();

    private Results() {}

    /**
     * The statistics of the example in {@link RedisSink}'s documentation: three records 10 s apart from
     * {@code T0 + 5 s}, two of {@code /a} by 10.0.0.1 (200, 100 and 300 bytes), one of {@code /b} by 10.0.0.2
     * (404, 0 bytes), and one line rejected as too long.
     */
    static LogStats example() {
        return new LogStats()
                .add(Records.record(T0 + 5_000, "10.0.0.1", "/a", 200, 100))
                .add(Records.record(T0 + 15_000, "10.0.0.1", "/a", 200, 300))
                .add(Records.record(T0 + 25_000, "10.0.0.2", "/b", 404, 0))
                .reject(RejectReason.TOO_LONG);
    }

    static Result window(long start, long end, long late, LogStats stats) {
        return Result.window(start, end, late, VIEWS.windowJsonText(start, end, stats.tally(), late));
    }

    static Result totals(boolean isFinal, LogStats stats) {
        return Result.totals(isFinal, VIEWS.jsonText(stats.tally()));
    }
}
