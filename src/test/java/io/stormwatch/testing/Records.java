package io.stormwatch.testing;

import io.stormwatch.core.log.LogRecord;

/** Small {@link LogRecord}s for tests: only the fields statistics look at vary. */
public final class Records {

    private Records() {}

    /** A GET of {@code endpoint} by {@code client} at {@code timeMillis}, status 200, 100 bytes. */
    public static LogRecord at(long timeMillis, String client, String endpoint) {
        return record(timeMillis, client, endpoint, 200, 100);
    }

    /** A GET of {@code /} by 10.0.0.1 at {@code timeMillis}, status 200, 100 bytes. */
    public static LogRecord at(long timeMillis) {
        return at(timeMillis, "10.0.0.1", "/");
    }

    public static LogRecord record(long timeMillis, String client, String endpoint, int status, long bytes) {
        return new LogRecord(client, "-", "-", timeMillis, 0, "GET", endpoint, "HTTP/1.1", status, bytes,
                null, null, null, -1);
    }
}
