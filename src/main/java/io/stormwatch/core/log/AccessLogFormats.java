package io.stormwatch.core.log;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TEMPORARY stand-in, replaced by the parser branch. Only {@code auto}, {@code common} and {@code combined},
 * with a regular expression; any other format is rejected with {@link IllegalArgumentException}.
 */
public final class AccessLogFormats {

    private static final String QUOTED = "\"((?:[^\"\\\\]|\\\\.)*)\"";
    private static final String COMMON =
            "(\\S+) (\\S+) (\\S+) \\[([^\\]]*)\\] " + QUOTED + " (\\d{3}|-) (\\d+|-)";
    private static final Pattern COMMON_LINE = Pattern.compile(COMMON);
    private static final Pattern COMBINED_LINE = Pattern.compile(COMMON + " " + QUOTED + " " + QUOTED);
    private static final Pattern TIME_FIELD = Pattern.compile("\\[\\d{2}/\\w{3}/\\d{4}:");
    private static final DateTimeFormatter APACHE_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    private AccessLogFormats() {}

    public static AccessLogParser parser(String format) {
        return parser(format, AccessLogParser.DEFAULT_MAX_LINE_LENGTH);
    }

    public static AccessLogParser parser(String format, int maxLineLength) {
        return switch (format) {
            case "auto" -> line -> parse(line, maxLineLength, COMBINED_LINE, COMMON_LINE);
            case "common" -> line -> parse(line, maxLineLength, COMMON_LINE);
            case "combined" -> line -> parse(line, maxLineLength, COMBINED_LINE);
            default -> throw new IllegalArgumentException("unsupported log format: " + format);
        };
    }

    private static ParseResult parse(String line, int maxLineLength, Pattern... patterns) {
        if (line.isBlank()) {
            return new ParseResult.Rejected(RejectReason.EMPTY, "blank line");
        }
        if (line.codePointCount(0, line.length()) > maxLineLength) {
            return new ParseResult.Rejected(RejectReason.TOO_LONG, "longer than " + maxLineLength);
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return new ParseResult.Rejected(RejectReason.BINARY, "control byte at column " + (i + 1));
            }
        }
        boolean hitEnd = false;
        for (Pattern pattern : patterns) {
            Matcher m = pattern.matcher(line);
            if (m.matches()) {
                return record(m, pattern == COMBINED_LINE);
            }
            hitEnd |= m.hitEnd();
        }
        if (TIME_FIELD.matcher(line).results().count() > 1) {
            return new ParseResult.Rejected(RejectReason.GLUED, "two time fields");
        }
        if (line.indexOf('\uFFFD') >= 0) {
            return new ParseResult.Rejected(RejectReason.INVALID_UTF8, "invalid UTF-8");
        }
        if (hitEnd) {
            return new ParseResult.Rejected(RejectReason.TRUNCATED, "ends early");
        }
        return new ParseResult.Rejected(RejectReason.MALFORMED, "does not match");
    }

    private static ParseResult record(Matcher m, boolean combined) {
        OffsetDateTime time;
        try {
            time = OffsetDateTime.parse(m.group(4), APACHE_TIME);
        } catch (DateTimeParseException e) {
            return new ParseResult.Rejected(RejectReason.MALFORMED, "bad time");
        }
        String request = unescape(m.group(5));
        String method = "";
        String endpoint = request;
        String protocol = "";
        int firstSpace = request.indexOf(' ');
        if (firstSpace > 0 && request.substring(0, firstSpace).matches("[A-Z]+")) {
            method = request.substring(0, firstSpace);
            endpoint = request.substring(firstSpace + 1);
            int lastSpace = endpoint.lastIndexOf(' ');
            if (lastSpace >= 0 && endpoint.substring(lastSpace + 1).startsWith("HTTP/")) {
                protocol = endpoint.substring(lastSpace + 1);
                endpoint = endpoint.substring(0, lastSpace);
            }
        }
        int status = m.group(6).equals("-") ? -1 : Integer.parseInt(m.group(6));
        long bytes = m.group(7).equals("-") ? -1 : Long.parseLong(m.group(7));
        return new ParseResult.Parsed(new LogRecord(m.group(1), m.group(2), m.group(3),
                time.toInstant().toEpochMilli(), time.getOffset().getTotalSeconds(), method, endpoint, protocol,
                status, bytes, combined ? unescape(m.group(8)) : null, combined ? unescape(m.group(9)) : null,
                null, -1));
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c == '\\' && i + 1 < s.length() ? s.charAt(++i) : c);
        }
        return sb.toString();
    }
}
