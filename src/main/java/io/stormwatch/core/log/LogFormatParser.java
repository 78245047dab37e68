package io.stormwatch.core.log;

import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.log.LogFormat.Field;
import io.stormwatch.core.log.LogFormat.Literal;
import io.stormwatch.core.log.LogFormat.Step;

/**
 * The one parsing engine: runs a compiled {@link LogFormat} over a line by hand (no regular expression),
 * and turns every line into a record or a typed rejection, as {@link AccessLogFormats} specifies.
 *
 * <p>Thread-confined: the fields of the line being read live in instance fields, which costs nothing per
 * line and is why a parser must not be shared between threads.
 */
final class LogFormatParser implements AccessLogParser {

    private static final String[] KNOWN_METHODS =
            {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE", "PROPFIND"};
    private static final String[] KNOWN_PROTOCOLS = {"HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/2", "HTTP/3"};
    /** 10^18 fits a long with room to spare; bigger sizes and durations are rejected, not wrapped. */
    private static final int MAX_DIGITS = 18;

    private final LogFormat format;
    private final int maxLineLength;
    private final ApacheTime time = new ApacheTime();

    // The line being read.
    private String client;
    private String ident;
    private String user;
    private long timeMillis;
    private int zoneOffsetSeconds;
    private String method;
    private String endpoint;
    private String protocol;
    private int status;
    private long bytesSent;
    private String referer;
    private String userAgent;
    private String vhost;
    private long durationMicros;
    /** Where the line's first {@code %t} was read from, or -1: what a second timestamp is compared with. */
    private int timeFieldStart;
    /** Index of the first backslash at or after the read position, or -1: lets quoted fields skip unescaping. */
    private int nextBackslash;
    private RejectReason failure;
    private String failureDetail;

    LogFormatParser(LogFormat format, int maxLineLength) {
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("maxLineLength must be positive, was " + maxLineLength);
        }
        this.format = format;
        this.maxLineLength = maxLineLength;
    }

