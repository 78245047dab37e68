package io.stormwatch.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.stormwatch.core.log.AccessLogFormats;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.log.RejectReason;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTest {

    private static final String GOOD_1 =
            "10.0.0.1 - - [31/Mar/2024:01:00:00 +0100] \"GET / HTTP/1.1\" 200 100 \"-\" \"curl/8.5.0\"";
    private static final String GOOD_2 = "10.0.0.2 - - [31/Mar/2024:01:00:01 +0100] \"GET /a HTTP/1.1\" 404 -";
    private static final String CUT = "10.0.0.3 - - [31/Mar/2024:01:00:02 +0100] \"GET /b";

    @TempDir
    Path dir;

    private final AccessLogParser parser = AccessLogFormats.parser("auto");

    @Test
    void countsEveryLineAndHandsOnEachRejectWithItsFileAndByteOffset() throws IOException {
        Path file = write("a.log", GOOD_1 + "\n\n" + CUT + "\r\n" + GOOD_2);
        List<LogFiles.RejectedLine> rejects = new ArrayList<>();

        LogStats stats = LogFiles.analyze(List.of(file), parser, rejects::add);

        assertThat(stats.records()).isEqualTo(2);
        assertThat(stats.rejectReasons().toMap())
                .containsOnly(Map.entry(RejectReason.EMPTY, 1L), Map.entry(RejectReason.TRUNCATED, 1L));
        int emptyOffset = GOOD_1.length() + 1;
        assertThat(rejects).extracting(LogFiles.RejectedLine::file, LogFiles.RejectedLine::offset,
                        LogFiles.RejectedLine::reason, LogFiles.RejectedLine::line)
                .containsExactly(
                        tuple(file, (long) emptyOffset, RejectReason.EMPTY, ""),
                        tuple(file, (long) emptyOffset + 1, RejectReason.TRUNCATED, CUT));
    }

    @Test
    void gzipFilesGiveTheSameStatsAsTheirContent() throws IOException {
        String content = GOOD_1 + "\n" + CUT + "\n" + GOOD_2 + "\n";
        Path plain = write("plain.log", content);
        Path gzip = dir.resolve("compressed.log"); // no .gz: told by content
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }

        assertThat(LogFiles.analyze(List.of(gzip), parser, LogFiles.RejectSink.DISCARD))
                .isEqualTo(LogFiles.analyze(List.of(plain), parser, LogFiles.RejectSink.DISCARD));
    }

    @Test
    void severalFilesGiveTheMergeOfTheirStats() throws IOException {
        Path a = write("a.log", GOOD_1 + "\n" + CUT + "\n");
        Path b = write("b.log", GOOD_2 + "\n" + GOOD_1 + "\n");
        Path ab = write("ab.log", GOOD_1 + "\n" + CUT + "\n" + GOOD_2 + "\n" + GOOD_1 + "\n");

        LogStats both = LogFiles.analyze(List.of(a, b), parser, LogFiles.RejectSink.DISCARD);

        assertThat(both).isEqualTo(LogFiles.analyze(List.of(ab), parser, LogFiles.RejectSink.DISCARD));
        assertThat(both).isEqualTo(LogFiles.analyze(List.of(a), parser, LogFiles.RejectSink.DISCARD)
                .merge(LogFiles.analyze(List.of(b), parser, LogFiles.RejectSink.DISCARD)));
    }

    @Test
    void linesOverTheBoundAreCutAndRejectedAsTooLong() throws IOException {
        String longLine = "10.0.0.1 - - [31/Mar/2024:01:00:00 +0100] \"GET /" + "x".repeat(200) + " HTTP/1.1\" 200 1";
        Path file = write("long.log", longLine + "\n" + GOOD_2 + "\n");
        List<LogFiles.RejectedLine> rejects = new ArrayList<>();

        LogStats stats = LogFiles.analyze(List.of(file), AccessLogFormats.parser("auto", 100), 100, rejects::add,
                bytes -> {});

        assertThat(stats.records()).isEqualTo(1);
        assertThat(rejects).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RejectReason.TOO_LONG);
            assertThat(r.line()).isEqualTo(longLine.substring(0, 101));
        });
    }

    @Test
    void reportsEveryRawByteReadForProgress() throws IOException {
        Path a = write("a.log", GOOD_1 + "\n");
        Path b = write("b.log", GOOD_2 + "\n" + CUT);
        AtomicLong read = new AtomicLong();

        LogFiles.analyze(List.of(a, b), parser, AccessLogParser.DEFAULT_MAX_LINE_LENGTH, LogFiles.RejectSink.DISCARD,
                read::addAndGet);

        assertThat(read.get()).isEqualTo(Files.size(a) + Files.size(b));
    }

    @Test
    void aMissingFileIsAnError() {
        assertThatThrownBy(() -> LogFiles.analyze(List.of(dir.resolve("missing.log")), parser,
                LogFiles.RejectSink.DISCARD))
                .isInstanceOfSatisfying(LogFiles.ReadException.class,
                        e -> assertThat(e.file()).isEqualTo(dir.resolve("missing.log")))
                .hasCauseInstanceOf(NoSuchFileException.class);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }
}
