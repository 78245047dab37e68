package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stormwatch.core.gen.TextGenerator;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.testing.CliProcess;
import io.stormwatch.testing.Oracle;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * word-count as a user runs it ({@code bin/stormwatch} processes on the packaged jar): the stream's totals equal
 * the batch's on the same input, every word's count included (a top-K as large as the vocabulary lists them
 * all). Its windows are processing time — what arrived in each second — so which line lands in which window
 * depends on the clock and cannot equal a batch; what is deterministic is asserted instead: the 1 s windows
 * tumble (one second long, none overlapping), and every line is counted in exactly one of them, so the windows'
 * records, rejected lines, words and per-word counts sum to the totals.
 */
class WordCountIT {

    /** Larger than any vocabulary here: topWords then lists every word. */
    private static final String ALL = "1000000";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aFileGivesTheBatchTotalsAndWindowsThatSumToThem() throws Exception {
        Path text = textWithBadLines(tmp.resolve("words.txt"), 60_000, 11, 3_000);
        Path out = tmp.resolve("out");

        CliProcess batch = CliProcess.stormwatch(tmp, Duration.ofMinutes(2), "batch", "--job", "word-count", "--json",
                "--top", ALL, text.toString());
        CliProcess local = CliProcess.stormwatch(tmp, Duration.ofMinutes(3), "local", "word-count", "--source", "file:" + text,
                "--output", "jsonl:" + out, "-c", "stormwatch.words.top=" + ALL);

        assertThat(batch.exitCode()).as(batch.stderr()).isZero();
        assertThat(local.exitCode()).as(local.stderr()).isZero();
        JsonNode totals = Oracle.readJson(out.resolve(JsonLinesSink.TOTALS));
        assertThat(totals).isEqualTo(JSON.readTree(batch.stdout()));
        assertThat(totals.get("rejectReasons").get("invalid-utf8").asLong()).isEqualTo(1);
        assertThat(totals.get("rejectReasons").get("too-long").asLong()).isEqualTo(1);
        assertThat(totals.get("distinctWords").asLong()).isGreaterThan(2_000);
        assertWindowsTumbleAndSumTo(Oracle.readJsonLines(out.resolve(JsonLinesSink.WINDOWS)), totals);
        assertThat(local.stderr()).contains("final totals: records=").contains("(the,");
    }

    @Test
    void aSocketFedByServeIsCountedOverSeveralSecondsAndStopsOnSigterm() throws Exception {
        long lines = 3_000;
        Path text = Files.createDirectories(tmp.resolve("in")).resolve("words.txt");
        try (OutputStream to = Files.newOutputStream(text)) {
            new TextGenerator(new TextGenerator.Options(lines, 12)).writeTo(to);
        }
        Path out = tmp.resolve("out");
        Path serveErr = tmp.resolve("serve.txt");
        Path localErr = tmp.resolve("local.txt");
        // Spark's NetworkWordCount next to `nc -lk`: 1,500 lines/s, so the lines span about two seconds.
        Process serve = new ProcessBuilder(CliProcess.LAUNCHER.toString(), "serve", "--port", "0", "--rate", "1500",
                text.toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(serveErr.toFile()).start();
        Process local = null;
        try {
            Pattern listening = Pattern.compile("on 127\\.0\\.0\\.1:(\\d+)");
            String port = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        Matcher m = listening.matcher(Files.readString(serveErr));
                        return m.find() ? m.group(1) : null;
                    }, p -> p != null);
            local = new ProcessBuilder(CliProcess.LAUNCHER.toString(), "local", "word-count", "--source",
                    "socket:127.0.0.1:" + port, "--output", "jsonl:" + out, "-c", "stormwatch.words.top=" + ALL)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(localErr.toFile()).start();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> JsonLinesSink.linesCounted(out) == lines);

            new ProcessBuilder("kill", "-TERM", Long.toString(local.pid())).start().waitFor();

