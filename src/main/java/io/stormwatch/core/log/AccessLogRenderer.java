package io.stormwatch.core.log;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes records back as Apache log lines, escaping as Apache does ({@code "} and {@code \} get a
 * backslash), so that for every record a parser can produce, {@code parse(render(r))} gives {@code r} back.
 * Used by the generator and by round-trip tests.
 *
 * <p>A null Referer or User-Agent is written {@code "-"}, and {@link AccessLogFormats}' parsers read
 * {@code "-"} back as null: {@code -} is the log's "header absent" marker, so a header whose value is the
 * text {@code -} is not a record any parser produces.
 */
public final class AccessLogRenderer {

    private static final DateTimeFormatter APACHE_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private AccessLogRenderer() {}

    /** {@code %h %l %u %t "%r" %>s %b}. */
    public static String common(LogRecord r) {
        StringBuilder sb = new StringBuilder(128);
        appendCommon(sb, r);
        return sb.toString();
    }

    /** {@code %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i"}; null headers render as {@code "-"}. */
    public static String combined(LogRecord r) {
        StringBuilder sb = new StringBuilder(256);
        appendCommon(sb, r);
        sb.append(' ');
        appendQuoted(sb, r.referer() == null ? "-" : r.referer());
        sb.append(' ');
        appendQuoted(sb, r.userAgent() == null ? "-" : r.userAgent());
        return sb.toString();
    }

    /** The {@code %t} field without brackets, e.g. {@code 10/Oct/2000:13:55:36 -0700}. */
    public static String time(long epochMillis, int zoneOffsetSeconds) {
        return APACHE_TIME.format(Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.ofTotalSeconds(zoneOffsetSeconds)));
    }

    private static void appendCommon(StringBuilder sb, LogRecord r) {
        sb.append(r.client()).append(' ').append(r.ident()).append(' ').append(r.user())
                .append(" [").append(time(r.timeMillis(), r.zoneOffsetSeconds())).append("] ");
        appendQuoted(sb, r.request());
        sb.append(' ').append(r.status()).append(' ')
                .append(r.bytesSent() < 0 ? "-" : Long.toString(r.bytesSent()));
    }

    private static void appendQuoted(StringBuilder sb, String value) {
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }
}
