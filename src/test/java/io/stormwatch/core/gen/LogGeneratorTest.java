package io.stormwatch.core.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.gen.LogGenerator.Format;
import io.stormwatch.core.gen.LogGenerator.GeneratedLine;
import io.stormwatch.core.gen.LogGenerator.Options;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.log.AccessLogFormats;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.ParseResult;
import io.stormwatch.core.log.RejectReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pins down {@link LogGenerator}: deterministic per seed (and the committed sample is what the documented
 * command writes), about the asked ratio of malformed lines with every reject reason, good lines that parse
 * back into the generated records in every format, a written file whose log-analytics totals are those of
 * the generated lines, and traffic shaped like a real site's.
 */
class LogGeneratorTest {

    private static final Instant START = LogGenerator.DEFAULT_START;

    @Test
    void theSameSeedGivesTheSameBytesAndAnotherSeedOthers() throws IOException {
        Options options = new Options(5_000, 7, Format.COMBINED, 0.05, START);

        byte[] first = bytes(options);

        assertThat(bytes(options)).isEqualTo(first);
        assertThat(bytes(new Options(5_000, 8, Format.COMBINED, 0.05, START))).isNotEqualTo(first);
    }

    @Test
    void theCommittedSampleIsWhatTheDocumentedCommandWrites() throws IOException {
        // data/README.md: stormwatch generate --lines 8000 --seed 42 --format combined --malformed-ratio 0.01
        Path sample = Path.of("data", "access-sample.log");

        assertThat(bytes(new Options(8_000, 42, Format.COMBINED, 0.01, START))).isEqualTo(Files.readAllBytes(sample));
    }

    @Test
    void aboutTheRatioOfLinesIsMalformedWithEveryReason() {
        int lines = 20_000;
        double ratio = 0.05;
        Map<RejectReason, Integer> malformed = new EnumMap<>(RejectReason.class);
        LogGenerator generator = new LogGenerator(new Options(lines, 3, Format.COMBINED, ratio, START));
        int count = 0;
        while (generator.hasNext()) {
            GeneratedLine line = generator.next();
            count++;
            if (line.malformed() != null) {
                malformed.merge(line.malformed(), 1, Integer::sum);
            }
        }
        int total = malformed.values().stream().mapToInt(Integer::intValue).sum();
        double sigma = Math.sqrt(lines * ratio * (1 - ratio));

        assertThat(count).isEqualTo(lines);
        assertThat((double) total).isBetween(lines * ratio - 5 * sigma, lines * ratio + 5 * sigma);
        assertThat(malformed).containsOnlyKeys(RejectReason.values());
    }

    @Test
    void ratiosZeroAndOneGiveNoneAndOnlyMalformedLines() {
        assertThat(generate(new Options(2_000, 1, Format.COMMON, 0, START)))
                .allSatisfy(line -> assertThat(line.malformed()).isNull());
        assertThat(generate(new Options(2_000, 1, Format.COMMON, 1, START)))
                .allSatisfy(line -> assertThat(line.malformed()).isNotNull());
    }