            assertThat(local.waitFor(2, TimeUnit.MINUTES)).as("the run stops").isTrue();
            assertThat(local.exitValue()).as(Files.readString(localErr)).isEqualTo(143);
        } finally {
            serve.destroyForcibly();
            if (local != null) {
                local.destroyForcibly();
            }
        }
        CliProcess batch = CliProcess.stormwatch(tmp, Duration.ofMinutes(2), "batch", "--job", "word-count", "--json",
                "--top", ALL, text.toString());
        JsonNode totals = Oracle.readJson(out.resolve(JsonLinesSink.TOTALS));
        assertThat(totals).isEqualTo(JSON.readTree(batch.stdout()));
        List<JsonNode> windows = Oracle.readJsonLines(out.resolve(JsonLinesSink.WINDOWS));
        assertThat(windows).as("lines paced over about two seconds land in more than one 1 s window").hasSizeGreaterThan(1);
        assertWindowsTumbleAndSumTo(windows, totals);
    }

    @Test
    void eventTimeIsAUsageError() throws Exception {
        Path text = tmp.resolve("words.txt");
        Files.writeString(text, "a b c\n");

        CliProcess local = CliProcess.stormwatch(tmp, Duration.ofMinutes(1), "local", "word-count", "--source", "file:" + text,
                "--time", "event");

        assertThat(local.exitCode()).isEqualTo(2);
        assertThat(local.stderr()).contains("word-count's lines carry no time of their own").doesNotContain("Exception");
    }

    /**
     * 1 s windows, none overlapping, and every line in exactly one: their counts sum to the totals, word by
     * word. Each window's topWords lists all its words (top-K above the vocabulary).
     */
    private static void assertWindowsTumbleAndSumTo(List<JsonNode> windows, JsonNode totals) {
        assertThat(windows).isNotEmpty();
        long records = 0;
        long rejected = 0;
        long words = 0;
        Map<String, Long> perWord = new TreeMap<>();
        long lastEnd = Long.MIN_VALUE;
        for (JsonNode window : windows) {
            long start = Oracle.isoMillis(window.get("windowStart"));
            long end = Oracle.isoMillis(window.get("windowEnd"));
            assertThat(end - start).as("tumbling 1 s windows").isEqualTo(1_000);
            assertThat(start).as("windows do not overlap").isGreaterThanOrEqualTo(lastEnd);
            assertThat(window.get("late").asLong()).as("nothing is late in processing time").isZero();
            lastEnd = end;
            records += window.get("records").asLong();
            rejected += window.get("rejected").asLong();
            words += window.get("words").asLong();
            assertThat(window.get("topWords").size()).isEqualTo(window.get("distinctWords").asInt());
            for (JsonNode e : window.get("topWords")) {
                perWord.merge(e.get("word").asText(), e.get("count").asLong(), Long::sum);
            }
        }
        Map<String, Long> totalPerWord = new TreeMap<>();
        totals.get("topWords").forEach(e -> totalPerWord.put(e.get("word").asText(), e.get("count").asLong()));
        assertThat(records).isEqualTo(totals.get("records").asLong());
        assertThat(rejected).isEqualTo(totals.get("rejected").asLong());
        assertThat(words).isEqualTo(totals.get("words").asLong());
        assertThat(perWord).isEqualTo(totalPerWord);
    }

    /** Generated text with one line of invalid UTF-8 and one too long (64 Ki + 1 characters) in the middle. */
    private static Path textWithBadLines(Path file, long lines, long seed, int vocabulary) throws IOException {
        TextGenerator generator = new TextGenerator(new TextGenerator.Options(lines, seed, vocabulary));
        try (OutputStream to = Files.newOutputStream(file)) {
            for (long i = 0; i < lines; i++) {
                to.write(generator.nextLine().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                to.write('\n');
                if (i == lines / 3) {
                    to.write(new byte[] {'b', 'a', 'd', ' ', (byte) 0xC3, '(', '\n'});
                }
                if (i == lines / 2) {
                    to.write("x".repeat(65_537).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    to.write('\n');
                }
            }
        }
        return file;
    }
}
