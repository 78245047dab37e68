package io.stormwatch.core.gen;

import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.log.AccessLogRenderer;
import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.RejectReason;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;

/**
 * Writes a realistic access log, the same bytes for the same options on any JVM.
 *
 * <p>What the log looks like:
 * <ul>
 *   <li>2,000 clients (about 85 % IPv4, 10 % IPv6, 5 % host names) and 300 endpoints (pages, static files,
 *       API calls with query strings, a few scanner probes that get 404), both requested with a Zipf-like
 *       skew: a handful of clients and endpoints take most requests.</li>
 *   <li>Status mix of a real site: mostly 200, then 304, 404, 301/302, 206, 500, 403, ...; 304s, HEADs and
 *       some redirects and errors have a {@code -} size; static files always have their same size.</li>
 *   <li>Combined format: referers (none, internal, search engines) and a user agent per client, a few with
 *       escaped quotes and backslashes.</li>
 *   <li>Time advances by about 4 ms a line (exponential gaps) from {@code start}, written to the second as
 *       Apache does. About 1 % of lines are out of order, 1 to 5 seconds back. Halfway through the file
 *       the zone offset changes from +01:00 to +02:00 (a daylight-saving switch: the instants go on, only
 *       their written offset changes).</li>
 *   <li>A share {@code malformedRatio} of lines is malformed, of every {@link RejectReason}: empty or blank;
 *       too long (a request longer than {@link AccessLogParser#DEFAULT_MAX_LINE_LENGTH}); binary junk
 *       (control bytes, no newline in it); invalid UTF-8 bytes where the status belongs; truncated (cut
 *       inside the time or a quoted field); glued (two records without a newline between them); malformed
 *       (complete, but the status is not a number or the time is not Apache's).</li>
 * </ul>
 *
 * <p>Randomness comes only from {@link Random} seeded with {@code seed} and {@link StrictMath}, whose
 * results the Java specification fixes, so the output is the same across JVMs and platforms.
 */
public final class LogGenerator implements Iterator<LogGenerator.GeneratedLine> {

    /** The default first timestamp. */
    public static final Instant DEFAULT_START = Instant.parse("2024-03-31T00:00:00Z");

    public enum Format { COMMON, COMBINED }

    /**
     * @param lines          how many lines to write (a glued line counts once)
     * @param malformedRatio probability that a line is malformed, 0 to 1
     * @param start          time of the first line
     */
    public record Options(long lines, long seed, Format format, double malformedRatio, Instant start) {
        public Options {
            if (lines < 0) {
                throw new IllegalArgumentException("lines must be >= 0: " + lines);
            }
            if (!(malformedRatio >= 0 && malformedRatio <= 1)) {
                throw new IllegalArgumentException("malformed ratio must be within [0, 1]: " + malformedRatio);
            }
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
        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    private static final int CLIENTS = 2_000;
    private static final int ENDPOINTS = 300;
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
    private final double[] clientCumulative;
    private final String[] endpoints;
    private final long[] endpointSizes;
    private final boolean[] endpointStatic;
    private final boolean[] endpointScanner;
    private final double[] endpointCumulative;
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
        this.clientCumulative = cumulative(zipfWeights(CLIENTS, 1.0));
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
        this.endpointCumulative = cumulative(zipfWeights(ENDPOINTS, 1.1));
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
        clockMicros += Math.round(-MEAN_GAP_MICROS * StrictMath.log(1 - random.nextDouble()));
        long timeMicros = clockMicros;
        if (random.nextDouble() < OUT_OF_ORDER_RATIO) {
            timeMicros -= (1 + random.nextInt(5)) * 1_000_000L;
        }
        long timeMillis = Math.floorDiv(timeMicros, 1_000_000L) * 1000; // Apache writes whole seconds
        int client = pickCumulative(clientCumulative);
        int endpoint = pickCumulative(endpointCumulative);
        String method = METHODS[pick(METHOD_WEIGHTS)];
        int status = endpointScanner[endpoint] ? (random.nextInt(10) == 0 ? 403 : 404) : STATUSES[pick(STATUS_WEIGHTS)];
        long bytes = method.equals("HEAD") ? -1 : size(status, endpoint);
        String user = random.nextInt(100) < 3 ? USERS[random.nextInt(USERS.length)] : "-";
        boolean combined = options.format() == Format.COMBINED;
        return new LogRecord(clients[client], "-", user, timeMillis, zone, method, endpoints[endpoint],
                PROTOCOLS[pick(PROTOCOL_WEIGHTS)], status, bytes, combined ? referer() : null,
                combined ? clientAgents[client] : null, null, -1);
    }

    private long size(int status, int endpoint) {
        long base = endpointSizes[endpoint];
        return switch (status) {
            case 200 -> endpointStatic[endpoint] ? base
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
            return "https://www.example.com" + endpoints[pickCumulative(endpointCumulative)];
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
                int[] prefixes = {0x2001, 0x2a02, 0x2600, 0x2c0f};
                pool.add(String.format(Locale.ROOT, "%x:%x:%x:%x::%x", prefixes[random.nextInt(prefixes.length)],
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

    private int pickCumulative(double[] cumulative) {
        double x = random.nextDouble() * cumulative[cumulative.length - 1];
        int i = Arrays.binarySearch(cumulative, x);
        return Math.min(i >= 0 ? i + 1 : -i - 1, cumulative.length - 1);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