    @Test
    void optionsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> new Options(10, 1, Format.COMMON, 1.5, START))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Options(10, 1, Format.COMMON, Double.NaN, START))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Options(-1, 1, Format.COMMON, 0, START))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void goodLinesParseToTheirRecordsAndMalformedOnesAreRejectedForTheirReason(Format format) {
        AccessLogParser parser = AccessLogFormats.parser(format.name().toLowerCase());
        for (GeneratedLine line : generate(new Options(5_000, 11, format, 0.2, START))) {
            ParseResult result = parser.parse(line.text());
            if (line.malformed() == null) {
                assertThat(result).isInstanceOf(ParseResult.Parsed.class);
                assertThat(statsView(((ParseResult.Parsed) result).record())).isEqualTo(statsView(line.records().get(0)));
            } else {
                assertThat(result).as(line.text()).isInstanceOfSatisfying(ParseResult.Rejected.class,
                        rejected -> assertThat(rejected.reason()).isEqualTo(line.malformed()));
            }
        }
    }

    @Test
    void theWrittenFileHasTheStatsOfTheGeneratedLines(@TempDir Path dir) throws IOException {
        Options options = new Options(5_000, 5, Format.COMBINED, 0.05, START);
        LogStats expected = new LogStats();
        for (GeneratedLine line : generate(options)) {
            if (line.malformed() == null) {
                expected.add(line.records().get(0));
            } else {
                expected.reject(line.malformed());
            }
        }
        Path file = dir.resolve("access.log");
        Map<RejectReason, Long> written;
        try (OutputStream out = Files.newOutputStream(file)) {
            written = new LogGenerator(options).writeTo(out);
        }

        assertThat(LogStats.of(new Batch<>(LogAnalytics.defaults(), AccessLogParser.DEFAULT_MAX_LINE_LENGTH)
                        .run(List.of(file), Batch.DeadLetterSink.DISCARD, bytes -> {})))
                .isEqualTo(expected);
        Map<String, Long> writtenByKey = new HashMap<>();
        written.forEach((reason, n) -> writtenByKey.put(reason.key(), n));
        assertThat(writtenByKey).isEqualTo(expected.rejectReasons().toMap());
    }

    @Test
    void looksLikeARealSite() {
        List<GeneratedLine> lines = generate(new Options(10_000, 42, Format.COMBINED, 0, START));
        List<LogRecord> records = lines.stream().map(l -> l.records().get(0)).toList();
        Map<String, Integer> clients = new HashMap<>();
        Map<Integer, Integer> statuses = new HashMap<>();
        Set<String> endpoints = new HashSet<>();
        long maxTime = Long.MIN_VALUE;
        int outOfOrder = 0;
        for (LogRecord r : records) {
            clients.merge(r.client(), 1, Integer::sum);
            statuses.merge(r.status(), 1, Integer::sum);
            endpoints.add(r.endpoint());
            outOfOrder += r.timeMillis() < maxTime - 1000 ? 1 : 0;
            maxTime = Math.max(maxTime, r.timeMillis());
        }

        assertThat(clients.size()).isBetween(800, 2_000);
        assertThat(clients.keySet()).anyMatch(c -> c.contains(":")).anyMatch(c -> c.matches(".*[a-z]{3}.*"));
        assertThat(clients.values().stream().mapToInt(Integer::intValue).max().orElseThrow()).isGreaterThan(500);
        assertThat(endpoints.size()).isBetween(150, 300);
        assertThat(endpoints).anyMatch(e -> e.contains("?"));
        assertThat(statuses.get(200)).isGreaterThan(7_000);
        assertThat(statuses.get(304)).isGreaterThan(statuses.get(404)).isGreaterThan(0);
        assertThat(statuses).containsKeys(301, 302, 403, 500);
        assertThat(records).filteredOn(r -> r.status() == 304).allMatch(r -> r.bytesSent() == -1);
        assertThat(lines).anyMatch(l -> l.text().contains("\\\""));
        assertThat(outOfOrder).isBetween(10, 300);
        assertThat(records.get(0).timeMillis()).isBetween(START.toEpochMilli() - 5_000, START.toEpochMilli() + 1_000);
        assertThat(records.get(records.size() - 1).timeMillis() - START.toEpochMilli()).isBetween(20_000L, 80_000L);
        assertThat(records.subList(0, 5_000)).allMatch(r -> r.zoneOffsetSeconds() == 3_600);
        assertThat(records.subList(5_000, 10_000)).allMatch(r -> r.zoneOffsetSeconds() == 7_200);
    }

    /** The fields statistics look at, plus those the renderer writes in every format. */
    private static List<Object> statsView(LogRecord r) {
        return List.of(r.client(), r.ident(), r.user(), r.timeMillis(), r.zoneOffsetSeconds(), r.method(), r.endpoint(),
                r.protocol(), r.status(), r.bytesSent());
    }

    private static List<GeneratedLine> generate(Options options) {
        List<GeneratedLine> lines = new ArrayList<>();
        new LogGenerator(options).forEachRemaining(lines::add);
        return lines;
    }

    private static byte[] bytes(Options options) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LogGenerator(options).writeTo(out);
        return out.toByteArray();
    }
}
