package io.stormwatch.core.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.gen.LogGenerator.Format;
import io.stormwatch.core.gen.LogGenerator.GeneratedLine;
import io.stormwatch.core.gen.LogGenerator.Options;
import io.stormwatch.core.log.AccessLogFormats;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.ParseResult;
import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.window.WindowSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    /**
     * SHA-256 of what the generator wrote for these options before span and populations existed (computed
     * with that code): without a span and with the default populations nothing may change, byte for byte.
     */
    @ParameterizedTest
    @CsvSource({
        "20000, 42, COMBINED, 0,    2024-03-31T00:00:00Z, cc613257c27daabd173d119fc72a4708bf5ca2511c56fb3a26f84b392d29e752",
        "20000, 7,  COMMON,   0.05, 2024-03-31T00:00:00Z, 6cbe6df8d526098aca9498f864c41b0ff86105fde27fe2ea7e26f21d8184a2aa",
        "5000,  3,  COMBINED, 1,    2020-02-29T12:00:00Z, 1be13407f36718ba2d5404e60b0384f7d83ec82ba193b936a0627cba2e4032cb",
        "0,     42, COMBINED, 0,    2024-03-31T00:00:00Z, e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    })
    void withoutSpanAndWithTheDefaultPopulationsTheBytesAreThoseOfBefore(long lines, long seed, Format format,
            double malformedRatio, Instant start, String sha256) throws IOException, NoSuchAlgorithmException {
        Options old = new Options(lines, seed, format, malformedRatio, start);
        Options spelledOut = new Options(lines, seed, format, malformedRatio, start, null,
                LogGenerator.DEFAULT_CLIENTS, LogGenerator.DEFAULT_ENDPOINTS);

        assertThat(spelledOut).isEqualTo(old);
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes(old)))).isEqualTo(sha256);
    }

    @Test
    void spanAndPopulationsAreDeterministicToo() throws IOException {
        Options options = new Options(20_000, 7, Format.COMBINED, 0.05, START, Duration.ofDays(3), 30_000, 20_000);

        byte[] first = bytes(options);

        assertThat(bytes(options)).isEqualTo(first);
        assertThat(bytes(new Options(20_000, 8, Format.COMBINED, 0.05, START, Duration.ofDays(3), 30_000, 20_000)))
                .isNotEqualTo(first);
    }

    /**
     * With a span the log covers about it from the start; lines only go back for the ~1 % out-of-order
     * ones, by at most 5 s. An out-of-order line is behind the latest one only when it went back further
     * than the gap since: with 100,000 lines in 30 days (26 s apart) about one in ten is, so 1,000 × mean
     * over k = 1..5 s of P(exponential gap < k) lines are seen going back: ~108, ~832, ~1,000.
     */
    @ParameterizedTest
    @CsvSource({"30d, 60, 160", "36h, 700, 970", "90m, 850, 1150"})
    void aSpanIsTheTimeTheLogCovers(String span, int minBack, int maxBack) {
        long spanMillis = WindowSpec.parseDuration(span);
        int lines = 100_000;
        List<LogRecord> records = generate(new Options(lines, 42, Format.COMBINED, 0, START)
                .withSpan(Duration.ofMillis(spanMillis))).stream().map(l -> l.records().get(0)).toList();
        long maxTime = records.get(0).timeMillis();
        int back = 0;
        for (LogRecord r : records) {
            assertThat(r.timeMillis()).as("at most 5 s behind the latest line so far").isGreaterThanOrEqualTo(maxTime - 5_000);
            back += r.timeMillis() < maxTime ? 1 : 0;
            maxTime = Math.max(maxTime, r.timeMillis());
        }
        long covered = records.get(lines - 1).timeMillis() - records.get(0).timeMillis();

        assertThat((double) covered).isBetween(spanMillis * 0.95, spanMillis * 1.05);
        assertThat(records.get(0).timeMillis()).isBetween(START.toEpochMilli() - 5_000, START.toEpochMilli() + spanMillis / 1_000);
        assertThat(back).as("lines behind the latest").isBetween(minBack, maxBack);
    }

    /**
     * The cardinality test the populations are for, on a tenth of the scale: N lines over N endpoints and
     * N / 2 clients see nearly all of them. Small populations keep their hot keys.
     */
    @ParameterizedTest
    @CsvSource({
        // lines,  clients, endpoints, min distinct clients, min distinct endpoints, hot factor
        "100000,   50000,   100000,    40000,                95000,                  100",
        "100000,   2000,    300,       1000,                 200,                    50",
        "100000,   4000,    1000,      3500,                 950,                    50",
        "100000,   10,      5,         10,                   5,                      2",
    })
    void populationsAreAsLargeAsAskedAndNearlyAllSeen(int lines, int clients, int endpoints, int minClients,
            int minEndpoints, int hotFactor) {
        Map<String, Integer> clientCounts = new HashMap<>();
        Map<String, Integer> endpointCounts = new HashMap<>();
        new LogGenerator(new Options(lines, 42, Format.COMBINED, 0, START).withClients(clients).withEndpoints(endpoints))
                .forEachRemaining(line -> {
                    LogRecord r = line.records().get(0);
                    clientCounts.merge(r.client(), 1, Integer::sum);
                    endpointCounts.merge(r.endpoint(), 1, Integer::sum);
                });

        assertThat(clientCounts.size()).isBetween(minClients, clients);
        assertThat(endpointCounts.size()).isBetween(minEndpoints, endpoints);
        // Hot keys: the most requested endpoint and client take several times an even share.
        assertThat(Collections.max(endpointCounts.values())).isGreaterThan(hotFactor * lines / endpoints);
        assertThat(Collections.max(clientCounts.values())).isGreaterThan(hotFactor * lines / clients);
        assertThat(endpointCounts).containsKey("/");
    }

    @Test
    void synthesizedKeysAreDistinctAndLookReal() {
        int clients = 400_000;
        int endpoints = 300_000;
        LogGenerator generator = new LogGenerator(new Options(1, 42, Format.COMBINED, 0, START)
                .withClients(clients).withEndpoints(endpoints));
        Set<String> clientNames = new HashSet<>();
        for (int i = 0; i < clients; i++) {
            clientNames.add(generator.client(i));
        }
        Set<String> endpointNames = new HashSet<>();
        for (int i = 0; i < endpoints; i++) {
            endpointNames.add(generator.endpoint(i));
        }

        assertThat(clientNames).hasSize(clients);
        assertThat(endpointNames).hasSize(endpoints);
        String octet = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
        String ipv4 = octet + "\\." + octet + "\\." + octet + "\\." + octet;
        String ipv6 = "[0-9a-f]{1,4}(:[0-9a-f]{1,4}){3}::[0-9a-f]{1,4}";
        String host = "[a-z0-9-]+(\\.[a-z0-9-]+)+";
        assertThat(clientNames).allMatch(c -> c.matches(ipv4) || c.matches(ipv6) || c.matches(host), "an IPv4, IPv6 or host name");
        long v6 = clientNames.stream().filter(c -> c.contains(":")).count();
        long hosts = clientNames.stream().filter(c -> c.matches(".*[g-z].*")).count();
        assertThat((double) v6 / clients).isBetween(0.08, 0.12);
        assertThat((double) hosts / clients).isBetween(0.03, 0.07);
        assertThat(endpointNames).allMatch(e -> e.startsWith("/") && !e.contains(" ") && !e.contains("\""));
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
        Options ok = new Options(10, 1, Format.COMMON, 0, START);
        assertThatThrownBy(() -> new Options(10, 1, Format.COMMON, 1.5, START))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Options(10, 1, Format.COMMON, Double.NaN, START))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Options(-1, 1, Format.COMMON, 0, START))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withSpan(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withSpan(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withSpan(Duration.ofDays(365L * 1_000_000))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too long");
        assertThatThrownBy(() -> ok.withClients(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ok.withEndpoints(-5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ok.withSpan(Duration.ofMillis(1)).withClients(1).withEndpoints(Integer.MAX_VALUE).endpoints())
                .isEqualTo(Integer.MAX_VALUE);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void goodLinesParseToTheirRecordsAndMalformedOnesAreRejectedForTheirReason(Format format) {
        assertParsedAsGenerated(format, new Options(5_000, 11, format, 0.2, START));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void synthesizedKeysParseToo(Format format) {
        assertParsedAsGenerated(format, new Options(5_000, 11, format, 0.2, START, Duration.ofDays(30), 1_000_000, 1_000_000));
    }

    private static void assertParsedAsGenerated(Format format, Options options) {
        AccessLogParser parser = AccessLogFormats.parser(format.name().toLowerCase());
        for (GeneratedLine line : generate(options)) {
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
