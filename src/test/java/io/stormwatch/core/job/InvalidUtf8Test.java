package io.stormwatch.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.log.AccessLogFormats;
import io.stormwatch.core.log.ParseResult;
import io.stormwatch.core.log.RejectReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The invalid-UTF-8 rule, from the bytes of a log line to its count: a line whose bytes are not all UTF-8 is
 * rejected as {@code invalid-utf8} wherever the bad bytes are — a quoted field included — and a U+FFFD
 * written correctly ({@code EF BF BD}) or any other valid multi-byte text is accepted as it is. The bytes go
 * through {@link LineReader} and the job's extractor as {@link Batch} runs them, which is also how the
 * spouts and the parse bolt take them, so {@code batch} and {@code local} agree.
 */
class InvalidUtf8Test {

    private static final String LINE = "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326"
            + " \"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"";

    @TempDir
    Path dir;

    /**
     * {@code bytes} (hex) are put into {@link #LINE} just before the first {@code before} ({@code ^}: at the
     * start, {@code $}: at the end).
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # case                                          | before      | bytes                   | accepted
            bad byte at the start                            | ^           | FF                      | false
            bad bytes in the request                         | pb.gif      | C3 28                   | false
            bad byte inside the user-agent quotes            | Nav         | FF                      | false
            Latin-1 byte in the referer                      | start.html  | E9                      | false
            overlong encoding of '/' in the user agent       | Nav         | C0 AF                   | false
            lone continuation byte in the user agent         | Nav         | 80                      | false
            encoded surrogate in the user agent              | Nav         | ED A0 80                | false
            4-byte sequence cut short at the line's end      | $           | F0 9F 98                | false
            4-byte sequence cut short before the closing quote | )"          | F0 9F 98                | false
            a U+FFFD written correctly in the user agent     | Nav         | EF BF BD                | true
            valid multi-byte text in the user agent          | Nav         | C3 A9 E2 98 83 F0 9F 98 80 | true
            U+1F4FD, whose low surrogate is the marker char  | Nav         | F0 9F 93 BD             | true
            U+690FD (unassigned; low half U+DCFD too)        | Nav         | F1 A9 83 BD             | true
            """)
    void aLineIsRejectedAsInvalidUtf8WhereverItsBadBytesAre(String name, String before, String hex, boolean accepted)
            throws IOException {
        byte[] bad = HexFormat.ofDelimiter(" ").parseHex(hex);
        byte[] line = insert(LINE, before, bad);
        Path file = Files.write(dir.resolve("access.log"), concat(line, "\n".getBytes(StandardCharsets.UTF_8)));
        List<DeadLetter> rejects = new ArrayList<>();

        LogStats stats = LogStats.of(new Batch<>(LogAnalytics.defaults(), 65_536).run(List.of(file), rejects::add, b -> {}));
        ParseResult parsed = AccessLogFormats.parser("auto").parse(LineReader.decode(line, 0, line.length));

        if (accepted) {
            assertThat(stats.records()).isEqualTo(1);
            assertThat(rejects).isEmpty();
            assertThat(parsed).isInstanceOfSatisfying(ParseResult.Parsed.class, p -> assertThat(p.record().userAgent())
                    .contains(new String(bad, StandardCharsets.UTF_8)));
        } else {
            assertThat(stats.records()).isZero();
            assertThat(stats.rejectReasons().toMap()).containsOnlyKeys(RejectReason.INVALID_UTF8.key());
            assertThat(parsed).isInstanceOfSatisfying(ParseResult.Rejected.class,
                    r -> assertThat(r.reason()).isEqualTo(RejectReason.INVALID_UTF8));
            // The dead letter shows the bad bytes as U+FFFD, text any JSON or UTF-8 writer takes.
            assertThat(rejects).singleElement().satisfies(r -> {
                assertThat(r.reason()).isEqualTo("invalid-utf8");
                assertThat(r.line()).contains("\uFFFD").doesNotContain(String.valueOf(LineReader.UNDECODABLE));
            });
        }
    }

    /** What {@code serve} writes for a line it read: bad bytes stay bad, so its client rejects the line too. */
    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', textBlock = """
            # bytes (hex)
            61 FF 62
            C0 AF
            F0 9F 98
            EF BF BD
            C3 A9 F0 9F 98 80
            """)
    void aDecodedLineEncodesBackToTextThatDecodesTheSame(String hex) {
        byte[] bytes = HexFormat.ofDelimiter(" ").parseHex(hex);
        String text = LineReader.decode(bytes, 0, bytes.length);

        byte[] encoded = LineReader.encode(text);

        assertThat(LineReader.decode(encoded, 0, encoded.length)).isEqualTo(text);
    }

    private static byte[] insert(String line, String before, byte[] bytes) {
        int at = before.equals("^") ? 0 : before.equals("$") ? line.length() : line.indexOf(before);
        assertThat(at).as("'%s' in the line", before).isNotNegative();
        return concat(line.substring(0, at).getBytes(StandardCharsets.UTF_8), bytes,
                line.substring(at).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
