package io.stormwatch.core.log;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TEMPORARY stand-in, replaced by the parser branch: only {@code common}, {@code combined} and {@code auto}
 * (combined, else common), by regular expression, so that the bolts branch compiles and its tests run.
 */
public final class AccessLogFormats {

    private static final Pattern COMMON = Pattern.compile(
            "^(\\S+) (\\S+) (\\S+) \\[([^\\]]+)\\] \"((?:[^\"\\\\]|\\\\.)*)\" (\\d{3}|-) (\\d+|-)");
    private static final Pattern COMBINED_TAIL = Pattern.compile(
            " \"((?:[^\"\\\\]|\\\\.)*)\" \"((?:[^\"\\\\]|\\\\.)*)\"$");
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private AccessLogFormats() {}

    public static AccessLogParser parser(String format, int maxLineLength) {
        boolean combinedOnly = switch (format) {
            case "combined" -> true;
            case "common", "auto" -> false;
            default -> throw new IllegalArgumentException("unknown log format: " + format);
        };
        return line -> parse(line, maxLineLength, combinedOnly);
    }

    private static ParseResult parse(String line, int maxLineLength, boolean combinedOnly) {
        if (line.isBlank()) {
            return new ParseResult.Rejected(RejectReason.EMPTY, "blank line");
        }
        if (line.length() > maxLineLength) {
            return new ParseResult.Rejected(RejectReason.TOO_LONG, "longer than " + maxLineLength);
        }
        Matcher m = COMMON.matcher(line);
        if (!m.find()) {
            return new ParseResult.Rejected(RejectReason.MALFORMED, "not a common log line");
        }
        String rest = line.substring(m.end());
        String referer = null;
        String agent = null;
        if (!rest.isEmpty()) {
            Matcher tail = COMBINED_TAIL.matcher(rest);
            if (!tail.matches()) {
                return new ParseResult.Rejected(RejectReason.MALFORMED, "unexpected text after the size");
            }
            referer = tail.group(1).equals("-") ? null : unescape(tail.group(1));
            agent = tail.group(2).equals("-") ? null : unescape(tail.group(2));
        } else if (combinedOnly) {
            return new ParseResult.Rejected(RejectReason.TRUNCATED, "no referer and user agent");
        }
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(m.group(4), TIME);
        } catch (DateTimeParseException e) {
            return new ParseResult.Rejected(RejectReason.MALFORMED, "bad time");
        }
        String request = unescape(m.group(5));
        String[] parts = request.split(" ");
        String method = "";
        String endpoint = request;
        String protocol = "";
        if (parts.length == 3) {
            method = parts[0];
            endpoint = parts[1];
            protocol = parts[2];
        } else if (parts.length == 2) {
            method = parts[0];
            endpoint = parts[1];
        }
        int status = m.group(6).equals("-") ? -1 : Integer.parseInt(m.group(6));
        long bytes = m.group(7).equals("-") ? -1 : Long.parseLong(m.group(7));
        return new ParseResult.Parsed(new LogRecord(m.group(1), m.group(2), m.group(3),
                time.toInstant().toEpochMilli(), time.getOffset().getTotalSeconds(), method, endpoint, protocol,
                status, bytes, referer, agent, null, -1));
    }

    private static String unescape(String s) {
        return s.replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
