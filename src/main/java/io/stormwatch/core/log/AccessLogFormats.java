package io.stormwatch.core.log;

import io.stormwatch.core.job.Extractor;
import java.util.List;
import java.util.Locale;

/**
 * The access-log formats stormwatch reads, and the factory of their parsers.
 *
 * <h2>Formats</h2>
 * A format is a name or an Apache {@code LogFormat} string (anything containing {@code %}):
 * <ul>
 *   <li>{@code auto} (the default): each line on its own is Common, Combined, or Combined followed by
 *       extra fields, whichever it is; real files mix them.</li>
 *   <li>{@code common}: {@value #COMMON_FORMAT}</li>
 *   <li>{@code combined}: {@value #COMBINED_FORMAT}</li>
 *   <li>{@code combined-extra}: Combined followed by zero or more whitespace-separated extra fields, quoted or
 *       not (e.g. a vhost, {@code %D}). The <b>first extra field becomes {@link LogRecord#vhost()}</b>, taken
 *       as written (unescaped when quoted); further ones are accepted and ignored.</li>
 *   <li>{@code nginx}: nginx's {@code combined}, {@value #NGINX_FORMAT}; its ident is always {@code -}, so
 *       {@link LogRecord#ident()} is null.</li>
 *   <li>A {@code LogFormat} string such as {@code %v %h %l %u %t \"%r\" %>s %b %D}: see {@link LogFormat}
 *       for the directives and rules. Named formats are such strings, compiled by the same engine.</li>
 * </ul>
 * An unknown name or an unsupported {@code LogFormat} is a configuration error: {@link #parser} throws
 * {@link IllegalArgumentException} saying why. Bad <em>lines</em> never throw.
 *
 * <h2>Field values</h2>
 * <ul>
 *   <li>Quoted fields unescape exactly {@code \"} and {@code \\}; other escapes ({@code \x0b}) stay as
 *       written. Unquoted fields are taken verbatim.</li>
 *   <li>A size of {@code -} gives {@link LogRecord#bytesSent()} -1 (statistics count it as 0 bytes).</li>
 *   <li>A Referer or User-Agent of {@code -} (header absent) gives null, the same as a format without that
 *       field; {@link AccessLogRenderer} writes null back as {@code "-"}. Ident, user and vhost keep
 *       {@code -} as written.</li>
 *   <li>The request is split as {@link LogRecord} describes: {@code "GET /a b.html HTTP/1.1"} gives method
 *       {@code GET}, endpoint {@code /a b.html}, protocol {@code HTTP/1.1}; {@code "GET /"} (HTTP/0.9) gives
 *       protocol {@code ""}; {@code ""}, {@code "-"} and junk give method and protocol {@code ""} and the
 *       whole text as endpoint.</li>
 *   <li>The time keeps its zone offset; zones may change and time may go backwards from line to line.</li>
 * </ul>
 *
 * <h2>Rejections</h2>
 * Every line gives a {@link ParseResult.Parsed} or a {@link ParseResult.Rejected}, never an exception,
 * whatever it holds. Checked in this order:
 * <ol>
 *   <li>{@link RejectReason#TOO_LONG}: more code points than the bound.</li>
 *   <li>{@link RejectReason#EMPTY}: only spaces and tabs (or null). A trailing {@code \r} is dropped first.</li>
 *   <li>{@link RejectReason#BINARY}: a control character other than TAB (C0, DEL or C1): servers escape
 *       them, so raw ones are junk.</li>
 *   <li>{@link RejectReason#INVALID_UTF8}: the line's bytes are not all UTF-8, wherever the bad ones are, in a
 *       quoted field too: it holds {@link io.stormwatch.core.io.LineReader#UNDECODABLE}, what
 *       {@link io.stormwatch.core.io.LineReader} decodes each invalid sequence to. A U+FFFD written correctly
 *       ({@code EF BF BD}) is text like any other.</li>
 *   <li>{@link RejectReason#GLUED}: two records on one line, seen as a second unquoted field shaped like
 *       {@code [dd/Mon/yyyy:HH:mm:ss ±hhmm]} (its values unchecked) after the first record's (cut or complete)
 *       timestamp, whether the grammar then fails or the second record would be swallowed as extra fields.
 *       On a line that fails anyway, a timestamp-shaped text inside a quoted field also counts: the quoting
 *       of a broken line cannot be trusted.</li>
 *   <li>{@link RejectReason#TRUNCATED}: the line ends before the format's last required field (inside a
 *       quoted field, inside the timestamp, before the status, ...).</li>
 *   <li>{@link RejectReason#MALFORMED}: complete, but a field has the wrong shape. Nothing is guessed:
 *       a status {@code 2OO} is rejected, not read as 200.</li>
 * </ol>
 *
 * <h2>Examples</h2>
 * With {@code parser("auto")}:
 * <pre>{@code
 * 127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a.gif HTTP/1.0" 200 2326
 *     -> Parsed: Common, referer/userAgent/vhost null
 * 127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 304 - "-" "curl/8.0" www.example.com 1042
 *     -> Parsed: bytesSent -1, referer null, userAgent "curl/8.0", vhost "www.example.com"
 * 127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 2OO 512
 *     -> Rejected(MALFORMED, "%>s: expected 3 digits at col 61, got '2OO'")
 * 127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET /index.ht
 *     -> Rejected(TRUNCATED, "ends inside the quoted %r ...")
 * 127.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 5127.0.0.1 - - [10/Oct/2000:13:55:37 -0700] ...
 *     -> Rejected(GLUED, "second timestamp at col ...")
 * }</pre>
 */
