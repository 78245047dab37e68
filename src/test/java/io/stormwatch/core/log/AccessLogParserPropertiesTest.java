package io.stormwatch.core.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties over generated records: what the renderer writes, the parser reads back, and nothing makes the
 * parser throw. Generated records are the ones the parser can produce: a header of {@code "-"} is the
 * absent marker (null), and a request's parts split back the same way (see {@link LogRecord}). Zone offsets
 * are whole minutes within ±18:00, all that {@code ±hhmm} can say.
 */
class AccessLogParserPropertiesTest {

    private static final List<String> FORMATS = List.of("auto", "common", "combined", "combined-extra", "nginx",
            "%v %h %l %u %t \\\"%r\\\" %>s %b %D", "%a|\"%t\"|\"%r\"|%>s|%B|%{ms}T", "%h %t %>s %b %r");
    private static final long YEAR_1970 = Instant.parse("1970-01-01T00:00:00Z").getEpochSecond();
    private static final long YEAR_2101 = Instant.parse("2101-01-01T00:00:00Z").getEpochSecond();

    @Property
    void combinedRoundTrips(@ForAll("combinedRecords") LogRecord record) {
        String line = AccessLogRenderer.combined(record);

        assertThat(AccessLogFormats.parser("combined").parse(line)).isEqualTo(new ParseResult.Parsed(record));
        assertThat(AccessLogFormats.parser("auto").parse(line)).isEqualTo(new ParseResult.Parsed(record));
    }

    @Property
    void commonRoundTrips(@ForAll("commonRecords") LogRecord record) {
        String line = AccessLogRenderer.common(record);

        assertThat(AccessLogFormats.parser("common").parse(line)).isEqualTo(new ParseResult.Parsed(record));
        assertThat(AccessLogFormats.parser("auto").parse(line)).isEqualTo(new ParseResult.Parsed(record));
    }

    @Property
    void firstExtraFieldRoundTripsAsVhost(@ForAll("combinedRecords") LogRecord record, @ForAll("words") String vhost) {
        LogRecord withVhost = new LogRecord(record.client(), record.ident(), record.user(), record.timeMillis(),
                record.zoneOffsetSeconds(), record.method(), record.endpoint(), record.protocol(), record.status(),
                record.bytesSent(), record.referer(), record.userAgent(), vhost, record.durationMicros());

        String line = AccessLogRenderer.combined(record) + " " + vhost + " 1042";

        assertThat(AccessLogFormats.parser("auto").parse(line)).isEqualTo(new ParseResult.Parsed(withVhost));
        assertThat(AccessLogFormats.parser("combined-extra").parse(line)).isEqualTo(new ParseResult.Parsed(withVhost));
    }

    @Property
    void everyCutOfACombinedLineIsTruncated(@ForAll("combinedRecords") LogRecord record,
            @ForAll @IntRange(min = 1, max = 10_000) int cutSeed) {
        String line = AccessLogRenderer.combined(record);
        String cut = line.substring(0, 1 + cutSeed % (line.length() - 1));

        assertThat(AccessLogFormats.parser("combined").parse(cut)).isInstanceOfSatisfying(ParseResult.Rejected.class,
                r -> assertThat(r.reason()).isEqualTo(RejectReason.TRUNCATED));
    }

    @Property
    void twoRecordsOnOneLineAreGlued(@ForAll("combinedRecords") LogRecord first, @ForAll("commonRecords") LogRecord second,
            @ForAll boolean firstIsCommon, @ForAll boolean spaced) {
        String line = (firstIsCommon ? AccessLogRenderer.common(first) : AccessLogRenderer.combined(first))
                + (spaced ? " " : "") + AccessLogRenderer.common(second);

        assertThat(AccessLogFormats.parser("auto").parse(line))
                .isInstanceOfSatisfying(ParseResult.Rejected.class,
                        r -> assertThat(r.reason()).isEqualTo(RejectReason.GLUED));
    }

    @Property
    void noInputThrows(@ForAll("anyLines") String line) {
        for (String format : FORMATS) {
            ParseResult result = AccessLogFormats.parser(format, 2_000).parse(line);

            assertThat(result).isNotNull();
            if (result instanceof ParseResult.Parsed parsed) {
                assertThat(parsed.record().time()).isNotNull();
                assertThat(parsed.record().request()).isNotNull();
            } else {
                ParseResult.Rejected rejected = (ParseResult.Rejected) result;
                assertThat(rejected.reason()).isNotNull();
                assertThat(rejected.detail()).isNotBlank().hasSizeLessThan(200);
            }
        }
    }

    @Provide
    Arbitrary<LogRecord> combinedRecords() {
        return records(headers(), headers());
    }

    @Provide
    Arbitrary<LogRecord> commonRecords() {
        return records(Arbitraries.just(null), Arbitraries.just(null));
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings().withChars("abcxyz.-_09").ofMinLength(1).ofMaxLength(12)
                .filter(w -> !w.equals("-"));
    }

