package io.stormwatch.core.log;

import java.io.Serializable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * One parsed access-log line.
 *
 * <p>Fields a format does not carry are {@code null} (strings) or {@code -1} (numbers). The request line
 * is split as {@code METHOD SP URI [SP PROTOCOL]}; a URI may itself contain spaces. When the request has
 * no such shape (empty {@code ""}, {@code "-"}, junk), {@link #method} and {@link #protocol} are empty and
 * {@link #endpoint} holds the whole request text, so no request is ever dropped from per-endpoint counts.
 *
 * @param client       {@code %h}: IP address (v4 or v6) or host name
 * @param ident        {@code %l}, usually {@code "-"}
 * @param user         {@code %u}, usually {@code "-"}
 * @param timeMillis   {@code %t} as epoch milliseconds
 * @param zoneOffsetSeconds the offset {@code %t} was written in, kept so a record renders back as read
 * @param method       request method, or {@code ""}
 * @param endpoint     path with query string, or the whole request when it has no method/URI shape
 * @param protocol     e.g. {@code HTTP/1.1}, or {@code ""} (HTTP/0.9 requests have none)
 * @param status       final status ({@code %>s}, else {@code %s}), or -1
 * @param bytesSent    {@code %b}/{@code %B}; -1 when written as {@code -}
 * @param referer      {@code %{Referer}i}, or null
 * @param userAgent    {@code %{User-Agent}i}, or null
 * @param vhost        {@code %v} or a Combined line's first extra field, or null
 * @param durationMicros {@code %D} (or {@code %T} × 10⁶), or -1
 */
public record LogRecord(
        String client,
        String ident,
        String user,
        long timeMillis,
        int zoneOffsetSeconds,
        String method,
        String endpoint,
        String protocol,
        int status,
        long bytesSent,
        String referer,
        String userAgent,
        String vhost,
        long durationMicros) implements Serializable {

    /** Size for statistics: a {@code -} size counts as 0 bytes, as in the Spark log analyzer. */
    public long contentSize() {
        return Math.max(0, bytesSent);
    }

    /** The request line as it appeared in the log (escapes removed). */
    public String request() {
        if (method.isEmpty()) {
            return endpoint;
        }
        return protocol.isEmpty() ? method + ' ' + endpoint : method + ' ' + endpoint + ' ' + protocol;
    }

    public OffsetDateTime time() {
        return Instant.ofEpochMilli(timeMillis).atOffset(ZoneOffset.ofTotalSeconds(zoneOffsetSeconds));
    }
}
