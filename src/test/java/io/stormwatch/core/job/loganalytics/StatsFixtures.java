package io.stormwatch.core.job.loganalytics;

import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.RejectReason;
import java.util.List;

/** Records and stats built by hand for the stats tests. */
final class StatsFixtures {

    private StatsFixtures() {}

    /** A GET record with the fields statistics look at; the rest fixed. */
    static LogRecord record(String client, String endpoint, int status, long bytesSent, long timeMillis) {
        return new LogRecord(client, "-", "-", timeMillis, 0, "GET", endpoint, "HTTP/1.1", status, bytesSent,
                null, null, null, -1);
    }

    /** Stats of a sequence of {@link LogRecord}s and {@link RejectReason}s, counted in order. */
    static LogStats stats(List<?> events) {
        LogStats stats = new LogStats();
        for (Object e : events) {
            if (e instanceof LogRecord r) {
                stats.add(r);
            } else {
                stats.reject((RejectReason) e);
            }
        }
        return stats;
    }
}
