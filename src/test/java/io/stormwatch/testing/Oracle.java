package io.stormwatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.core.gen.TweetGenerator;
import io.stormwatch.core.io.Inputs;
import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.log.AccessLogFormats;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.ParseResult;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.window.WindowAssembler;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.core.job.loganalytics.StatsJson;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The batch side of streaming ITs: generated logs, and what the batch oracle says about them. */
public final class Oracle {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Oracle() {}

    /** Writes a generated Combined log with malformed and out-of-order lines to {@code file}. */
    public static Path generate(Path file, long lines, long seed, double malformedRatio) throws IOException {
        return generate(file, new LogGenerator.Options(lines, seed, LogGenerator.Format.COMBINED, malformedRatio,
                LogGenerator.DEFAULT_START));
    }

    /**
     * Writes {@code count} lines of a generated Twitter stream to {@code file}: two minutes of statuses from
     * 2024-03-31T00:00:00Z, some out of order beyond the 5 s lag, notices, and 2 % broken lines.
     */
    public static Path tweets(Path file, long count, long seed) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            new TweetGenerator(new TweetGenerator.Options(count, seed, LogGenerator.DEFAULT_START,
                    java.time.Duration.ofMinutes(2), 0.02)).writeTo(out);
        }
        return file;
    }

    /** Writes the logs of {@code parts} one after another to {@code file}, as one log. */
    public static Path generate(Path file, LogGenerator.Options... parts) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            for (LogGenerator.Options part : parts) {
                new LogGenerator(part).writeTo(out);
            }
        }
        return file;
    }

    /**
     * A log that spans days and then bursts: 3 days of sparse lines from 2024-03-28, then a dense stretch with
     * lines out of order by up to 5 s; malformed lines of every kind throughout.
     */
    public static Path multiDay(Path file, long sparseLines, long denseLines, long seed) throws IOException {
        return generate(file,
                new LogGenerator.Options(sparseLines, seed, LogGenerator.Format.COMBINED, 0.02,
                        Instant.parse("2024-03-28T00:00:00Z")).withSpan(java.time.Duration.ofDays(3)),
                new LogGenerator.Options(denseLines, seed + 1, LogGenerator.Format.COMBINED, 0.02,
                        LogGenerator.DEFAULT_START.plusSeconds(3_600)));
    }

    /** {@code batch --window ... --json} of the files: one JSON line per window, in order. */
    public static List<String> windows(WindowSpec window, Path... files) throws IOException {
        LogAnalytics job = LogAnalytics.defaults();
        List<String> lines = new ArrayList<>();
        new Batch<>(job, AccessLogParser.DEFAULT_MAX_LINE_LENGTH, window, new WindowAssembler.Listener() {
            @Override
            public void window(long start, long end, Tally tally, long late) {
                lines.add(StatsJson.write(job.views().windowJson(start, end, tally, late)));
            }

            @Override
            public void late(String source, long[] offsets, long[] times, long reportedIn) {}
        }).run(List.of(files), Batch.DeadLetterSink.DISCARD, bytes -> {});
        return lines;
    }

    /**
     * Asserts that {@code out/windows.jsonl} of a run whose input has not ended holds {@code batch --window}'s
     * windows of {@code log}, in order, each once: all but the last few, which the watermark has not passed
     * (waits up to a minute for them to be written).
     */
    public static void assertWindowsSoFar(Path out, WindowSpec window, Path log) throws IOException {
        List<String> oracle = windows(window, log);
        Path file = out.resolve(io.stormwatch.storm.sink.JsonLinesSink.WINDOWS);
        int atLeast = oracle.size() - (int) (window.lengthMillis() / window.slideMillis()) - 1;
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> Files.exists(file) && Files.readAllLines(file).size() >= atLeast);
        List<String> written = Files.readAllLines(file);
        org.assertj.core.api.Assertions.assertThat(written.size()).as("windows written of %d", oracle.size())
                .isBetween(atLeast, oracle.size());
        org.assertj.core.api.Assertions.assertThat(written).containsExactlyElementsOf(oracle.subList(0, written.size()));
    }

    /** {@code batch --json} of the files, with the default views, as read back from its text. */
    public static JsonNode totals(Path... files) throws IOException {
        LogAnalytics job = LogAnalytics.defaults();
        return asRead(job.views().json(new Batch<>(job, AccessLogParser.DEFAULT_MAX_LINE_LENGTH)
                .run(List.of(files), Batch.DeadLetterSink.DISCARD, bytes -> {})));
    }

    /**
     * {@code node} as it reads back from its JSON text: Jackson's node equality tells an int from a long of
     * the same value, so built and parsed nodes are compared in this form.
     */
    public static JsonNode asRead(JsonNode node) throws IOException {
        return JSON.readTree(JSON.writeValueAsString(node));
    }

    /** The parsed records of the file, in file order. */
    public static List<LogRecord> records(Path file) throws IOException {
        AccessLogParser parser = AccessLogFormats.parser("auto");
        List<LogRecord> records = new ArrayList<>();
        try (InputStream in = Inputs.open(file);
                LineReader reader = new LineReader(in, AccessLogParser.DEFAULT_MAX_LINE_LENGTH)) {
            for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
                if (parser.parse(line.text()) instanceof ParseResult.Parsed parsed) {
                    records.add(parsed.record());
                }
            }
        }
        return records;
    }

    /**
     * Splits {@code file} at the first line end after {@code fraction} of its bytes into {@code first} and
     * {@code rest}: the lines sent before a run starts and those sent while it runs.
     */
    public static void split(Path file, double fraction, Path first, Path rest) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int cut = Math.max(1, (int) (bytes.length * fraction));
        while (cut < bytes.length && bytes[cut - 1] != '\n') {
            cut++;
        }
        Files.write(first, java.util.Arrays.copyOfRange(bytes, 0, cut));
        Files.write(rest, java.util.Arrays.copyOfRange(bytes, cut, bytes.length));
    }

    public static JsonNode readJson(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    /** Each line of a JSON-lines file. */
    public static List<JsonNode> readJsonLines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        try (Stream<String> lines = Files.lines(file)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (!line.isBlank()) {
                    nodes.add(JSON.readTree(line));
                }
            }
        }
        return nodes;
    }

    public static long isoMillis(JsonNode node) {
        return Instant.parse(node.asText()).toEpochMilli();
    }
}