    /** Random text, text built from log syntax, and rendered lines with one character changed. */
    @Provide
    Arbitrary<String> anyLines() {
        Arbitrary<String> random = Arbitraries.strings().all().ofMaxLength(300);
        Arbitrary<String> syntax = Arbitraries.of(" ", "\"", "\\", "[", "]", "-", "200", "2326", "\t", "\r", "\0",
                        "\uFFFD", "\uD800", "\uDC00", "😀", "10/Oct/2000:13:55:36 -0700", "[10/Oct/2000:13:55:36 -0700]",
                        "GET", "/a b", "HTTP/1.1", "127.0.0.1", "::1", "|", "x")
                .list().ofMaxSize(40).map(parts -> String.join("", parts));
        Arbitrary<String> mutated = Combinators.combine(combinedRecords(), Arbitraries.integers().greaterOrEqual(0),
                        Arbitraries.chars().all(), Arbitraries.of(0, 1, 2))
                .as((record, at, c, how) -> {
                    String line = AccessLogRenderer.combined(record);
                    int i = at % line.length();
                    return switch (how) {
                        case 0 -> line.substring(0, i) + line.substring(i + 1);
                        case 1 -> line.substring(0, i) + c + line.substring(i);
                        default -> line.substring(0, i) + c + line.substring(i + 1);
                    };
                });
        return Arbitraries.oneOf(random, syntax, mutated);
    }

    private Arbitrary<LogRecord> records(Arbitrary<String> referers, Arbitrary<String> userAgents) {
        Arbitrary<String> clients = Arbitraries.oneOf(ipv4(), ipv6(), hostnames());
        Arbitrary<String> identities = Arbitraries.oneOf(Arbitraries.just("-"),
                Arbitraries.strings().withChars("abcXYZ019@._-\"\\").ofMinLength(1).ofMaxLength(12));
        Arbitrary<Long> seconds = Arbitraries.longs().between(YEAR_1970, YEAR_2101 - 1);
        Arbitrary<Integer> offsetMinutes = Arbitraries.integers().between(-18 * 60, 18 * 60);
        Arbitrary<String[]> requests = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(9, httpRequests()),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("", "-", "\\x16\\x03\\x01\\x00", "junk")
                        .map(junk -> new String[] {"", junk, ""})));
        Arbitrary<Integer> statuses = Arbitraries.integers().between(100, 999);
        Arbitrary<Long> sizes = Arbitraries.oneOf(Arbitraries.just(-1L), Arbitraries.longs().between(0, 1L << 40));
        return Combinators.combine(clients, identities, identities, seconds, offsetMinutes, requests, statuses, sizes)
                .flatAs((client, ident, user, epochSecond, offset, request, status, size) ->
                        Combinators.combine(referers, userAgents).as((referer, userAgent) -> new LogRecord(client,
                                ident, user, epochSecond * 1000, offset * 60, request[0], request[1], request[2],
                                status, size, referer, userAgent, null, -1)));
    }

    /** Method, endpoint, protocol. Endpoints have no capitals, so no last word of one looks like a protocol. */
    private Arbitrary<String[]> httpRequests() {
        Arbitrary<String> methods = Arbitraries.of("GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PURGE");
        Arbitrary<String> paths = Arbitraries.of("a", "b", "0", "/", " ", "?", "=", "&", "%20", ".", "\"", "\\", "[", "]",
                        "é", "😀", "\\x41")
                .list().ofMaxSize(25).map(parts -> "/" + String.join("", parts));
        Arbitrary<String> protocols = Arbitraries.of("HTTP/1.0", "HTTP/1.1", "HTTP/2.0", "");
        return Combinators.combine(methods, paths, protocols).as((m, p, v) -> new String[] {m, p, v});
    }

    private Arbitrary<String> headers() {
        Arbitrary<String> text = Arbitraries.of("Mozilla/5.0", " ", "(", ")", ";", "\"", "\\", "é", "😀", "☃", "\t",
                        "\uFFFD", "\\x22", "[en]", "http://x/?q=", "a", "-", "")
                .list().ofMaxSize(20).map(parts -> String.join("", parts))
                .filter(h -> !h.equals("-"));
        return Arbitraries.oneOf(Arbitraries.just(null), text);
    }

    private Arbitrary<String> ipv4() {
        return Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(octets -> octets.stream().map(String::valueOf).collect(Collectors.joining(".")));
    }

    private Arbitrary<String> ipv6() {
        Arbitrary<String> full = Arbitraries.integers().between(0, 0xffff).list().ofSize(8)
                .map(groups -> groups.stream().map(Integer::toHexString).collect(Collectors.joining(":")));
        Arbitrary<String> compressed = Arbitraries.integers().between(0, 0xffff)
                .map(g -> "2001:db8::" + Integer.toHexString(g));
        return Arbitraries.oneOf(full, compressed, Arbitraries.just("::1"));
    }

    private Arbitrary<String> hostnames() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz0123456789-").ofMinLength(1).ofMaxLength(10)
                .list().ofMinSize(1).ofMaxSize(4).map(labels -> String.join(".", labels));
    }
}