    @Override
    public ParseResult parse(String line) {
        if (line == null) {
            return new ParseResult.Rejected(RejectReason.EMPTY, "no line (null)");
        }
        int end = line.length();
        if (end > maxLineLength && (end > 2L * maxLineLength || line.codePointCount(0, end) > maxLineLength)) {
            return new ParseResult.Rejected(RejectReason.TOO_LONG, "longer than " + maxLineLength + " characters");
        }
        while (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        if (isBlank(line, end)) {
            return new ParseResult.Rejected(RejectReason.EMPTY, "blank line");
        }
        int control = firstControlCharacter(line, end);
        if (control >= 0) {
            return new ParseResult.Rejected(RejectReason.BINARY, String.format("control character U+%04X at col %d",
                    (int) line.charAt(control), control + 1));
        }
        int undecodable = LineReader.indexOfUndecodable(line, 0);
        if (undecodable >= 0) {
            // Wherever the bad bytes are: inside a quoted field they would not break the grammar, and the
            // record would carry text that is not in the log.
            return new ParseResult.Rejected(RejectReason.INVALID_UTF8,
                    "bytes that are not UTF-8 at col " + (undecodable + 1));
        }
        if (matches(line, end)) {
            return new ParseResult.Parsed(new LogRecord(client, ident, user, timeMillis, zoneOffsetSeconds, method,
                    endpoint, protocol, status, bytesSent, referer, userAgent, vhost, durationMicros));
        }
        if (failure == RejectReason.GLUED) {
            return new ParseResult.Rejected(failure, failureDetail);
        }
        int second = secondTimestamp(line, end);
        if (second >= 0) {
            return new ParseResult.Rejected(RejectReason.GLUED, "second timestamp at col " + (second + 1));
        }
        return new ParseResult.Rejected(failure, failureDetail);
    }

    private static boolean isBlank(String line, int end) {
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    /**
     * Index of the first C0 control other than TAB, DEL or C1 control, or -1. Servers escape these, so a raw
     * one means the line is not log text.
     */
    private static int firstControlCharacter(String line, int end) {
        for (int i = 0; i < end; i++) {
            char c = line.charAt(i);
            if (c < 0x20 ? c != '\t' : c >= 0x7F && c <= 0x9F) {
                return i;
            }
        }
        return -1;
    }

    /** Runs the format over the line; on failure leaves {@link #failure} and {@link #failureDetail}. */
    private boolean matches(String line, int end) {
        client = ident = user = method = endpoint = protocol = referer = userAgent = vhost = null;
        timeMillis = -1;
        zoneOffsetSeconds = 0;
        status = -1;
        bytesSent = -1;
        durationMicros = -1;
        timeFieldStart = -1;
        nextBackslash = line.indexOf('\\');
        Step[] steps = format.steps;
        int pos = 0;
        for (int i = 0; i < steps.length; i++) {
            if (pos == end && i == format.requiredSteps) {
                return true;
            }
            if (steps[i] instanceof Literal literal) {
                String text = literal.text();
                for (int k = 0; k < text.length(); k++, pos++) {
                    if (pos == end) {
                        return fail(RejectReason.TRUNCATED, "ends at col " + (pos + 1) + ", before " + nextLabel(i));
                    }
                    if (line.charAt(pos) != text.charAt(k)) {
                        return fail(RejectReason.MALFORMED, "expected '" + text + "' at col " + (pos + 1 - k)
                                + " (before " + nextLabel(i) + ")");
                    }
                }
            } else {
                pos = readField((Field) steps[i], i, line, pos, end);
                if (pos < 0) {
                    return false;
                }
            }
        }
        if (pos == end) {
            return true;
        }
        if (format.extraFields) {
            return readExtraFields(line, pos, end);
        }
        return fail(RejectReason.MALFORMED, "unexpected text after the last field at col " + (pos + 1));
    }

    /** Reads one field starting at {@code pos}; returns where it ends, or -1 after {@link #fail}. */
    private int readField(Field field, int stepIndex, String line, int pos, int end) {
        LogFormat.Directive directive = field.directive();
        if (directive.shape == LogFormat.Shape.TIME) {
            return readTime(field, line, pos, end);
        }
        int stop;
        boolean escaped = false;
        if (field.quoted()) {
            int quote = line.indexOf('"', pos);
            if (nextBackslash >= 0 && nextBackslash < pos) {
                nextBackslash = line.indexOf('\\', pos);
            }
            if (nextBackslash < 0 || (quote >= 0 && nextBackslash > quote)) {
                stop = quote < end ? quote : -1;
            } else {
                stop = closingQuote(line, nextBackslash, end);
                escaped = true;
                nextBackslash = line.indexOf('\\', stop + 1);
            }
            if (stop < 0) {
                fail(RejectReason.TRUNCATED, "ends inside the quoted " + field.label() + " that starts at col "
                        + pos);
                return -1;
            }
        } else if (field.delimiter() == LogFormat.TO_END_OF_LINE) {
            stop = end;
        } else {
            stop = line.indexOf(field.delimiter(), pos);
            if (stop < 0 || stop >= end) {
                if (stepIndex + 1 != format.requiredSteps) {
                    fail(RejectReason.TRUNCATED, "ends at col " + (end + 1) + ", inside or before "
                            + field.label());
                    return -1;
                }
                stop = end;
            }
        }
        if (stop == pos && !field.quoted()) {
            if (stop == end) {
                fail(RejectReason.TRUNCATED, "ends at col " + (end + 1) + ", before " + field.label());
            } else {
                fail(RejectReason.MALFORMED, field.label() + " is empty at col " + (pos + 1));
            }
            return -1;
        }
        return convert(field, line, pos, stop, escaped) ? stop : -1;
    }

    private int readTime(Field field, String line, int pos, int end) {
        if (timeFieldStart < 0) {
            timeFieldStart = pos;
        }
        int outcome = time.read(line, pos, end);
        if (outcome != ApacheTime.VALID) {
            fail(outcome == ApacheTime.CUT ? RejectReason.TRUNCATED : RejectReason.MALFORMED,
                    field.label() + " at col " + (pos + 1) + ": " + time.problem);
            return -1;
        }
        if (field.fills()) {
            timeMillis = time.epochMillis;
            zoneOffsetSeconds = time.offsetSeconds;
        }
        return pos + ApacheTime.LENGTH;
    }

    /** Checks the field text {@code [from, to)} against its shape and stores it; false after {@link #fail}. */
    private boolean convert(Field field, String line, int from, int to, boolean escaped) {
        LogFormat.Directive directive = field.directive();
        switch (directive.shape) {
            case STATUS -> {
                int value = to - from == 3 ? digits(line, from, to) : -1;
                if (value < 0) {
                    return fail(RejectReason.MALFORMED, field.label() + ": expected 3 digits at col " + (from + 1)
                            + ", got '" + snippet(line, from, to) + "'");
                }
                if (field.fills()) {
                    status = value;
                }
            }
            case SIZE, NUMBER -> {
                long value = directive.shape == LogFormat.Shape.SIZE && to - from == 1 && line.charAt(from) == '-'
                        ? -1 : longDigits(line, from, to);
                if (value == Long.MIN_VALUE) {
                    return fail(RejectReason.MALFORMED, field.label() + ": expected "
                            + (directive.shape == LogFormat.Shape.SIZE ? "digits or '-'" : "digits") + " at col "
                            + (from + 1) + ", got '" + snippet(line, from, to) + "'");
                }
                if (field.fills()) {
                    if (directive.target == LogFormat.Target.BYTES) {
                        bytesSent = value;
                    } else {
                        durationMicros = value * directive.micros;
                    }
                }
            }
            default -> {
                if (directive.shape == LogFormat.Shape.WORD && !field.quoted() && field.delimiter() != ' '
                        && indexOf(line, ' ', from, to) >= 0) {
                    return fail(RejectReason.MALFORMED, field.label() + " at col " + (from + 1)
                            + " contains a space");
                }
                if (field.fills()) {
                    storeText(directive.target, line, from, to, escaped);
                }
            }
        }
        return true;
    }

    private void storeText(LogFormat.Target target, String line, int from, int to, boolean escaped) {
        if (target == LogFormat.Target.REQUEST) {
            if (escaped) {
                String request = unescape(line, from, to);
                splitRequest(request, 0, request.length());
            } else {
                splitRequest(line, from, to);
            }
            return;
        }
        String value = escaped ? unescape(line, from, to) : text(line, from, to);
        switch (target) {
            case CLIENT -> client = value;
            case IDENT -> ident = value;
            case USER -> user = value;
            case VHOST -> vhost = value;
            case REFERER -> referer = "-".equals(value) ? null : value;
            case USER_AGENT -> userAgent = "-".equals(value) ? null : value;
            default -> throw new IllegalStateException("not a text field: " + target);
        }
    }

    /**
     * Splits {@code METHOD SP URI [SP PROTOCOL]}; see {@link LogRecord}. The method must be an HTTP token and
     * the protocol look like {@code NAME/1.1}; otherwise the whole text is the endpoint. Always keeps
     * {@code request()} equal to the text.
     */
    private void splitRequest(String s, int from, int to) {
        int space = s.indexOf(' ', from);
        if (space <= from || space >= to || !isToken(s, from, space)) {
            method = "";
            protocol = "";
            endpoint = s.substring(from, to);
            return;
        }
        method = known(KNOWN_METHODS, s, from, space);
        int uri = space + 1;
        int last = s.lastIndexOf(' ', to - 1);
        if (last >= uri && isProtocol(s, last + 1, to)) {
            endpoint = s.substring(uri, last);
            protocol = known(KNOWN_PROTOCOLS, s, last + 1, to);
        } else {
            endpoint = s.substring(uri, to);
            protocol = "";
        }
    }

    /**
     * Reads whitespace-separated extra fields after the format's last step: quoted (escapes as in quoted
     * fields) or bare. The first fills the vhost; an unquoted timestamp among them means a glued record.
     */
    private boolean readExtraFields(String line, int pos, int end) {
        boolean first = true;
        int i = pos;
        while (i < end) {
            if (line.charAt(i) != ' ') {
                return fail(RejectReason.MALFORMED, "expected a space at col " + (i + 1));
            }
            while (i < end && line.charAt(i) == ' ') {
                i++;
            }
            if (i == end) {
                break;
            }
            int start = i;
            String value = null;
            if (line.charAt(i) == '"') {
                int close = closingQuote(line, i + 1, end);
                if (close < 0) {
                    return fail(RejectReason.TRUNCATED, "ends inside the quoted extra field at col " + (i + 1));
                }
                if (first) {
                    value = unescape(line, i + 1, close);
                }
                i = close + 1;
            } else {
                if (line.charAt(i) == '[' && ApacheTime.hasShapeAt(line, i, end)) {
                    return fail(RejectReason.GLUED, "second timestamp at col " + (i + 1));
                }
                int space = indexOf(line, ' ', i, end);
                i = space < 0 ? end : space;
                if (first) {
                    value = text(line, start, i);
                }
            }
            if (first) {
                vhost = value;
                first = false;
            }
        }
        return true;
    }

    /**
     * For a line that failed: where a second timestamp-shaped field starts, after a first record's own
     * timestamp field (complete or cut), or -1. A {@code %t} read that did not start with {@code [} was a
     * misplaced field, not a first record.
     */
    private int secondTimestamp(String line, int end) {
        if (timeFieldStart < 0 || timeFieldStart >= end || line.charAt(timeFieldStart) != '[') {
            return -1;
        }
        for (int i = line.indexOf('[', timeFieldStart + 1); i >= 0 && i < end; i = line.indexOf('[', i + 1)) {
            if (ApacheTime.hasShapeAt(line, i, end)) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the closing {@code "} at or after {@code from}, honouring backslash escapes, or -1. */
    private static int closingQuote(String line, int from, int end) {
        for (int i = from; i < end; i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    /** Removes the backslash of {@code \"} and {@code \\}; other escapes such as {@code \x0b} stay as written. */
    private static String unescape(String line, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < to && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                c = line.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** The text, sharing the one {@code "-"} instance for the most frequent value of all. */
    private static String text(String line, int from, int to) {
        return to - from == 1 && line.charAt(from) == '-' ? "-" : line.substring(from, to);
    }

    private static String known(String[] candidates, String s, int from, int to) {
        for (String candidate : candidates) {
            if (candidate.length() == to - from && s.startsWith(candidate, from)) {
                return candidate;
            }
        }
        return s.substring(from, to);
    }

    /** An HTTP token (RFC 9110 tchar). */
    private static boolean isToken(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean tchar = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || (c < 0x80 && "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
            if (!tchar) {
                return false;
            }
        }
        return to > from;
    }

    /** {@code NAME/digits[.digits]} with NAME in capitals, e.g. {@code HTTP/1.1}, {@code HTTP/2}. */
    private static boolean isProtocol(String s, int from, int to) {
        int i = from;
        while (i < to && s.charAt(i) >= 'A' && s.charAt(i) <= 'Z') {
            i++;
        }
        if (i == from || i == to || s.charAt(i) != '/') {
            return false;
        }
        int major = ++i;
        while (i < to && isDigit(s.charAt(i))) {
            i++;
        }
        if (i == major) {
            return false;
        }
        if (i < to && s.charAt(i) == '.') {
            int minor = ++i;
            while (i < to && isDigit(s.charAt(i))) {
                i++;
            }
            if (i == minor) {
                return false;
            }
        }
        return i == to;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** The digits as a number, or -1 when there is anything else. */
    private static int digits(String s, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** 1 to {@value #MAX_DIGITS} digits as a number, or {@link Long#MIN_VALUE}. */
    private static long longDigits(String s, int from, int to) {
        if (to - from > MAX_DIGITS || to == from) {
            return Long.MIN_VALUE;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!isDigit(c)) {
                return Long.MIN_VALUE;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int indexOf(String s, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** A short excerpt for a rejection detail: never the whole line. */
    private static String snippet(String line, int from, int to) {
        return to - from <= 20 ? line.substring(from, to) : line.substring(from, from + 20) + "...";
    }

    /** The label of the first field at or after step {@code i}, for "ends before ..." details. */
    private String nextLabel(int i) {
        for (int k = i; k < format.steps.length; k++) {
            if (format.steps[k] instanceof Field field) {
                return field.label();
            }
        }
        return "the end of the format";
    }

    private boolean fail(RejectReason reason, String detail) {
        failure = reason;
        failureDetail = detail;
        return false;
    }

    @Override
    public String toString() {
        return "LogFormatParser[" + format + "]";
    }
}
