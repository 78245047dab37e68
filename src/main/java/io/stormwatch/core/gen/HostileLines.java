package io.stormwatch.core.gen;

import io.stormwatch.core.log.AccessLogParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * A deterministic stream of hostile input, for checking that every source and the parse path survive it and
 * count it: random bytes, invalid UTF-8, NUL bytes, lines just over the length bound, 10 MB lines without a
 * newline, truncated and glued records, stray carriage returns, empty lines, valid 4-byte characters (U+1F4FD
 * among them, whose low surrogate is the reader's bad-byte marker char), and — for the {@link Flavor#TWEETS}
 * flavor read by the JSON job — invalid JSON (cut, nested 2,000 deep, numbers of 1,500 digits, bare tokens,
 * text after the object), mixed with well-formed lines of the job's own generator.
 *
 * <p><b>How many lines a reader must count</b> ({@link Summary#lines()}, always the {@code lines} asked for):
 * the stream is cut into lines exactly as {@link io.stormwatch.core.io.LineReader} cuts it — at {@code \n},
 * {@code \r\n} or a bare {@code \r} — and the generator writes each line's content without any of those bytes, so
 * every generated line is one line for a reader, and one record for {@code stormwatch produce} (which reads files
 * with the same reader), whatever bytes it holds. In particular:
 * <ul>
 *   <li>a line longer than the bound (64 Ki code points by default) is <em>one</em> line, rejected once as
 *       {@code too-long}: the reader keeps its first bound + 1 code points and skips the rest up to the
 *       terminator;</li>
 *   <li>a 10 MB line without a newline is the same: one line, one {@code too-long} rejection. The last line of
 *       the stream has no terminator at all (a writer that died mid-line): it is still one line, read at end of
 *       input; when {@code huge > 0} it is one of the huge lines;</li>
 *   <li>a line ended by {@code \r} or {@code \r\n} is one line; a bare {@code \r} is never followed by an empty
 *       line (that would read as {@code \r\n}, one terminator), the generator writes {@code \r\n} then;</li>
 *   <li>a glued line (two records, no newline between) is one line, rejected once as {@code glued}.</li>
 * </ul>
 * Every line is then either accepted or rejected by the job, so {@code accepted + rejected == lines} is what a
 * run over the stream must report. Which lines are accepted is the job's business: the batch oracle over the
 * same bytes says it.
 *
 * <p>Same options, same bytes. Memory is bounded however large the stream: lines are written one at a time and a
 * huge line in 64 KiB chunks.
 */
public final class HostileLines {

    /** What the well-formed lines are, and which job reads the stream. */
    public enum Flavor {
        /** Access-log lines (log-analytics, status-codes, top-urls). */
        ACCESS_LOG,
        /** Twitter v1.1 status JSON (hashtags), with invalid JSON among the hostile lines. */
        TWEETS
    }

    /** The kinds of line written; {@link Summary#kinds()} counts each. */
    public enum Kind {
        /** A line of the job's own generator (which writes a share of malformed ones itself). */
        WELL_FORMED,
        /** 1 to 500 random bytes (any but CR and LF): control bytes, NULs, invalid UTF-8. */
        RANDOM_BYTES,
        /** A well-formed line with an invalid UTF-8 sequence put in (stray continuation, overlong, surrogate, F8). */
        INVALID_UTF8,
        /** A well-formed line with NUL bytes put in. */
        NUL_BYTES,
        /** A well-formed line cut at a random byte (maybe inside a UTF-8 sequence). */
        TRUNCATED,
        /** Two well-formed lines without a newline between them. */
        GLUED,
        /** An empty line. */
        EMPTY,
        /** A well-formed line ended by a bare {@code \r} or by {@code \r\n} instead of {@code \n}. */
        CARRIAGE_RETURN,
        /** Just over the length bound: bound + 1 to 2 × bound code points, some of them two bytes. */
        OVER_LENGTH,
        /** {@code hugeBytes} (10 MB by default) without a newline; the last line of the stream is one. */
        HUGE,
        /** Tweets only: not JSON, or JSON that is not one object. */
        INVALID_JSON,
        /**
         * A well-formed line with 4-byte characters put in, among them U+1F4FD 📽, whose low surrogate is the char
         * the reader marks bad bytes with: valid text that must not be taken for bad bytes.
         */
        SUPPLEMENTARY
    }

    /** 10 MB: the size of a huge line by default. */
    public static final int DEFAULT_HUGE_BYTES = 10 * 1024 * 1024;

    /**
     * @param lines     how many lines to write, at least 1 (a reader counts exactly these)
     * @param seed      the same seed, the same bytes
     * @param flavor    what the well-formed lines are
     * @param huge      how many lines are {@code hugeBytes} long, at most {@code lines}: spread evenly, the last
     *                  one at the end of the stream without a terminator
     * @param hugeBytes size of a huge line, more than 4 × the length bound so that it is cut whatever it holds
     */
    public record Options(long lines, long seed, Flavor flavor, int huge, int hugeBytes) {
        public Options {
            Objects.requireNonNull(flavor, "flavor");
            if (lines < 1) {
                throw new IllegalArgumentException("lines must be at least 1: " + lines);
            }
            if (huge < 0 || huge > lines) {
                throw new IllegalArgumentException("huge lines must be within [0, lines]: " + huge);
            }
            if (hugeBytes <= 4 * (AccessLogParser.DEFAULT_MAX_LINE_LENGTH + 1)) {
                throw new IllegalArgumentException("a huge line must be longer than 4 × the line length bound: " + hugeBytes);
            }
        }

        /** One huge line per 200,000 lines, at least one: 5 of 10 MB in a million lines. */
        public Options(long lines, long seed, Flavor flavor) {
            this(lines, seed, flavor, (int) Math.min(lines, Math.max(1, lines / 200_000)), DEFAULT_HUGE_BYTES);
        }
    }

    /**
     * What was written.
     *
     * @param lines the lines a reader counts (accepted + rejected must equal it)
     * @param bytes the bytes written
     * @param kinds lines of each kind
     */
    public record Summary(long lines, long bytes, Map<Kind, Long> kinds) {}

    private static final Kind[] KINDS = Kind.values();
    // Weights per kind, in Kind order; over-length lines are 64-128 KiB each, so they are rare.
    private static final double[] ACCESS_WEIGHTS = {40, 12, 8, 8, 8, 8, 4, 6, 0.02, 0, 0, 4};
    private static final double[] TWEET_WEIGHTS = {36, 10, 6, 6, 8, 6, 4, 6, 0.02, 0, 10, 4};
    private static final byte[][] SUPPLEMENTARY_CHARS = {
        "\uD83D\uDCFD".getBytes(StandardCharsets.UTF_8), "\uD83D\uDE00".getBytes(StandardCharsets.UTF_8),
        new String(Character.toChars(0x690FD)).getBytes(StandardCharsets.UTF_8)};
    private static final byte[] LF = {'\n'};
    private static final byte[] CR = {'\r'};
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[][] INVALID_SEQUENCES = {
        {(byte) 0x80}, {(byte) 0xC3}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
        {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF}, {(byte) 0xE2, (byte) 0x82}};
    private static final int CHUNK = 64 * 1024;

    private final Options options;
    private final Random random;
    private final double[] cumulative;
    private final LogGenerator log;
    private final TweetGenerator tweets;

    public HostileLines(Options options) {
        this.options = options;
        this.random = new Random(options.seed());
        double[] weights = options.flavor() == Flavor.TWEETS ? TWEET_WEIGHTS : ACCESS_WEIGHTS;
        this.cumulative = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cumulative[i] = sum;
        }
        // The well-formed lines' own generators; 5 % of the log's are malformed in every way it knows (too long too).
        this.log = options.flavor() == Flavor.ACCESS_LOG
                ? new LogGenerator(new LogGenerator.Options(Long.MAX_VALUE, options.seed(), LogGenerator.Format.COMBINED,
                        0.05, LogGenerator.DEFAULT_START))
                : null;
        this.tweets = options.flavor() == Flavor.TWEETS
                ? new TweetGenerator(new TweetGenerator.Options(Long.MAX_VALUE, options.seed(),
                        Instant.parse("2024-03-31T00:00:00Z"), null, 0.05))
                : null;
    }

    /** Writes the stream; the last line has no terminator. */
    public Summary writeTo(OutputStream out) throws IOException {
        Map<Kind, Long> kinds = new EnumMap<>(Kind.class);
        long bytes = 0;
        long lines = options.lines();
        int huge = options.huge();
        byte[] pending = null; // the previous line's terminator, written once the next line's content is known
        for (long i = 0; i < lines; i++) {
            boolean last = i == lines - 1;
            // Huge lines at (k + 1) × lines / huge - 1 for k < huge: evenly spread, the last one at the very end.
            boolean isHuge = huge > 0 && (i + 1) * huge / lines != i * huge / lines;
            Kind kind = isHuge ? Kind.HUGE : pick();
            byte[] content = isHuge ? null : content(kind);
            if (last && content != null && content.length == 0) {
                kind = Kind.RANDOM_BYTES; // an empty unterminated last line is no line at all
                content = randomBytes(1 + random.nextInt(100));
            }
            if (pending != null) {
                byte[] terminator = pending == CR && content != null && content.length == 0 ? CRLF : pending;
                out.write(terminator);
                bytes += terminator.length;
            }
            if (isHuge) {
                bytes += writeHuge(out);
            } else {
                out.write(content);
                bytes += content.length;
            }
            kinds.merge(kind, 1L, Long::sum);
            pending = kind == Kind.CARRIAGE_RETURN ? (random.nextBoolean() ? CR : CRLF) : LF;
        }
        return new Summary(lines, bytes, Collections.unmodifiableMap(kinds));
    }

    private Kind pick() {
        double u = random.nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length; i++) {
            if (u < cumulative[i]) {
                return KINDS[i];
            }
        }
        return Kind.WELL_FORMED;
    }

    /** A line's content, without CR or LF. */
    private byte[] content(Kind kind) {
        return switch (kind) {
            case WELL_FORMED, CARRIAGE_RETURN -> wellFormed();
            case RANDOM_BYTES -> randomBytes(1 + random.nextInt(500));
            case INVALID_UTF8 -> insert(wellFormed(), INVALID_SEQUENCES[random.nextInt(INVALID_SEQUENCES.length)]);
            case NUL_BYTES -> insert(wellFormed(), new byte[1 + random.nextInt(3)]);
            case TRUNCATED -> {
                byte[] line = wellFormed();
                yield Arrays.copyOf(line, line.length <= 1 ? 0 : 1 + random.nextInt(line.length - 1));
            }
            case GLUED -> {
                byte[] first = wellFormed();
                byte[] second = wellFormed();
                byte[] glued = Arrays.copyOf(first, first.length + second.length);
                System.arraycopy(second, 0, glued, first.length, second.length);
                yield glued;
            }
            case EMPTY -> new byte[0];
            case OVER_LENGTH -> overLength();
            case INVALID_JSON -> invalidJson();
            case SUPPLEMENTARY -> insertAtChar(wellFormed(), SUPPLEMENTARY_CHARS[random.nextInt(SUPPLEMENTARY_CHARS.length)]);
            case HUGE -> throw new IllegalStateException("huge lines are written in chunks");
        };
    }

    private byte[] wellFormed() {
        byte[] line = log != null ? log.next().bytes() : tweets.nextLine();
        return withoutTerminators(line);
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return withoutTerminators(bytes);
    }

    /** Replaces CR and LF (so that a line stays one line) by a space. */
    private static byte[] withoutTerminators(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' || bytes[i] == '\r') {
                bytes[i] = ' ';
            }
        }
        return bytes;
    }

    private byte[] insert(byte[] line, byte[] what) {
        int at = random.nextInt(line.length + 1);
        byte[] result = new byte[line.length + what.length];
        System.arraycopy(line, 0, result, 0, at);
        System.arraycopy(what, 0, result, at, what.length);
        System.arraycopy(line, at, result, at + what.length, line.length - at);
        return result;
    }

    /** Inserts {@code what} between two characters (not inside a UTF-8 sequence) of {@code line}. */
    private byte[] insertAtChar(byte[] line, byte[] what) {
        int at = random.nextInt(line.length + 1);
        while (at < line.length && (line[at] & 0xC0) == 0x80) {
            at++;
        }
        byte[] result = new byte[line.length + what.length];
        System.arraycopy(line, 0, result, 0, at);
        System.arraycopy(what, 0, result, at, what.length);
        System.arraycopy(line, at, result, at + what.length, line.length - at);
        return result;
    }

    private byte[] overLength() {
        int bound = AccessLogParser.DEFAULT_MAX_LINE_LENGTH;
        int codePoints = bound + 1 + random.nextInt(bound);
        StringBuilder text = new StringBuilder(codePoints + 16);
        for (int i = 0; i < codePoints; i++) {
            text.append(i % 97 == 0 ? 'é' : (char) ('a' + random.nextInt(26)));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] invalidJson() {
        String text = switch (random.nextInt(8)) {
            case 0 -> "[".repeat(2_000);                                         // nested deeper than 1,000
            case 1 -> "{\"created_at\":\"Wed Oct 10 20:19:24 +0000 2018\",\"text\":\"cut"; // unterminated string
            case 2 -> "{\"id\":" + "9".repeat(1_500) + "}";                        // a number of over 1,000 digits
            case 3 -> "{\"created_at\":\"Wed Oct 10 20:19:24 +0000 2018\",\"text\":\"a\"} trailing";
            case 4 -> "null";
            case 5 -> "{\"text\":\"\\ud800 lone surrogate\",\"created_at\":" + random.nextInt() + "}";
            case 6 -> "{\"a\":{\"b\":[1,2,{\"c\":}]}}";
            default -> "{\"created_at\":\"Wed Oct 10 20:19:24 +0000 2018\",\"text\":\"" + "x".repeat(random.nextInt(2_000)) + "\"";
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A huge line in chunks: printable text, then random bytes, never CR or LF. */
    private long writeHuge(OutputStream out) throws IOException {
        byte[] chunk = new byte[CHUNK];
        long left = options.hugeBytes();
        boolean text = random.nextBoolean();
        while (left > 0) {
            int n = (int) Math.min(CHUNK, left);
            if (text) {
                for (int i = 0; i < n; i++) {
                    chunk[i] = (byte) (' ' + random.nextInt(95));
                }
            } else {
                random.nextBytes(chunk);
                withoutTerminators(chunk);
            }
            out.write(chunk, 0, n);
            left -= n;
        }
        return options.hugeBytes();
    }
}
