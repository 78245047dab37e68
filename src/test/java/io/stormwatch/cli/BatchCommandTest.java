package io.stormwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.core.job.loganalytics.StatsJson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchCommandTest {

    private static final String[] LINES = {
        "10.0.0.1 - - [31/Mar/2024:01:00:00 +0100] \"GET / HTTP/1.1\" 200 100 \"-\" \"curl/8.5.0\"",
        "10.0.0.1 - - [31/Mar/2024:01:00:02 +0100] \"GET /a HTTP/1.1\" 200 300 \"https://x/\" \"Mozilla/5.0 (\\\"q\\\")\"",
        "::1 - frank [31/Mar/2024:02:00:01 +0200] \"POST /a?x=1 HTTP/1.1\" 404 -",
        "",
        "10.0.0.1 - - [31/Mar/2024:01:00:03 +0100] \"GET /a HTTP/1.1\" 304 -",
        "host.example.com - - [30/Mar/2024:23:59:59 +0000] \"GET / HTTP/1.0\" 500 50 \"-\" \"-\"",
        "10.0.0.9 - - [31/Mar/2024:01:00:0",
    };
    private static final String LOG = String.join("\n", LINES); // the cut last line has no newline

    /** Worked out by hand from {@link #LINES}, with {@code --clients-over 1}. */
    private static final String EXPECTED_JSON = "{\"records\":5,\"rejected\":2,"
            + "\"rejectReasons\":{\"empty\":1,\"truncated\":1},"
            + "\"contentSize\":{\"sum\":450,\"min\":0,\"max\":300,\"avg\":90},"
            + "\"responseCodes\":{\"200\":2,\"304\":1,\"404\":1,\"500\":1},"
            + "\"clientsOver\":{\"threshold\":1,\"clients\":{\"10.0.0.1\":3}},"
            + "\"topEndpoints\":[{\"endpoint\":\"/\",\"count\":2},{\"endpoint\":\"/a\",\"count\":2},"
            + "{\"endpoint\":\"/a?x=1\",\"count\":1}],"
            + "\"firstTime\":\"2024-03-30T23:59:59Z\",\"lastTime\":\"2024-03-31T00:00:03Z\"}";

    @TempDir
    Path dir;

    @Test
    void jsonIsExactlyOneObjectWithTheFiguresOfTheLog() throws IOException {
        Path log = write("access.log", LOG);

        CliRun run = CliRun.of("batch", "--json", "--clients-over", "1", log.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).isEqualTo(EXPECTED_JSON + System.lineSeparator());
        assertThat(onlyJsonObject(run.out()).fieldNames()).toIterable().containsExactly("records", "rejected",
                "rejectReasons", "contentSize", "responseCodes", "clientsOver", "topEndpoints", "firstTime", "lastTime");
    }

    @Test
    void defaultsAreAutoFormatClientsOverTenAndTopTen() throws IOException {
        Path log = write("access.log", LOG);

        JsonNode json = onlyJsonObject(CliRun.of("batch", "--json", log.toString()).out());

        assertThat(json.at("/clientsOver/threshold").asLong()).isEqualTo(10);
        assertThat(json.at("/clientsOver/clients").size()).isZero();
        assertThat(json.at("/records").asLong()).isEqualTo(5);
    }

    @Test
    void topAndFormatOptionsAreApplied() throws IOException {
        Path log = write("access.log", LOG);

        JsonNode json = onlyJsonObject(CliRun.of("batch", "--json", "--top", "1", "--format", "common",
                log.toString()).out());

        // As Common, the lines with referer and user agent do not have the format's shape.
        assertThat(json.at("/records").asLong()).isEqualTo(2);
        assertThat(json.at("/topEndpoints").size()).isEqualTo(1);
    }

    @Test
    void theTableHasEverySection() throws IOException {
        Path log = write("access.log", LOG);

        CliRun run = CliRun.of("batch", log.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).contains("Summary", "Content size", "Response codes",
                "Clients with more than 10 requests: 0", "Top endpoints", "Rejected lines by reason",
                "Event time (UTC)", "2024-03-30T23:59:59Z", "truncated", "/a?x=1");
        assertThat(run.out().lines()).anyMatch(l -> l.matches("\\s+records\\s+5"))
                .anyMatch(l -> l.matches("\\s+404\\s+1\\s+20.0 %"));
    }

    @Test
    void gzipInputGivesTheSameResult() throws IOException {
        Path plain = write("access.log", LOG);
        Path gzip = dir.resolve("access.log.1");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzip))) {
            out.write(LOG.getBytes(StandardCharsets.UTF_8));
        }

        CliRun run = CliRun.of("batch", "--json", "--clients-over", "1", gzip.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEqualTo(CliRun.of("batch", "--json", "--clients-over", "1", plain.toString()).out());
    }

    @Test
    void rejectsAreWrittenAsJsonLinesWithTheirPosition() throws IOException {
        Path log = write("access.log", LOG);
        Path rejects = dir.resolve("rejects.jsonl");
        long emptyOffset = LINES[0].length() + LINES[1].length() + LINES[2].length() + 3;
        long cutOffset = emptyOffset + 1 + LINES[4].length() + 1 + LINES[5].length() + 1;

        CliRun run = CliRun.of("batch", "--json", "--rejects", rejects.toString(), log.toString());

        assertThat(run.exit()).isZero();
        assertThat(Files.readAllLines(rejects)).containsExactly(
                "{\"file\":" + quoted(log.toString()) + ",\"offset\":" + emptyOffset
                        + ",\"reason\":\"empty\",\"detail\":\"blank line\",\"line\":\"\"}",
                "{\"file\":" + quoted(log.toString()) + ",\"offset\":" + cutOffset
                        + ",\"reason\":\"truncated\",\"detail\":\"%t at col 14: ends inside the timestamp\",\"line\":" + quoted(LINES[6]) + "}");
    }

    @Test
    void severalFilesGiveTheResultOfTheirConcatenation() throws IOException {
        ByteArrayOutputStream generated = new ByteArrayOutputStream();
        new LogGenerator(new LogGenerator.Options(3_000, 9, LogGenerator.Format.COMBINED, 0.02,
                LogGenerator.DEFAULT_START)).writeTo(generated);
        byte[] all = generated.toByteArray();
        int split = all.length / 2;
        while (all[split - 1] != '\n') {
            split++;
        }
        Path whole = Files.write(dir.resolve("whole.log"), all);
        Path first = Files.write(dir.resolve("first.log"), Arrays.copyOfRange(all, 0, split));
        Path second = Files.write(dir.resolve("second.log"), Arrays.copyOfRange(all, split, all.length));

        CliRun parts = CliRun.of("batch", "--json", first.toString(), second.toString());
        CliRun concatenation = CliRun.of("batch", "--json", whole.toString());

        assertThat(parts.exit()).isZero();
        assertThat(onlyJsonObject(parts.out()).at("/rejected").asLong()).isPositive();
        assertThat(parts.out()).isEqualTo(concatenation.out());
        assertThat(StatsJson.read(onlyJsonObject(parts.out())))
                .isEqualTo(StatsJson.read(onlyJsonObject(concatenation.out())));
    }

    @Test
    void aMissingFileExitsWithTwoAndOneLineOnStderr() throws IOException {
        Path log = write("access.log", LOG);
        Path missing = dir.resolve("missing.log");

        CliRun run = CliRun.of("batch", "--json", log.toString(), missing.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("stormwatch batch: cannot read " + missing + ": no such file"
                + System.lineSeparator());
    }

    @Test
    void aDirectoryIsNotALogFile() {
        CliRun run = CliRun.of("batch", dir.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("is a directory").hasLineCount(1);
    }

    @Test
    void anUnsupportedFormatExitsWithTwo() throws IOException {
        Path log = write("access.log", LOG);

        CliRun run = CliRun.of("batch", "--format", "%h %l %q{nonsense", log.toString());

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).startsWith("stormwatch batch: ").hasLineCount(1);
    }

    @Test
    void aCorruptGzipStreamExitsWithOneAndNoStackTrace() throws IOException {
        Path corrupt = Files.write(dir.resolve("corrupt.log.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5});

        CliRun run = CliRun.of("batch", "--json", corrupt.toString());

        assertThat(run.exit()).isEqualTo(1);
        // The results of what was read, which is nothing here.
        assertThat(new ObjectMapper().readTree(run.out()).at("/records").asLong()).isZero();
        assertThat(run.err()).startsWith("stormwatch batch: cannot read " + corrupt + ": ").hasLineCount(1)
                .doesNotContain("Exception");
    }

    @Test
    void negativeOptionsAreUsageErrors() throws IOException {
        Path log = write("access.log", LOG);

        assertThat(CliRun.of("batch", "--top", "-1", log.toString()).exit()).isEqualTo(2);
        assertThat(CliRun.of("batch", "--max-line-length", "0", log.toString()).exit()).isEqualTo(2);
        assertThat(CliRun.of("batch").exit()).isEqualTo(2);
    }

    @Test
    void wordCountGivesItsTotalsAndTopKAndRefusesWindows() throws IOException {
        Path text = write("words.txt", "Hello, hello WORLD!\n\nΟΔΟΣ οδος\n");

        CliRun run = CliRun.of("batch", "--job", "word-count", "--json", "--top", "2", text.toString());
        CliRun windows = CliRun.of("batch", "--job", "word-count", "--window", "1s", text.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("{\"records\":3,\"rejected\":0,\"rejectReasons\":{},\"words\":5,\"distinctWords\":3,"
                + "\"topWords\":[{\"word\":\"hello\",\"count\":2},{\"word\":\"οδος\",\"count\":2}]}" + System.lineSeparator());
        assertThat(CliRun.of("batch", "--job", "word-count", text.toString()).out())
                .startsWith("records=3 rejected=0 words=5 distinct=3 (hello,2) (οδος,2) (world,1)");
        assertThat(windows.exit()).isEqualTo(2);
        assertThat(windows.out()).isEmpty();
        assertThat(windows.err()).startsWith("stormwatch batch: --window: word-count's lines carry no time of their own")
                .doesNotContain("Exception");
    }

    /** Parses {@code out} and checks it holds one JSON value, an object, and nothing after it. */
    private static JsonNode onlyJsonObject(String out) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        try (JsonParser parser = mapper.createParser(out)) {
            JsonNode json = mapper.readTree(parser);
            assertThat(json.isObject()).isTrue();
            assertThat(parser.nextToken()).as("anything after the object").isNull();
            return json;
        }
    }

    private static String quoted(String s) throws IOException {
        return new ObjectMapper().writeValueAsString(s);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

}