public final class AccessLogFormats {

    public static final String AUTO = "auto";
    public static final String COMMON = "common";
    public static final String COMBINED = "combined";
    public static final String COMBINED_EXTRA = "combined-extra";
    public static final String NGINX = "nginx";
    /** The format used when none is configured. */
    public static final String DEFAULT = AUTO;
    /** The named formats, for help texts and validation messages. */
    public static final List<String> NAMES = List.of(AUTO, COMMON, COMBINED, COMBINED_EXTRA, NGINX);

    public static final String COMMON_FORMAT = "%h %l %u %t \"%r\" %>s %b";
    public static final String COMBINED_FORMAT = COMMON_FORMAT + " \"%{Referer}i\" \"%{User-Agent}i\"";
    public static final String NGINX_FORMAT = "%h - %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"";

    private AccessLogFormats() {}

    /** A parser of {@code format} with the default line bound, {@link AccessLogParser#DEFAULT_MAX_LINE_LENGTH}. */
    public static AccessLogParser parser(String format) {
        return parser(format, AccessLogParser.DEFAULT_MAX_LINE_LENGTH);
    }

    /**
     * A parser of {@code format} (a name, case-insensitive, or a {@code LogFormat} string).
     *
     * @param maxLineLength longer lines are rejected as {@link RejectReason#TOO_LONG}; at least 1
     * @throws IllegalArgumentException for an unknown name, an unsupported {@code LogFormat}, or a bound below 1
     */
    public static AccessLogParser parser(String format, int maxLineLength) {
        return new LogFormatParser(compile(format), maxLineLength);
    }

    private static LogFormat compile(String format) {
        if (format == null) {
            throw new IllegalArgumentException("no log format given; use one of " + NAMES + " or a LogFormat string");
        }
        if (format.indexOf('%') >= 0) {
            return LogFormat.compile(format);
        }
        return switch (format.trim().toLowerCase(Locale.ROOT)) {
            case AUTO -> LogFormat.compile(COMBINED_FORMAT).withExtraFields()
                    .withOptionalTailAfter(LogFormat.compile(COMMON_FORMAT));
            case COMMON -> LogFormat.compile(COMMON_FORMAT);
            case COMBINED -> LogFormat.compile(COMBINED_FORMAT);
            case COMBINED_EXTRA -> LogFormat.compile(COMBINED_FORMAT).withExtraFields();
            case NGINX -> LogFormat.compile(NGINX_FORMAT);
            default -> throw new IllegalArgumentException("unknown log format '" + format + "': use one of " + NAMES
                    + " or an Apache LogFormat string containing %");
        };
    }

    /**
     * The parser of {@code format} as a job's extractor: a parsed line gives its record, a rejected one its
     * {@link RejectReason#key()} and detail.
     */
    public static Extractor<LogRecord> extractor(String format, int maxLineLength) {
        AccessLogParser parser = parser(format, maxLineLength);
        return (line, rejects) -> {
            ParseResult result = parser.parse(line);
            if (result instanceof ParseResult.Parsed parsed) {
                return parsed.record();
            }
            ParseResult.Rejected rejected = (ParseResult.Rejected) result;
            rejects.reject(rejected.reason().key(), rejected.detail());
            return null;
        };
    }
}
