package io.stormwatch.core.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.stormwatch.core.io.LineReader;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessLogParserTest {

    private static final String T = "[10/Oct/2000:13:55:36 -0700]";
    private static final long T_MILLIS = millis("2000-10-10T13:55:36-07:00");
    private static final String REQ = "\"GET /apache_pb.gif HTTP/1.0\"";
    private static final String COMMON_LINE = "127.0.0.1 - frank " + T + " " + REQ + " 200 2326";
    private static final String UA = "Mozilla/4.08 [en] (Win98; I ;Nav)";
    private static final String COMBINED_LINE =
            COMMON_LINE + " \"http://www.example.com/start.html\" \"" + UA + "\"";

    /** The record of {@link #COMMON_LINE}; tests change what their line changes. */
    private static final LogRecord COMMON_RECORD = new LogRecord("127.0.0.1", "-", "frank", T_MILLIS, -7 * 3600,
            "GET", "/apache_pb.gif", "HTTP/1.0", 200, 2326, null, null, null, -1);
    private static final LogRecord COMBINED_RECORD =
            with(COMMON_RECORD).referer("http://www.example.com/start.html").userAgent(UA).build();

    static Stream<Arguments> acceptedLines() {
        return Stream.of(
                arguments("common", "common", COMMON_LINE, COMMON_RECORD),
                arguments("combined", "combined", COMBINED_LINE, COMBINED_RECORD),
                arguments("auto takes Common", "auto", COMMON_LINE, COMMON_RECORD),
                arguments("auto takes Combined", "auto", COMBINED_LINE, COMBINED_RECORD),
                arguments("auto: first extra field is the vhost", "auto",
                        COMBINED_LINE + " www.example.com", with(COMBINED_RECORD).vhost("www.example.com").build()),
                arguments("auto: quoted extra fields, further ones ignored", "auto",
                        COMBINED_LINE + " \"www.ex\\\"ample.com\" 1042  \"x y\" - ",
                        with(COMBINED_RECORD).vhost("www.ex\"ample.com").build()),
                arguments("combined-extra", "combined-extra", COMBINED_LINE + " vhost.example 1042",
                        with(COMBINED_RECORD).vhost("vhost.example").build()),
                arguments("combined-extra without extras", "combined-extra", COMBINED_LINE, COMBINED_RECORD),
                arguments("format names ignore case", "Combined", COMBINED_LINE, COMBINED_RECORD),
                arguments("nginx: no ident", "nginx",
                        "10.1.2.3 - - " + T + " " + REQ + " 200 0 \"-\" \"curl/8.5.0\"",
                        with(COMMON_RECORD).client("10.1.2.3").ident(null).user("-").bytes(0)
                                .userAgent("curl/8.5.0").build()),
                arguments("- size", "common", COMMON_LINE.replace(" 2326", " -"), with(COMMON_RECORD).bytes(-1).build()),
                arguments("- headers are null", "combined",
                        COMMON_LINE + " \"-\" \"-\"", COMMON_RECORD),
                arguments("empty headers are empty", "combined",
                        COMMON_LINE + " \"\" \"\"", with(COMMON_RECORD).referer("").userAgent("").build()),
                arguments("escaped quote and backslash unescaped, \\x kept", "combined",
                        "127.0.0.1 - frank " + T + " \"GET /q?a=\\\"b\\\"&c=\\\\d HTTP/1.0\" 200 2326"
                                + " \"http://x/\\\\\" \"Mo\\\"zilla \\x41\\xe9\"",
                        with(COMMON_RECORD).endpoint("/q?a=\"b\"&c=\\d").referer("http://x/\\")
                                .userAgent("Mo\"zilla \\x41\\xe9").build()),
                arguments("stray trailing CR", "combined", COMBINED_LINE + "\r", COMBINED_RECORD),
                arguments("HTTP/2.0", "common", COMMON_LINE.replace("HTTP/1.0", "HTTP/2.0"),
                        with(COMMON_RECORD).protocol("HTTP/2.0").build()),
                arguments("URI with spaces", "common", COMMON_LINE.replace("/apache_pb.gif", "/a b.html"),
                        with(COMMON_RECORD).endpoint("/a b.html").build()),
                arguments("URI with spaces and HTTP-like words", "common",
                        COMMON_LINE.replace("/apache_pb.gif", "/a HTTP/1.1 b"),
                        with(COMMON_RECORD).endpoint("/a HTTP/1.1 b").build()),
                arguments("HTTP/0.9: no protocol", "common", COMMON_LINE.replace(REQ, "\"GET /\""),
                        with(COMMON_RECORD).endpoint("/").protocol("").build()),
                arguments("empty request", "common", COMMON_LINE.replace(REQ, "\"\""),
                        with(COMMON_RECORD).method("").endpoint("").protocol("").build()),
                arguments("- request", "common", COMMON_LINE.replace(REQ, "\"-\""),
                        with(COMMON_RECORD).method("").endpoint("-").protocol("").build()),
                arguments("junk request (TLS to an HTTP port)", "common",
                        COMMON_LINE.replace(REQ, "\"\\x16\\x03\\x01\\x02\\x00\\x01\""),
                        with(COMMON_RECORD).method("").endpoint("\\x16\\x03\\x01\\x02\\x00\\x01").protocol("")
                                .build()),
                arguments("request that is no token", "common", COMMON_LINE.replace(REQ, "\"<script> x\""),
                        with(COMMON_RECORD).method("").endpoint("<script> x").protocol("").build()),
                arguments("unusual method", "common", COMMON_LINE.replace(REQ, "\"PURGE /x HTTP/1.1\""),
                        with(COMMON_RECORD).method("PURGE").endpoint("/x").protocol("HTTP/1.1").build()),
                arguments("host name client", "common", COMMON_LINE.replace("127.0.0.1", "crawl-66-249.googlebot.com"),
                        with(COMMON_RECORD).client("crawl-66-249.googlebot.com").build()),
                arguments("IPv6 client", "combined", COMBINED_LINE.replace("127.0.0.1", "2001:db8::ff00:42:8329"),
                        with(COMBINED_RECORD).client("2001:db8::ff00:42:8329").build()),
                arguments("ident and user with values", "common",
                        COMMON_LINE.replace("- frank", "ident42 alice@example.com"),
                        with(COMMON_RECORD).ident("ident42").user("alice@example.com").build()),
                arguments("zone +0530", "common", COMMON_LINE.replace(T, "[29/Feb/2024:00:00:00 +0530]"),
                        with(COMMON_RECORD).time("2024-02-29T00:00:00+05:30").build()),
                arguments("zone +1400, year 2100", "common", COMMON_LINE.replace(T, "[31/Dec/2100:23:59:59 +1400]"),
                        with(COMMON_RECORD).time("2100-12-31T23:59:59+14:00").build()),
                arguments("zone -1200, 1970", "common", COMMON_LINE.replace(T, "[01/Jan/1970:00:00:00 -1200]"),
                        with(COMMON_RECORD).time("1970-01-01T00:00:00-12:00").build()),
                arguments("a U+FFFD written in the log is text", "combined",
                        COMBINED_LINE.replace("Nav", "N\uFFFDv"),
                        with(COMBINED_RECORD).userAgent(UA.replace("Nav", "N\uFFFDv")).build()),
                arguments("TAB and non-ASCII text are data", "combined", COMBINED_LINE.replace("Win98", "W\tiné☃😀"),
                        with(COMBINED_RECORD).userAgent(UA.replace("Win98", "W\tiné☃😀")).build()),
                arguments("a timestamp inside a quoted field is data, not a glued record", "auto",
                        COMBINED_LINE.replace("Win98", T), with(COMBINED_RECORD).userAgent(UA.replace("Win98", T)).build()),
                // LogFormat strings.
                arguments("%v first, %D, escaped quotes as in httpd.conf", "%v %h %l %u %t \\\"%r\\\" %>s %b %D",
                        "www.example.com " + COMMON_LINE + " 1042",
                        with(COMMON_RECORD).vhost("www.example.com").duration(1042).build()),
                arguments("%s, %B, %T", "%h %l %u %t \"%r\" %s %B %T", COMMON_LINE + " 3",
                        with(COMMON_RECORD).duration(3_000_000).build()),
                arguments("quoted %h, header name case, %{ms}T", "\"%h\" %t \"%r\" %>s %b \"%{User-agent}i\" %{ms}T",
                        "\"::1\" " + T + " " + REQ + " 200 2326 \"curl\" 25",
                        with(COMMON_RECORD).client("::1").ident(null).user(null).userAgent("curl").duration(25_000)
                                .build()),
                arguments("%{us}T and ignored fields", "%h %l %u %t \"%r\" %>s %b \"%{X-Forwarded-For}i\" %p %{us}T",
                        COMMON_LINE + " \"10.0.0.1, 10.0.0.2\" 443 77", with(COMMON_RECORD).duration(77).build()),
                arguments("unquoted %r last", "%h %t %>s %b %r",
                        "127.0.0.1 " + T + " 200 2326 GET /a b HTTP/1.1",
                        with(COMMON_RECORD).ident(null).user(null).endpoint("/a b").protocol("HTTP/1.1").build()),
                arguments("Debian combined with %O", "%h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"",
                        COMBINED_LINE, COMBINED_RECORD),
                arguments("%>s wins over %s, %B over %O", "%O %s %h %l %u %t \"%r\" %>s %B",
                        "999 302 " + COMMON_LINE, COMMON_RECORD),
                arguments("non-space separators, %a, quoted %t", "%a|\"%t\"|\"%r\"|%>s|%b|%V",
                        "127.0.0.1|\"" + T + "\"|" + REQ + "|200|2326|www",
                        with(COMMON_RECORD).ident(null).user(null).vhost("www").build()),
                arguments("literal %% and TAB", "%h\\t%t 100%% \"%r\" %>s %b",
                        "127.0.0.1\t" + T + " 100% " + REQ + " 200 2326",
                        with(COMMON_RECORD).ident(null).user(null).build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("acceptedLines")
    void acceptsLine(String description, String format, String line, LogRecord expected) {
        ParseResult result = AccessLogFormats.parser(format).parse(line);

        assertThat(result).isEqualTo(new ParseResult.Parsed(expected));
    }

    static Stream<Arguments> rejectedLines() {
        String second = "127.0.0.1 - - [10/Oct/2000:13:55:37 -0700] \"GET / HTTP/1.1\" 200 5";
        return Stream.of(
                arguments("empty", "auto", "", RejectReason.EMPTY),
                arguments("blank", "auto", " \t ", RejectReason.EMPTY),
                arguments("only CR", "combined", "\r", RejectReason.EMPTY),
                arguments("NUL", "combined", COMBINED_LINE.replace("Nav", "N\0v"), RejectReason.BINARY),
                arguments("ESC in the request", "auto", COMMON_LINE.replace("GET", "G\u001bT"), RejectReason.BINARY),
                arguments("CR inside the line", "auto", COMMON_LINE + "\r" + COMMON_LINE, RejectReason.BINARY),
                arguments("DEL", "common", COMMON_LINE.replace("frank", "fr\u007fnk"), RejectReason.BINARY),
                arguments("C1 control", "common", COMMON_LINE.replace("frank", "fr\u0085nk"), RejectReason.BINARY),
                arguments("cut inside the request quote", "auto", COMMON_LINE.substring(0, 60), RejectReason.TRUNCATED),
                arguments("cut after the request", "auto", "127.0.0.1 - frank " + T + " " + REQ,
                        RejectReason.TRUNCATED),
                arguments("cut before the size", "combined", "127.0.0.1 - frank " + T + " " + REQ + " 200",
                        RejectReason.TRUNCATED),
                arguments("cut before the status", "common", "127.0.0.1 - frank " + T + " " + REQ + " ",
                        RejectReason.TRUNCATED),
                arguments("cut inside the timestamp", "auto", "127.0.0.1 - frank [10/Oct/2000:13:5",
                        RejectReason.TRUNCATED),
                arguments("cut after the client", "auto", "127.0.0.1", RejectReason.TRUNCATED),
                arguments("cut inside the referer", "auto", COMMON_LINE + " \"http://www.exa", RejectReason.TRUNCATED),
                arguments("cut before the user agent", "auto", COMMON_LINE + " \"-\"", RejectReason.TRUNCATED),
                arguments("cut inside an escape", "combined", COMMON_LINE + " \"-\" \"Moz\\",
                        RejectReason.TRUNCATED),
                arguments("combined wants the headers", "combined", COMMON_LINE, RejectReason.TRUNCATED),
                arguments("cut inside a quoted extra field", "auto", COMBINED_LINE + " \"www.", RejectReason.TRUNCATED),
                arguments("cut before %D", "%h %l %u %t \"%r\" %>s %b %D", COMMON_LINE + " ", RejectReason.TRUNCATED),
                arguments("two Common records", "auto", COMMON_LINE + second, RejectReason.GLUED),
                arguments("two Common records, spaced", "auto", COMMON_LINE + " " + second, RejectReason.GLUED),
                arguments("two Common records in common", "common", COMMON_LINE + " " + second, RejectReason.GLUED),
                arguments("second record swallowed as extra fields", "auto", COMBINED_LINE + " " + second,
                        RejectReason.GLUED),
                arguments("second record with an impossible date", "auto",
                        COMBINED_LINE + " " + second.replace("10/Oct", "32/Oct"), RejectReason.GLUED),
                arguments("second record in combined-extra", "combined-extra", COMBINED_LINE + " " + second,
                        RejectReason.GLUED),
                arguments("second record right after the user agent", "combined", COMBINED_LINE + second,
                        RejectReason.GLUED),
                arguments("record cut in its request, then another", "auto", COMMON_LINE.substring(0, 60) + second,
                        RejectReason.GLUED),
                arguments("record cut in its timestamp, then another", "auto",
                        "127.0.0.1 - frank [10/Oct/2000:13:5" + second, RejectReason.GLUED),
                arguments("bad bytes breaking the status", "auto",
                        COMMON_LINE.replace(" 200 ", " 2" + LineReader.UNDECODABLE + "0 "), RejectReason.INVALID_UTF8),
                arguments("bad bytes breaking the month", "auto",
                        COMMON_LINE.replace("Oct", "O" + LineReader.UNDECODABLE), RejectReason.INVALID_UTF8),
                arguments("bad bytes in the user agent", "combined",
                        COMBINED_LINE.replace("Nav", "N" + LineReader.UNDECODABLE + "v"), RejectReason.INVALID_UTF8),
                arguments("status 2OO", "auto", COMMON_LINE.replace(" 200 ", " 2OO "), RejectReason.MALFORMED),
                arguments("status of 2 digits", "auto", COMMON_LINE.replace(" 200 ", " 20 "), RejectReason.MALFORMED),
                arguments("status of 4 digits", "auto", COMMON_LINE.replace(" 200 ", " 2000 "), RejectReason.MALFORMED),
                arguments("status -", "auto", COMMON_LINE.replace(" 200 ", " - "), RejectReason.MALFORMED),
                arguments("size with a letter", "auto", COMMON_LINE.replace("2326", "23a6"), RejectReason.MALFORMED),
                arguments("size 1.5K", "common", COMMON_LINE.replace("2326", "1.5K"), RejectReason.MALFORMED),
                arguments("size of 19 digits", "common", COMMON_LINE.replace("2326", "1234567890123456789"),
                        RejectReason.MALFORMED),
                arguments("negative size", "common", COMMON_LINE.replace("2326", "-5"), RejectReason.MALFORMED),
                arguments("day 32", "auto", COMMON_LINE.replace("10/Oct", "32/Oct"), RejectReason.MALFORMED),
                arguments("29 Feb of a common year", "auto", COMMON_LINE.replace("10/Oct/2000", "29/Feb/2001"),
                        RejectReason.MALFORMED),
                arguments("31 April", "auto", COMMON_LINE.replace("10/Oct", "31/Apr"), RejectReason.MALFORMED),
                arguments("day 00", "auto", COMMON_LINE.replace("10/Oct", "00/Oct"), RejectReason.MALFORMED),
                arguments("lower-case month", "auto", COMMON_LINE.replace("Oct", "oct"), RejectReason.MALFORMED),
                arguments("unknown month", "auto", COMMON_LINE.replace("Oct", "Okt"), RejectReason.MALFORMED),
                arguments("hour 24", "auto", COMMON_LINE.replace("13:55", "24:55"), RejectReason.MALFORMED),
                arguments("second 60", "auto", COMMON_LINE.replace(":36 ", ":60 "), RejectReason.MALFORMED),
                arguments("zone +1900", "auto", COMMON_LINE.replace("-0700", "+1900"), RejectReason.MALFORMED),
                arguments("zone minutes 60", "auto", COMMON_LINE.replace("-0700", "-0760"), RejectReason.MALFORMED),
                arguments("zone with a colon", "auto", COMMON_LINE.replace("-0700]", "-07:00]"), RejectReason.MALFORMED),
                arguments("ISO timestamp", "auto", COMMON_LINE.replace(T, "[2000-10-10T13:55:36-07:00]"),
                        RejectReason.MALFORMED),
                arguments("timestamp without brackets", "auto",
                        COMMON_LINE.replace(T, "10/Oct/2000:13:55:36 -0700"), RejectReason.MALFORMED),
                arguments("missing ident", "auto", COMMON_LINE.replace("- frank", "frank"), RejectReason.MALFORMED),
                arguments("field added before the timestamp", "auto", COMMON_LINE.replace("frank", "frank x"),
                        RejectReason.MALFORMED),
                arguments("two spaces between fields", "auto", COMMON_LINE.replace("- frank", "-  frank"),
                        RejectReason.MALFORMED),
                arguments("unquoted request", "auto", COMMON_LINE.replace(REQ, "GET / HTTP/1.0"),
                        RejectReason.MALFORMED),
                arguments("text after Common in common", "common", COMMON_LINE + " x", RejectReason.MALFORMED),
                arguments("text after Combined in combined", "combined", COMBINED_LINE + " x", RejectReason.MALFORMED),
                arguments("unquoted referer in auto", "auto", COMMON_LINE + " http://x \"UA\"", RejectReason.MALFORMED),
                arguments("text glued to a quoted extra field", "auto", COMBINED_LINE + " \"a\"b",
                        RejectReason.MALFORMED),
                arguments("text right after the user agent", "auto", COMBINED_LINE + "x", RejectReason.MALFORMED),
                arguments("trailing space in common", "common", COMMON_LINE + " ", RejectReason.MALFORMED),
                arguments("nginx wants a - ident", "nginx", COMBINED_LINE.replace("- frank", "ident42 frank"),
                        RejectReason.MALFORMED),
                arguments("nginx line cut in the user agent", "nginx",
                        "10.1.2.3 - - " + T + " " + REQ + " 200 0 \"-\" \"curl/8", RejectReason.TRUNCATED),
                arguments("combined-extra: text glued to the user agent", "combined-extra", COMBINED_LINE + "x",
                        RejectReason.MALFORMED),
                arguments("LogFormat string: two records", "%v %h %l %u %t \\\"%r\\\" %>s %b %D",
                        "www " + COMMON_LINE + " 1042www " + COMMON_LINE + " 1042", RejectReason.GLUED),
                arguments("LogFormat string: cut in quoted %h", "\"%h\" %t \"%r\" %>s %b", "\"::1", RejectReason.TRUNCATED),
                arguments("%s not a status", "%h %l %u %t \"%r\" %s %B %T", COMMON_LINE.replace(" 200 ", " OK ") + " 3",
                        RejectReason.MALFORMED),
                arguments("%T not a number", "%h %l %u %t \"%r\" %s %B %T", COMMON_LINE + " 0.5", RejectReason.MALFORMED),
                arguments("%D not a number", "%h %l %u %t \"%r\" %>s %b %D", COMMON_LINE + " 12ms",
                        RejectReason.MALFORMED),
                arguments("space in an unquoted last %v", "%h %l %u %t \"%r\" %>s %b %v", COMMON_LINE + " a b",
                        RejectReason.MALFORMED),
                arguments("space in a |-separated client", "%a|%t|\"%r\"|%>s|%b",
                        "127.0.0.1 x|" + T + "|" + REQ + "|200|2326", RejectReason.MALFORMED),
                arguments("missing closing quote of quoted %t", "%h \"%t\" \"%r\" %>s %b",
                        "127.0.0.1 \"" + T + " " + REQ + " 200 5", RejectReason.MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejectedLines")
    void rejectsLine(String description, String format, String line, RejectReason reason) {
        ParseResult result = AccessLogFormats.parser(format).parse(line);

        assertThat(result).isInstanceOfSatisfying(ParseResult.Rejected.class, rejected -> {
            assertThat(rejected.reason()).as(rejected.detail()).isEqualTo(reason);
            assertThat(rejected.detail()).isNotBlank().hasSizeLessThan(160);
        });
    }

    @Test
    void detailsSayWhatAndWhere() {
        AccessLogParser parser = AccessLogFormats.parser("auto");

        assertThat(parser.parse(COMMON_LINE.replace(" 200 ", " 2OO ")))
                .isEqualTo(new ParseResult.Rejected(RejectReason.MALFORMED, "%>s: expected 3 digits at col 78, got '2OO'"));
        assertThat(parser.parse(COMMON_LINE.replace("frank", "fr\0nk")))
                .isEqualTo(new ParseResult.Rejected(RejectReason.BINARY, "control character U+0000 at col 15"));
        assertThat(parser.parse(COMMON_LINE + " " + COMMON_LINE))
                .isEqualTo(new ParseResult.Rejected(RejectReason.GLUED, "second timestamp at col 105"));
    }

    @Test
    void zonesChangeAndTimeRunsBackwardsWithinOneParser() {
        AccessLogParser parser = AccessLogFormats.parser("auto");
        List<String> times = List.of("[10/Oct/2000:13:55:36 -0700]", "[10/Oct/2000:22:55:36 +0200]",
                "[10/Oct/2000:20:55:35 +0000]", "[31/Dec/1999:23:59:59 +0000]", "[10/Oct/2000:13:55:36 -0700]");
        List<String> expected = List.of("2000-10-10T13:55:36-07:00", "2000-10-10T22:55:36+02:00",
                "2000-10-10T20:55:35Z", "1999-12-31T23:59:59Z", "2000-10-10T13:55:36-07:00");

        for (int i = 0; i < times.size(); i++) {
            ParseResult result = parser.parse(COMMON_LINE.replace(T, times.get(i)));
            OffsetDateTime want = OffsetDateTime.parse(expected.get(i));
            assertThat(result).isInstanceOfSatisfying(ParseResult.Parsed.class,
                    parsed -> assertThat(parsed.record().time()).isEqualTo(want));
        }
    }

    @Test
    void aRejectionLeavesNoTraceOnTheNextLine() {
        AccessLogParser parser = AccessLogFormats.parser("auto");

        parser.parse(COMBINED_LINE + " vhost " + COMMON_LINE);
        parser.parse(COMMON_LINE.replace(" 200 ", " 2OO "));

        assertThat(parser.parse(COMMON_LINE)).isEqualTo(new ParseResult.Parsed(COMMON_RECORD));
    }

    @Test
    void rejectsLinesLongerThanTheBoundInCodePoints() {
        AccessLogParser parser = AccessLogFormats.parser("common", COMMON_LINE.length());
        String emoji = COMMON_LINE.replace("frank", "fran😀"); // as many code points, one char more

        assertThat(parser.parse(COMMON_LINE)).isInstanceOf(ParseResult.Parsed.class);
        assertThat(parser.parse(emoji)).isInstanceOf(ParseResult.Parsed.class);
        assertThat(parser.parse(COMMON_LINE + "0")).isEqualTo(
                new ParseResult.Rejected(RejectReason.TOO_LONG, "longer than " + COMMON_LINE.length() + " characters"));
        assertThat(parser.parse(emoji + "0")).extracting(r -> ((ParseResult.Rejected) r).reason())
                .isEqualTo(RejectReason.TOO_LONG);
    }

    @Test
    void rejectsHugeLinesAndNullWithoutThrowing() {
        AccessLogParser parser = AccessLogFormats.parser("auto");

        assertThat(parser.parse("x".repeat(50_000_000))).extracting(r -> ((ParseResult.Rejected) r).reason())
                .isEqualTo(RejectReason.TOO_LONG);
        assertThat(parser.parse(null)).extracting(r -> ((ParseResult.Rejected) r).reason())
                .isEqualTo(RejectReason.EMPTY);
    }

    @Test
    void defaultBoundIsTheInterfaceDefault() {
        String longLine = COMMON_LINE.replace("/apache_pb.gif", "/" + "a".repeat(AccessLogParser.DEFAULT_MAX_LINE_LENGTH));

        assertThat(AccessLogFormats.parser("auto").parse(longLine)).extracting(r -> ((ParseResult.Rejected) r).reason())
                .isEqualTo(RejectReason.TOO_LONG);
        assertThat(AccessLogFormats.parser("auto", 2 * AccessLogParser.DEFAULT_MAX_LINE_LENGTH).parse(longLine))
                .isInstanceOf(ParseResult.Parsed.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "  ", "apache", "combined2",
        "%h %l %u %t %r %>s %b",
        "%h%l %t \"%r\" %>s",
        "%h %l %u %{%d/%b/%Y}t \"%r\" %>s %b",
        "%h %t \"%r\" %>s %b %Z",
        "%h %l %u %t \"%r\"",
        "%l %u %t \"%r\" %>s %b",
        "%h %u \"%r\" %>s %b",
        "%h %t \"%r\" %!200s %b",
        "%h %t \"%r\" %<s %b",
        "%h %t \"%r\" %>s %b %",
        "%h %t \"%r\" %>s %b\\n",
        "%h %t \"%r\" %>s %{Referer i",
        "%h %t \"%r\" %>s %{}i",
        "%h %t \"%r\" %>s %{ns}T",
    })
    void rejectsUnsupportedFormats(String format) {
        assertThatThrownBy(() -> AccessLogFormats.parser(format))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(format.isBlank() || !format.contains("%") ? "unknown log format" : "log format '");
    }

    @Test
    void rejectsNullFormatAndBadBounds() {
        assertThatThrownBy(() -> AccessLogFormats.parser(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessLogFormats.parser("auto", 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxLineLength");
    }

    @Test
    void formatErrorsSayWhy() {
        assertThatThrownBy(() -> AccessLogFormats.parser("%h %l %u %t \"%r\" %b"))
                .hasMessageContaining("has no status (%>s or %s)");
        assertThatThrownBy(() -> AccessLogFormats.parser("%h %t %r %>s %b"))
                .hasMessageContaining("unquoted %r");
        assertThatThrownBy(() -> AccessLogFormats.parser("%h %t \"%r\" %>s %b %Z"))
                .hasMessageContaining("unsupported directive %Z").hasMessageContaining("supported: %h");
        assertThatThrownBy(() -> AccessLogFormats.parser("%h%t \"%r\" %>s"))
                .hasMessageContaining("%h and %t must be separated by literal text");
    }

    private static long millis(String isoOffsetDateTime) {
        return OffsetDateTime.parse(isoOffsetDateTime).toInstant().toEpochMilli();
    }

    private static RecordBuilder with(LogRecord r) {
        return new RecordBuilder(r);
    }

    /** Changes some components of a record; the rest stay as they were. */
    private static final class RecordBuilder {
        private String client;
        private String ident;
        private String user;
        private long timeMillis;
        private int zoneOffsetSeconds;
        private String method;
        private String endpoint;
        private String protocol;
        private final int status;
        private long bytesSent;
        private String referer;
        private String userAgent;
        private String vhost;
        private long durationMicros;

        RecordBuilder(LogRecord r) {
            client = r.client();
            ident = r.ident();
            user = r.user();
            timeMillis = r.timeMillis();
            zoneOffsetSeconds = r.zoneOffsetSeconds();
            method = r.method();
            endpoint = r.endpoint();
            protocol = r.protocol();
            status = r.status();
            bytesSent = r.bytesSent();
            referer = r.referer();
            userAgent = r.userAgent();
            vhost = r.vhost();
            durationMicros = r.durationMicros();
        }

        RecordBuilder client(String v) {
            client = v;
            return this;
        }

        RecordBuilder ident(String v) {
            ident = v;
            return this;
        }

        RecordBuilder user(String v) {
            user = v;
            return this;
        }

        RecordBuilder time(String isoOffsetDateTime) {
            OffsetDateTime t = OffsetDateTime.parse(isoOffsetDateTime);
            timeMillis = t.toInstant().toEpochMilli();
            zoneOffsetSeconds = t.getOffset().getTotalSeconds();
            return this;
        }

        RecordBuilder method(String v) {
            method = v;
            return this;
        }

        RecordBuilder endpoint(String v) {
            endpoint = v;
            return this;
        }

        RecordBuilder protocol(String v) {
            protocol = v;
            return this;
        }

        RecordBuilder bytes(long v) {
            bytesSent = v;
            return this;
        }

        RecordBuilder referer(String v) {
            referer = v;
            return this;
        }

        RecordBuilder userAgent(String v) {
            userAgent = v;
            return this;
        }

        RecordBuilder vhost(String v) {
            vhost = v;
            return this;
        }

        RecordBuilder duration(long micros) {
            durationMicros = micros;
            return this;
        }

        LogRecord build() {
            return new LogRecord(client, ident, user, timeMillis, zoneOffsetSeconds, method, endpoint, protocol,
                    status, bytesSent, referer, userAgent, vhost, durationMicros);
        }
    }
}
