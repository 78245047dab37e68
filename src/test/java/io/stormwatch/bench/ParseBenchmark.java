package io.stormwatch.bench;

import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.core.job.BlockCounter;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.log.AccessLogFormats;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.log.AccessLogRenderer;
import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.ParseResult;
import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.core.window.WindowSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import nl.basjes.parse.core.Field;
import nl.basjes.parse.core.Parser;
import nl.basjes.parse.core.exceptions.DissectionFailure;
import nl.basjes.parse.core.exceptions.InvalidDissectorException;
import nl.basjes.parse.core.exceptions.MissingDissectorsException;
import nl.basjes.parse.httpdlog.HttpdLoglineParser;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parse + aggregate throughput over realistic Combined lines, in lines per second (one operation is one
 * line): stormwatch's parser (strict {@code combined} and the default {@code auto}) against
 * nl.basjes httpdlog-parser, each feeding the same {@link LogStats}, plus our parsing alone to show the
 * aggregate's share, and what the parse bolt does per block ({@link BlockCounter}: extract, count into the
 * pane tallies of a 30 s / 10 s window, cut by pane) over blocks of 1,024 lines. Run with
 * {@code bin/bench ParseBenchmark}.
 *
 * <p>The lines are rendered in {@link #generate} from a seeded {@link Random}, with skewed clients and
 * endpoints as real traffic has (a few hot ones, a long tail), so map look-ups in the aggregate cost what they
 * would in production.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ParseBenchmark {

    static final int LINES = 100_000;

    private List<String> lines;
    private AccessLogParser combined;
    private AccessLogParser auto;
    private Parser<BasjesRecord> basjes;
    private String[][] blocks;
    private long[][] blockOffsets;
    private long[] blockEnds;
    private BlockCounter<?> counter;

    @Setup
    public void setUp() {
        lines = generate(LINES, new Random(42));
        combined = AccessLogFormats.parser(AccessLogFormats.COMBINED);
        auto = AccessLogFormats.parser(AccessLogFormats.AUTO);
        basjes = new HttpdLoglineParser<>(BasjesRecord.class, AccessLogFormats.COMBINED_FORMAT);
        LogStats check = aggregate(combined, lines);
        if (check.records() != LINES) {
            throw new IllegalStateException("generated lines do not all parse: " + check);
        }
        cutBlocks(generatorLines(LINES), 1024);
        counter = new BlockCounter<>(LogAnalytics.defaults(), WindowSpec.parse("30s", "10s", "5s"),
                AccessLogParser.DEFAULT_MAX_LINE_LENGTH);
        List<String> sample = lines.subList(0, 2_000);
        if (!aggregateWithBasjes(sample).equals(aggregate(combined, sample))) {
            throw new IllegalStateException("httpdlog-parser and stormwatch disagree on the generated lines");
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public LogStats stormwatchCombined() {
        return aggregate(combined, lines);
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public LogStats stormwatchAuto() {
        return aggregate(auto, lines);
    }

    /** Parsing alone, to tell the parser's share of {@link #stormwatchCombined} from the aggregate's. */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void stormwatchCombinedParseOnly(Blackhole blackhole) {
        for (String line : lines) {
            blackhole.consume(combined.parse(line));
        }
    }

    /**
     * The parse bolt's work: blocks of 1,024 lines (from the generator, not {@link #generate}: its pace puts a
     * block into one or two panes, as in a real log) counted into pane tallies, as {@code BlockCounter} does it.
     */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void blockCounter(Blackhole blackhole) {
        for (int b = 0; b < blocks.length; b++) {
            blackhole.consume(counter.count(0, BlockPosition.whole(0, b), "bench.log", blocks[b], blockOffsets[b],
                    blockEnds[b]));
        }
    }

    /** Lines as {@code stormwatch generate} writes them: a line every ~4 ms, so a block spans a pane or two. */
    private static List<String> generatorLines(int n) {
        LogGenerator generator = new LogGenerator(new LogGenerator.Options(n, 42, LogGenerator.Format.COMBINED, 0.0,
                LogGenerator.DEFAULT_START));
        List<String> generated = new ArrayList<>(n);
        while (generator.hasNext()) {
            generated.add(generator.next().text());
        }
        return generated;
    }

    private void cutBlocks(List<String> lines, int size) {
        int count = (lines.size() + size - 1) / size;
        blocks = new String[count][];
        blockOffsets = new long[count][];
        blockEnds = new long[count];
        long offset = 0;
        for (int b = 0; b < count; b++) {
            List<String> part = lines.subList(b * size, Math.min(lines.size(), (b + 1) * size));
            blocks[b] = part.toArray(new String[0]);
            blockOffsets[b] = new long[part.size()];
            for (int i = 0; i < part.size(); i++) {
                blockOffsets[b][i] = offset;
                offset += part.get(i).length() + 1;
            }
            blockEnds[b] = offset;
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public LogStats basjes() {
        return aggregateWithBasjes(lines);
    }

    private LogStats aggregateWithBasjes(List<String> lines) {
        LogStats stats = new LogStats();
        for (String line : lines) {
            try {
                stats.add(basjes.parse(line).toLogRecord());
            } catch (DissectionFailure | InvalidDissectorException | MissingDissectorsException e) {
                stats.reject(RejectReason.MALFORMED);
            }
        }
        return stats;
    }

    private static LogStats aggregate(AccessLogParser parser, List<String> lines) {
        LogStats stats = new LogStats();
        for (String line : lines) {
            ParseResult result = parser.parse(line);
            if (result instanceof ParseResult.Parsed parsed) {
                stats.add(parsed.record());
            } else {
                stats.reject(((ParseResult.Rejected) result).reason());
            }
        }
        return stats;
    }

    /** The fields of one line as httpdlog-parser hands them over, turned into the same record ours makes. */
    public static final class BasjesRecord {
        private String client;
        private String ident;
        private String user;
        private long timeMillis;
        private String method;
        private String uri;
        private String protocol;
        private int status;
        private long bytes = -1;
        private String referer;
        private String userAgent;

        @Field("IP:connection.client.host")
        public void setClient(String value) {
            client = value;
        }

        @Field("NUMBER:connection.client.logname")
        public void setIdent(String value) {
            ident = value;
        }

        @Field("STRING:connection.client.user")
        public void setUser(String value) {
            user = value;
        }

        @Field("TIME.EPOCH:request.receive.time.epoch")
        public void setTime(Long value) {
            timeMillis = value;
        }

        @Field("HTTP.METHOD:request.firstline.method")
        public void setMethod(String value) {
            method = value;
        }

        @Field("HTTP.URI:request.firstline.uri")
        public void setUri(String value) {
            uri = value;
        }

        @Field("HTTP.PROTOCOL_VERSION:request.firstline.protocol")
        public void setProtocol(String value) {
            protocol = value;
        }

        @Field("STRING:request.status.last")
        public void setStatus(String value) {
            status = Integer.parseInt(value);
        }

        @Field("BYTESCLF:response.body.bytes")
        public void setBytes(Long value) {
            bytes = value == null ? -1 : value;
        }

        @Field("HTTP.URI:request.referer")
        public void setReferer(String value) {
            referer = value;
        }

        @Field("HTTP.USERAGENT:request.user-agent")
        public void setUserAgent(String value) {
            userAgent = value;
        }

        LogRecord toLogRecord() {
            return new LogRecord(client, ident, user, timeMillis, 0, method, uri, protocol, status, bytes, referer,
                    userAgent, null, -1);
        }
    }

    private static final String[] USER_AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "python-requests/2.31.0",
        "Go-http-client/1.1",
    };
    private static final String[] SECTIONS = {"products", "blog", "static/css", "static/js", "images", "api/v1/items",
        "search", "account", "cart", "docs"};

    /**
     * {@code n} Combined lines, one second apart on average, mostly {@code +0100}. Clients and endpoints are
     * drawn as {@code pool * u^3} for uniform {@code u}: the first few get most requests.
     */
    static List<String> generate(int n, Random random) {
        List<String> clients = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            clients.add(switch (i % 10) {
                case 0 -> "2001:db8:" + Integer.toHexString(random.nextInt(0xffff)) + "::" + Integer.toHexString(i);
                case 1 -> "host-" + i + ".dsl.example.net";
                default -> (1 + random.nextInt(223)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                        + random.nextInt(256);
            });
        }
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String section = SECTIONS[i % SECTIONS.length];
            endpoints.add(i % 7 == 0 ? "/" + section + "/item-" + i + "?page=" + (i % 13) + "&sort=price"
                    : "/" + section + "/" + Integer.toString(i, 36) + (i % 3 == 0 ? ".html" : ".png"));
        }
        List<String> result = new ArrayList<>(n);
        long millis = Instant.parse("2024-03-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < n; i++) {
            millis += random.nextInt(2_000) / 1000 * 1000;
            int status = pickStatus(random.nextInt(100));
            String endpoint = endpoints.get(skewed(random, endpoints.size()));
            String referer = random.nextInt(10) < 4 ? null
                    : "https://www.example.com" + endpoints.get(skewed(random, endpoints.size()));
            LogRecord record = new LogRecord(clients.get(skewed(random, clients.size())), "-",
                    random.nextInt(50) == 0 ? "alice" : "-", millis, random.nextInt(20) == 0 ? 0 : 3600,
                    random.nextInt(10) == 0 ? "POST" : "GET", endpoint, random.nextInt(5) == 0 ? "HTTP/2.0" : "HTTP/1.1",
                    status, status == 304 ? -1 : random.nextInt(200_000), referer,
                    USER_AGENTS[skewed(random, USER_AGENTS.length)], null, -1);
            result.add(AccessLogRenderer.combined(record));
        }
        return result;
    }

    private static int skewed(Random random, int size) {
        double u = random.nextDouble();
        return (int) (size * u * u * u);
    }

    private static int pickStatus(int percent) {
        if (percent < 80) {
            return 200;
        }
        if (percent < 88) {
            return 304;
        }
        if (percent < 94) {
            return 404;
        }
        if (percent < 98) {
            return 302;
        }
        return percent < 99 ? 500 : 403;
    }
}
