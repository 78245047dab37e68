package io.stormwatch.core.gen;

import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.log.AccessLogRenderer;
import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.RejectReason;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Writes a realistic access log, the same bytes for the same options on any JVM.
 *
 * <p>What the log looks like:
 * <ul>
 *   <li>By default 2,000 clients (about 85 % IPv4, 10 % IPv6, 5 % host names) and 300 endpoints (pages,
 *       static files, API calls with query strings, a few scanner probes that get 404), both requested with
 *       a Zipf-like skew: a handful of clients and endpoints take most requests.</li>
 *   <li>{@code clients} and {@code endpoints} change the population sizes. Fewer keep the most popular ones
 *       of the default pool and its skew. More add synthesized keys beyond the pool: clients in the same
 *       proportions of IPv4, IPv6 and host names, each with its own user agent; endpoints like
 *       {@code /item/<n>}, {@code /item/<n>?ref=<word>}, {@code /p/<base36>}, {@code /api/v2/items/<n>},
 *       {@code /images/u/<n>.jpg} (static, a fixed size) and {@code /tag/<word>/<n>}. A request then goes to
 *       the default pool, with its skew, with probability {@code max(3 %, (pool / population)^0.6)}
 *       (pool = 2,000 clients or 300 endpoints), and otherwise to the next synthesized key in a fixed
 *       pseudo-random order, which runs through all of them before any comes again (see {@link Population}).
 *       So a large population is a cardinality test: 1 M lines over 1 M endpoints and 500 k clients hold
 *       about 970 k distinct endpoints and nearly all 500 k clients, with the pool's few hot keys still on top;
 *       600 endpoints are 66 % skewed and 34 % even. Synthesized keys are computed from their index, nothing
 *       is stored per key, and never collide with the pool's.</li>
 *   <li>Status mix of a real site: mostly 200, then 304, 404, 301/302, 206, 500, 403, ...; 304s, HEADs and
 *       some redirects and errors have a {@code -} size; static files always have their same size.</li>
 *   <li>Combined format: referers (none, internal, search engines) and a user agent per client, a few with
 *       escaped quotes and backslashes.</li>
 *   <li>Time advances by about 4 ms a line (exponential gaps) from {@code start}, written to the second as
 *       Apache does; with a {@code span}, by {@code span / lines} on average, so the log covers about
 *       {@code span}. About 1 % of lines are out of order, 1 to 5 seconds back. Halfway through the file
 *       the zone offset changes from +01:00 to +02:00 (a daylight-saving switch: the instants go on, only
 *       their written offset changes).</li>
 *   <li>A share {@code malformedRatio} of lines is malformed, of every {@link RejectReason}: empty or blank;
 *       too long (a request longer than {@link AccessLogParser#DEFAULT_MAX_LINE_LENGTH}); binary junk
 *       (control bytes, no newline in it); invalid UTF-8 bytes where the status belongs; truncated (cut
 *       inside the time or a quoted field); glued (two records without a newline between them); malformed
 *       (complete, but the status is not a number or the time is not Apache's).</li>
 * </ul>
 *
 * <p>Randomness comes only from {@link Random} seeded with {@code seed}, {@link StrictMath} and integer
 * hashing, whose results the Java specification fixes, so the output is the same across JVMs and
 * platforms. Without a {@code span} and with the default populations the output is the same as before
 * these options existed, byte for byte (the checked-in sample and the tests depend on it).
 */
public final class LogGenerator implements Iterator<LogGenerator.GeneratedLine> {

    /** The default first timestamp. */
    public static final Instant DEFAULT_START = Instant.parse("2024-03-31T00:00:00Z");

    public enum Format { COMMON, COMBINED }

    /** The default number of clients, the hand-made pool. */
    public static final int DEFAULT_CLIENTS = 2_000;

    /** The default number of endpoints, the hand-made pool. */
    public static final int DEFAULT_ENDPOINTS = 300;

    /**
     * @param lines          how many lines to write (a glued line counts once)
     * @param malformedRatio probability that a line is malformed, 0 to 1
     * @param start          time of the first line
     * @param span           about how long after {@code start} the last line is, positive; null for the
     *                       default pace of about 4 ms a line
     * @param clients        how many distinct clients there are, at least 1
     * @param endpoints      how many distinct endpoints there are, at least 1
     */
    public record Options(long lines, long seed, Format format, double malformedRatio, Instant start, Duration span,
                          int clients, int endpoints) {
        public Options {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(start, "start");
            if (lines < 0) {
                throw new IllegalArgumentException("lines must be >= 0: " + lines);
            }
            if (!(malformedRatio >= 0 && malformedRatio <= 1)) {
                throw new IllegalArgumentException("malformed ratio must be within [0, 1]: " + malformedRatio);
            }
            if (span != null) {
                if (span.isNegative() || span.isZero()) {
                    throw new IllegalArgumentException("span must be positive: " + span);
                }
                try {
                    Math.addExact(Math.multiplyExact(start.toEpochMilli(), 1000L), micros(span));
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException("span too long from " + start + ": " + span, e);
                }
            }
            if (clients < 1) {
                throw new IllegalArgumentException("clients must be >= 1: " + clients);
            }
            if (endpoints < 1) {
                throw new IllegalArgumentException("endpoints must be >= 1: " + endpoints);
            }
        }

        /** No span, the default populations: the options there were before span and populations. */
        public Options(long lines, long seed, Format format, double malformedRatio, Instant start) {
            this(lines, seed, format, malformedRatio, start, null, DEFAULT_CLIENTS, DEFAULT_ENDPOINTS);
        }

        public Options withSpan(Duration span) {
            return new Options(lines, seed, format, malformedRatio, start, span, clients, endpoints);
        }

        public Options withClients(int clients) {
            return new Options(lines, seed, format, malformedRatio, start, span, clients, endpoints);
        }

        public Options withEndpoints(int endpoints) {
            return new Options(lines, seed, format, malformedRatio, start, span, clients, endpoints);
        }

        private static long micros(Duration d) {
            return Math.addExact(Math.multiplyExact(d.getSeconds(), 1_000_000L), d.getNano() / 1_000);
        }
    }

    /**
     * One line, without its terminator.
     *
     * @param bytes     what is written
     * @param records   the records the line holds: one for a good line, two for a glued one, none otherwise
     * @param malformed why a parser must reject the line, or null for a good line
     */
    public record GeneratedLine(byte[] bytes, List<LogRecord> records, RejectReason malformed) {
        /** The line as a reader of the log gets it ({@link LineReader#decode}). */
        public String text() {
            return LineReader.decode(bytes, 0, bytes.length);
        }
    }

    private static final int CLIENTS = DEFAULT_CLIENTS;
    private static final int ENDPOINTS = DEFAULT_ENDPOINTS;
    private static final double MEAN_GAP_MICROS = 4_000;
    private static final double OUT_OF_ORDER_RATIO = 0.01;
    private static final int ZONE_BEFORE_SECONDS = 3_600;
    private static final int ZONE_AFTER_SECONDS = 7_200;

    private static final String[] WORDS = {
        "storm", "spark", "kafka", "redis", "window", "stream", "tuple", "bolt", "spout", "topology", "shoes",
        "laptop", "coffee", "garden", "winter", "summer", "river", "camera", "guitar", "bicycle", "book",
        "phone", "lamp", "desk", "chair", "travel", "recipe", "pizza", "weather", "news"};

    private static final String[] USER_AGENTS = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Mobile Safari/537.36",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "Wget/1.21.4",
        "python-requests/2.31.0",
        "Go-http-client/1.1",
        "Apache-HttpClient/4.5.14 (Java/17.0.10)",
        "Mozilla/5.0 (compatible; \"SiteChecker\" monitor/2.3)",
        "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; \"Agent\\Proxy\")",
        "-",
    };
    private static final String[] USERS = {"alice", "bob", "frank", "mallory"};
    private static final String[] SCANNER_PATHS = {"/wp-login.php", "/.env", "/xmlrpc.php", "/phpmyadmin/index.php"};
    private static final int[] IPV6_PREFIXES = {0x2001, 0x2a02, 0x2600, 0x2c0f};
    /** First octets of synthesized IPv4 clients: those the pool uses too (unicast, not 10/8 or loopback). */
    private static final int[] IPV4_FIRST_OCTETS = IntStream.rangeClosed(1, 223)
            .filter(first -> first != 10 && first != 127).toArray();
    private static final String[] HOST_KINDS = {"dsl-", "cable-", "mobile-"};

    private static final int[] STATUSES = {200, 304, 404, 301, 302, 206, 500, 403, 401, 503, 400, 201};
    private static final double[] STATUS_WEIGHTS = {780, 80, 50, 20, 20, 10, 10, 10, 5, 5, 5, 5};
    private static final String[] METHODS = {"GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS"};
    private static final double[] METHOD_WEIGHTS = {900, 60, 30, 4, 3, 3};
    private static final String[] PROTOCOLS = {"HTTP/1.1", "HTTP/2.0", "HTTP/1.0"};
    private static final double[] PROTOCOL_WEIGHTS = {85, 10, 5};
    private static final RejectReason[] MALFORMED_KINDS = {
        RejectReason.EMPTY, RejectReason.TOO_LONG, RejectReason.BINARY, RejectReason.INVALID_UTF8,
        RejectReason.TRUNCATED, RejectReason.GLUED, RejectReason.MALFORMED};
    // Too-long lines are 64 KiB each: rare, so a sample file stays small.
    private static final double[] MALFORMED_WEIGHTS = {3, 1, 3, 3, 5, 3, 4};

    private final Options options;
    private final Random random;
    private final String[] clients;
    private final String[] clientAgents;
    private final double[] agentCumulative;
    private final Population clientPopulation;
    private final String[] endpoints;
    private final long[] endpointSizes;
    private final boolean[] endpointStatic;
    private final boolean[] endpointScanner;
    private final Population endpointPopulation;
    private final double meanGapMicros;
    /** Salts the hashes that name and size synthesized keys, so another seed gives other keys. */
    private final long keySalt;
    /** The pool's clients, to steer synthesized ones clear of them; built only when there are such. */
    private Set<String> poolClients;
    private long clockMicros;
    private long written;

    public LogGenerator(Options options) {
        this.options = options;
        this.random = new Random(options.seed());
        this.clockMicros = Math.multiplyExact(options.start().toEpochMilli(), 1000L);
        this.clients = clientPool();
        this.clientAgents = new String[CLIENTS];
        double[] agentWeights = zipfWeights(USER_AGENTS.length, 1.0);
        for (int i = 0; i < CLIENTS; i++) {
            clientAgents[i] = USER_AGENTS[pick(agentWeights)];
        }
        this.agentCumulative = cumulative(agentWeights);
        this.keySalt = Permutation.mix(options.seed() ^ 0x5DEECE66DL);
        this.clientPopulation = new Population(options.clients(), CLIENTS, 1.0, keySalt + 1);
        this.endpoints = endpointPool();
        this.endpointSizes = new long[ENDPOINTS];
        this.endpointStatic = new boolean[ENDPOINTS];
        this.endpointScanner = new boolean[ENDPOINTS];
        for (int i = 0; i < ENDPOINTS; i++) {
            String e = endpoints[i];
            endpointScanner[i] = Arrays.asList(SCANNER_PATHS).contains(e);
            endpointStatic[i] = e.startsWith("/static/") || e.startsWith("/images/") || e.startsWith("/downloads/")
                    || e.equals("/favicon.ico") || e.equals("/robots.txt");
            long base = e.startsWith("/images/") ? 20_000 : e.startsWith("/static/") ? 40_000
                    : e.startsWith("/downloads/") ? 400_000 : e.startsWith("/api/") ? 800 : 9_000;
            endpointSizes[i] = Math.max(40, Math.round(base * StrictMath.exp(random.nextGaussian() * 0.6)));
        }
        this.endpointPopulation = new Population(options.endpoints(), ENDPOINTS, 1.1, keySalt + 2);
        this.meanGapMicros = options.span() == null || options.lines() == 0 ? MEAN_GAP_MICROS
                : (double) Options.micros(options.span()) / options.lines();
    }

    /** Writes all lines, each followed by {@code \n}; returns how many lines of each kind were written. */
    public Map<RejectReason, Long> writeTo(OutputStream out) throws IOException {
        Map<RejectReason, Long> malformed = new EnumMap<>(RejectReason.class);
        while (hasNext()) {
            GeneratedLine line = next();
            out.write(line.bytes());
            out.write('\n');
            if (line.malformed() != null) {
                malformed.merge(line.malformed(), 1L, Long::sum);
            }
        }
        return malformed;
    }

    @Override
    public boolean hasNext() {
        return written < options.lines();
    }

    @Override
    public GeneratedLine next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int zone = written < options.lines() / 2 ? ZONE_BEFORE_SECONDS : ZONE_AFTER_SECONDS;
        written++;
        if (random.nextDouble() < options.malformedRatio()) {
            return malformed(MALFORMED_KINDS[pick(MALFORMED_WEIGHTS)], zone);
        }
        LogRecord r = record(zone);
        return new GeneratedLine(ascii(render(r)), List.of(r), null);
    }

    private GeneratedLine malformed(RejectReason kind, int zone) {
        return switch (kind) {
            case EMPTY -> new GeneratedLine(ascii(" ".repeat(random.nextInt(3))), List.of(), kind);
            case TOO_LONG -> {
                LogRecord r = record(zone);
                String query = "A".repeat(AccessLogParser.DEFAULT_MAX_LINE_LENGTH + 1 + random.nextInt(1000));
                LogRecord huge = new LogRecord(r.client(), r.ident(), r.user(), r.timeMillis(), r.zoneOffsetSeconds(),
                        "GET", "/search?q=" + query, r.protocol(), 414, 226, r.referer(), r.userAgent(), null, -1);
                yield new GeneratedLine(ascii(render(huge)), List.of(), kind);
            }
            case BINARY -> new GeneratedLine(binaryJunk(), List.of(), kind);
            case INVALID_UTF8 -> {
                byte[] line = ascii(render(record(zone)));
                int status = statusIndex(line);
                line[status] = (byte) 0xFF;
                line[status + 1] = (byte) 0xC3;
                line[status + 2] = (byte) 0x28; // 0xC3 needs a continuation byte, '(' is not one
                yield new GeneratedLine(line, List.of(), kind);
            }
            case TRUNCATED -> new GeneratedLine(ascii(truncated(render(record(zone)))), List.of(), kind);
            case GLUED -> {
                LogRecord first = record(zone);
                LogRecord second = record(zone);
                yield new GeneratedLine(ascii(render(first) + render(second)), List.of(first, second), kind);
            }
            case MALFORMED -> {
                String line = render(record(zone));
                if (random.nextBoolean()) {
                    int status = statusIndex(ascii(line));
                    line = line.substring(0, status) + "OK" + line.substring(status + 3);
                } else {
                    int open = line.indexOf('[');
                    int close = line.indexOf(']', open);
                    line = line.substring(0, open + 1) + "2024-03-31T00:00:00Z" + line.substring(close);
                }
                yield new GeneratedLine(ascii(line), List.of(), kind);
            }
        };
    }

    private LogRecord record(int zone) {
        clockMicros += Math.round(-meanGapMicros * StrictMath.log(1 - random.nextDouble()));
        long timeMicros = clockMicros;
        if (random.nextDouble() < OUT_OF_ORDER_RATIO) {
            timeMicros -= (1 + random.nextInt(5)) * 1_000_000L;
        }
        long timeMillis = Math.floorDiv(timeMicros, 1_000_000L) * 1000; // Apache writes whole seconds
        int client = clientPopulation.draw(random.nextDouble());
        int endpoint = endpointPopulation.draw(random.nextDouble());
        String method = METHODS[pick(METHOD_WEIGHTS)];
        int status = endpoint < ENDPOINTS && endpointScanner[endpoint] ? (random.nextInt(10) == 0 ? 403 : 404)
                : STATUSES[pick(STATUS_WEIGHTS)];
        long bytes = method.equals("HEAD") ? -1 : size(status, endpoint);
        String user = random.nextInt(100) < 3 ? USERS[random.nextInt(USERS.length)] : "-";
        boolean combined = options.format() == Format.COMBINED;
        return new LogRecord(client(client), "-", user, timeMillis, zone, method, endpoint(endpoint),
                PROTOCOLS[pick(PROTOCOL_WEIGHTS)], status, bytes, combined ? referer() : null,
                combined ? agent(client) : null, null, -1);
    }

    private long size(int status, int endpoint) {
        long base = endpoint < ENDPOINTS ? endpointSizes[endpoint] : syntheticEndpointSize(endpoint - ENDPOINTS);
        boolean fixedSize = endpoint < ENDPOINTS ? endpointStatic[endpoint] : syntheticEndpointStatic(endpoint - ENDPOINTS);
        return switch (status) {
            case 200 -> fixedSize ? base
                    : Math.max(1, Math.round(base * StrictMath.exp(random.nextGaussian() * 0.3)));
            case 206 -> 1 + random.nextInt((int) Math.min(base, 1 << 20));
            case 304 -> -1;
            case 301, 302, 500, 503 -> random.nextBoolean() ? -1 : 200 + random.nextInt(350);
            default -> 150 + random.nextInt(350);
        };
    }

    private String referer() {
        int kind = random.nextInt(100);
        if (kind < 45) {
            return "-";
        }
        if (kind < 80) {
            // From the pool only: a referer must not use up a synthesized endpoint's turn.
            return "https://www.example.com" + endpoint(endpointPopulation.drawHot(random.nextDouble()));
        }
        if (kind < 95) {
            return "https://www.google.com/search?q=" + WORDS[random.nextInt(WORDS.length)];
        }
        return "https://news.ycombinator.com/";
    }

    private String render(LogRecord r) {
        return options.format() == Format.COMBINED ? AccessLogRenderer.combined(r) : AccessLogRenderer.common(r);
    }

    /** Cuts inside the time field or a quoted field, so no shorter format could still accept the rest. */
    private String truncated(String line) {
        int from;
        int to;
        int field = random.nextInt(options.format() == Format.COMBINED ? 3 : 2);
        if (field == 0) {
            from = line.indexOf('[') + 1;
            to = line.indexOf(']', from);
        } else if (field == 1) {
            from = line.indexOf("] \"") + 3;
            to = closingQuote(line, from);
        } else {
            to = line.length() - 1;
            from = to - 1;
            while (line.charAt(from) != '"' || line.charAt(from - 1) != ' ' || line.charAt(from - 2) != '"') {
                from--;
            }
            from++;
        }
        return line.substring(0, from + random.nextInt(to - from + 1));
    }

    private static int closingQuote(String line, int from) {
        for (int i = from; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        throw new IllegalStateException("unterminated quote in " + line);
    }

    /** Index of the status's first byte: right after the request's closing quote and a space. */
    private static int statusIndex(byte[] line) {
        String text = new String(line, StandardCharsets.US_ASCII);
        return closingQuote(text, text.indexOf("] \"") + 3) + 2;
    }

    private byte[] binaryJunk() {
        byte[] junk = new byte[8 + random.nextInt(120)];
        if (random.nextBoolean()) {
            return junk; // NUL padding, as a crash leaves at the end of a pre-allocated file
        }
        for (int i = 0; i < junk.length; i++) {
            // Control bytes other than line breaks and the blank-like ones, mixed with printable ASCII.
            int b = random.nextInt(3) == 0 ? "\u0000\u0001\u0002\u0003\u0016\u0017\u001b\u007f".charAt(random.nextInt(8))
                    : 0x21 + random.nextInt(0x7e - 0x21 + 1);
            junk[i] = (byte) b;
        }
        junk[0] = 0x16; // a TLS handshake record sent to the plain HTTP port starts like this
        return junk;
    }

    private String[] clientPool() {
        Set<String> pool = new LinkedHashSet<>();
        while (pool.size() < CLIENTS) {
            int kind = random.nextInt(100);
            if (kind < 85) {
                int first;
                do {
                    first = 1 + random.nextInt(223);
                } while (first == 10 || first == 127);
                pool.add(first + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254)));
            } else if (kind < 95) {
                pool.add(String.format(Locale.ROOT, "%x:%x:%x:%x::%x", IPV6_PREFIXES[random.nextInt(IPV6_PREFIXES.length)],
                        random.nextInt(0x10000), random.nextInt(0x10000), random.nextInt(0x10000),
                        1 + random.nextInt(0xffff)));
            } else {
                int a = random.nextInt(256);
                int b = random.nextInt(256);
                pool.add(switch (random.nextInt(4)) {
                    case 0 -> "crawl-66-249-" + a + "-" + b + ".googlebot.com";
                    case 1 -> "msnbot-157-55-" + a + "-" + b + ".search.msn.com";
                    case 2 -> "host-" + a + "-" + b + ".dynamic.example-isp.net";
                    default -> "proxy" + a + ".corp.example.com";
                });
            }
        }
        return pool.toArray(String[]::new);
    }

    private String[] endpointPool() {
        Set<String> pool = new LinkedHashSet<>(List.of("/", "/index.html", "/favicon.ico"));
        List<String> rest = new ArrayList<>(List.of("/robots.txt", "/sitemap.xml", "/about", "/contact", "/login",
                "/logout", "/cart", "/checkout", "/account"));
        rest.addAll(List.of(SCANNER_PATHS));
        Set<String> generated = new LinkedHashSet<>(rest);
        while (generated.size() < ENDPOINTS - pool.size()) {
            String w = WORDS[random.nextInt(WORDS.length)];
            int n = random.nextInt(9000) + 1000;
            generated.add(switch (random.nextInt(11)) {
                case 0 -> "/products/" + n;
                case 1 -> "/products/" + n + "/reviews?page=" + (1 + random.nextInt(5));
                case 2 -> "/category/" + w;
                case 3 -> "/static/css/" + w + "." + Integer.toHexString(n * 7919) + ".css";
                case 4 -> "/static/js/" + w + "." + Integer.toHexString(n * 7919) + ".js";
                case 5 -> "/images/" + w + "-" + n + (random.nextBoolean() ? ".jpg" : ".png");
                case 6 -> "/api/v1/items/" + n;
                case 7 -> "/api/v1/search?q=" + w + "&page=" + (1 + random.nextInt(5));
                case 8 -> "/search?q=" + w + "+" + WORDS[random.nextInt(WORDS.length)];
                case 9 -> String.format(Locale.ROOT, "/blog/2024/%02d/%s-%s", 1 + random.nextInt(12), w, WORDS[random.nextInt(WORDS.length)]);
                default -> "/downloads/stormwatch-0." + random.nextInt(10) + "." + random.nextInt(10) + ".tar.gz";
            });
        }
        List<String> shuffled = new ArrayList<>(generated);
        Collections.shuffle(shuffled, random);
        pool.addAll(shuffled);
        return pool.toArray(String[]::new);
    }

    private static double[] zipfWeights(int n, double exponent) {
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            weights[i] = 1 / StrictMath.pow(i + 1, exponent);
        }
        return weights;
    }

    private static double[] cumulative(double[] weights) {
        double[] cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulative[i] = sum;
        }
        return cumulative;
    }

    private int pick(double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = random.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static int pickCumulative(double[] cumulative, double u) {
        double x = u * cumulative[cumulative.length - 1];
        int i = Arrays.binarySearch(cumulative, x);
        return Math.min(i >= 0 ? i + 1 : -i - 1, cumulative.length - 1);
    }

    /** The name of the key at {@code index} of the population (package-private for tests). */
    String client(int index) {
        return index < CLIENTS ? clients[index] : syntheticClient(index - CLIENTS);
    }

    private String agent(int index) {
        if (index < CLIENTS) {
            return clientAgents[index];
        }
        return USER_AGENTS[pickCumulative(agentCumulative, unit(hash(index, 3)))];
    }

    /** The name of the key at {@code index} of the population (package-private for tests). */
    String endpoint(int index) {
        return index < ENDPOINTS ? endpoints[index] : syntheticEndpoint(index - ENDPOINTS);
    }

    /**
     * The {@code j}-th client beyond the pool; distinct {@code j} give distinct names, none of the pool's.
     * Of every 20: 17 IPv4, 2 IPv6, 1 host name, like the pool.
     */
    private String syntheticClient(long j) {
        int kind = (int) (j % 20);
        String name;
        if (kind == 0) {
            return HOST_KINDS[(int) Long.remainderUnsigned(hash(j, 4), HOST_KINDS.length)] + Long.toString(j, 36)
                    + ".dyn.example-isp.net";
        } else if (kind <= 2) {
            long h = hash(j, 5);
            // j sits whole in the second and third groups: distinct j, distinct addresses.
            name = Integer.toHexString(IPV6_PREFIXES[(int) (h & 3)]) + ':' + Long.toHexString((j >>> 16) & 0xffff) + ':'
                    + Long.toHexString(j & 0xffff) + ':' + Long.toHexString((h >>> 8) & 0xffff) + "::"
                    + Long.toHexString(1 + Long.remainderUnsigned(h >>> 24, 0xffff));
        } else {
            // (j mod 221, j div 221) is one-to-one; the quotient picks the last three octets through a bijection
            // of 24 bits and the remainder, rotated by a hash of the quotient, the first octet.
            long q = j / IPV4_FIRST_OCTETS.length;
            long r = j % IPV4_FIRST_OCTETS.length;
            long rotation = Long.remainderUnsigned(hash(q, 6), IPV4_FIRST_OCTETS.length);
            int first = IPV4_FIRST_OCTETS[(int) ((r + rotation) % IPV4_FIRST_OCTETS.length)];
            long low = scramble24(q);
            name = first + "." + (low >>> 16) + "." + ((low >>> 8) & 0xff) + "." + (low & 0xff);
        }
        if (poolClients == null) {
            poolClients = new HashSet<>(Arrays.asList(clients));
        }
        // An address the pool drew at random already: a name of a form the pool never writes instead.
        return poolClients.contains(name) ? "host-" + j + ".static.example-isp.net" : name;
    }

    /** A bijection of {@code [0, 2^24)}: xor, odd multiplications and xor-shifts, each one-to-one on 24 bits. */
    private long scramble24(long x) {
        long mask = (1L << 24) - 1;
        x = (x ^ keySalt) & mask;
        x = (x * 0x9E3779L) & mask;
        x ^= x >>> 12;
        x = (x * 0x2C1B3DL) & mask;
        x ^= x >>> 11;
        return x;
    }

    /** The {@code j}-th endpoint beyond the pool; distinct {@code j} give distinct paths, none of the pool's. */
    private String syntheticEndpoint(long j) {
        long n = j / 6;
        return switch ((int) (j % 6)) {
            case 0 -> "/item/" + n;
            case 1 -> "/item/" + n + "?ref=" + WORDS[(int) Long.remainderUnsigned(hash(j, 7), WORDS.length)];
            case 2 -> "/p/" + Long.toString(n, 36);
            case 3 -> "/api/v2/items/" + n;
            case 4 -> "/images/u/" + n + ".jpg";
            default -> "/tag/" + WORDS[(int) (n % WORDS.length)] + "/" + n / WORDS.length;
        };
    }

    private static boolean syntheticEndpointStatic(long j) {
        return j % 6 == 4;
    }

    /** Like the pool's sizes, log-normal around a base per kind, but a function of {@code j}. */
    private long syntheticEndpointSize(long j) {
        long base = syntheticEndpointStatic(j) ? 20_000 : j % 6 == 3 ? 800 : 9_000;
        // Four uniforms: mean 2, standard deviation 1/sqrt(3); rescaled to about a standard normal.
        double normal = 0;
        for (int i = 0; i < 4; i++) {
            normal += unit(hash(j, 8 + i));
        }
        normal = (normal - 2) * StrictMath.sqrt(3);
        return Math.max(40, Math.round(base * StrictMath.exp(normal * 0.6)));
    }

    private long hash(long j, int purpose) {
        return Permutation.mix(Permutation.mix(j ^ keySalt) + purpose * 0x9E3779B97F4A7C15L);
    }

    /** A uniform number in [0, 1) from the top 53 bits of a hash. */
    private static double unit(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
