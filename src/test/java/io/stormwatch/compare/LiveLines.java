package io.stormwatch.compare;

import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.core.gen.TextGenerator;
import io.stormwatch.core.gen.TweetGenerator;
import io.stormwatch.core.job.hashtags.Hashtags;
import io.stormwatch.core.job.hashtags.TwitterTime;
import io.stormwatch.core.job.wordcount.WordCount;
import io.stormwatch.core.log.AccessLogRenderer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Generated lines of a job's own kind, cycled, with their time fields rewritten to the moment they are sent, so
 * that a live run's event time is the wall clock: an event-time window {@code (end − length, end]} can close at
 * wall time {@code end + lag}, and the delay of its result is measurable.
 * <ul>
 *   <li>access-log jobs: {@link LogGenerator} lines (realistic clients, endpoints, statuses, malformed lines); the
 *       {@code [dd/MMM/yyyy:HH:mm:ss ±zzzz]} field is stamped;</li>
 *   <li>{@code hashtags}: {@link TweetGenerator} statuses and notices (broken lines included); every
 *       {@code "created_at":"…"} (a retweet's original too) and {@code "timestamp_ms":"…"} is stamped;</li>
 *   <li>{@code word-count}: {@link TextGenerator} text, which carries no time.</li>
 * </ul>
 * A line without a well-formed time field (some malformed ones) is sent unchanged. Not thread-safe.
 */
final class LiveLines {

    /** Length of {@code dd/MMM/yyyy:HH:mm:ss +zzzz}. */
    private static final int TIME_LENGTH = 26;
    private static final byte[] CREATED_AT = "\"created_at\":\"".getBytes(StandardCharsets.US_ASCII);
    /** Length of {@code EEE MMM dd HH:mm:ss +0000 yyyy}. */
    private static final int TWITTER_TIME_LENGTH = 30;
    private static final byte[] TIMESTAMP_MS = "\"timestamp_ms\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final int MILLIS_LENGTH = 13;

    /** One kind of time field: where it is in a line, and its text for a second. */
    private record Stamp(int length, LongFunction<String> text) {}

    private static final Stamp ACCESS_LOG = new Stamp(TIME_LENGTH, millis -> AccessLogRenderer.time(millis, 0));
    private static final Stamp TWITTER = new Stamp(TWITTER_TIME_LENGTH, TwitterTime::format);
    private static final Stamp EPOCH_MILLIS = new Stamp(MILLIS_LENGTH, Long::toString);

    private final List<byte[]> templates;
    /** Per template: the offsets of its time fields, by stamp ({@code stamps[k]} at {@code fieldsAt[i][k]}). */
    private final int[][][] fieldsAt;
    private final Stamp[] stamps;
    private final byte[][] cachedText;
    private int next;
    private long cachedSecond = Long.MIN_VALUE;

    private LiveLines(List<byte[]> templates, Stamp... stamps) {
        this.templates = templates;
        this.stamps = stamps;
        this.cachedText = new byte[stamps.length][];
        this.fieldsAt = new int[templates.size()][][];
        for (int i = 0; i < fieldsAt.length; i++) {
            byte[] line = templates.get(i);
            fieldsAt[i] = new int[stamps.length][];
            for (int k = 0; k < stamps.length; k++) {
                fieldsAt[i][k] = stamps[k] == ACCESS_LOG ? single(timeField(line))
                        : valuesAfter(line, stamps[k] == TWITTER ? CREATED_AT : TIMESTAMP_MS, stamps[k].length());
            }
        }
    }

    /** @param count how many distinct lines to cycle through */
    static LiveLines forJob(String job, int count, long seed) {
        List<byte[]> lines = lines(count, out -> generate(job, count, seed, out));
        return switch (kind(job)) {
            case "text" -> new LiveLines(lines);
            case "tweets" -> new LiveLines(lines, TWITTER, EPOCH_MILLIS);
            default -> new LiveLines(lines, ACCESS_LOG);
        };
    }

    /** What {@code job} reads: {@code access} log lines, {@code text} (word-count) or {@code tweets} (hashtags). */
    static String kind(String job) {
        return switch (job) {
            case WordCount.NAME -> "text";
            case Hashtags.NAME -> "tweets";
            default -> "access";
        };
    }

    /** Writes {@code lines} generated lines of {@code job}'s {@link #kind}, each followed by {@code \n}. */
    static void generate(String job, long lines, long seed, OutputStream out) throws IOException {
        switch (kind(job)) {
            case "text" -> new TextGenerator(new TextGenerator.Options(lines, seed)).writeTo(out);
            case "tweets" -> new TweetGenerator(new TweetGenerator.Options(lines, seed, LogGenerator.DEFAULT_START, null,
                    TweetGenerator.DEFAULT_BROKEN_RATIO)).writeTo(out);
            default -> new LogGenerator(new LogGenerator.Options(lines, seed, LogGenerator.Format.COMBINED, 0.01,
                    LogGenerator.DEFAULT_START)).writeTo(out);
        }
    }

    private interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The lines a generator writes, without their terminators. */
    private static List<byte[]> lines(int count, Writer generator) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            generator.writeTo(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] all = bytes.toByteArray();
        List<byte[]> lines = new ArrayList<>(count);
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                lines.add(Arrays.copyOfRange(all, start, i));
                start = i + 1;
            }
        }
        return lines;
    }

    /** Where the time field of an access-log {@code line} starts (after its {@code [}), or -1 when it has none. */
    static int timeField(byte[] line) {
        for (int i = 0; i + TIME_LENGTH + 1 < line.length; i++) {
            if (line[i] == '[' && line[i + TIME_LENGTH + 1] == ']' && line[i + 3] == '/' && line[i + 12] == ':') {
                return i + 1;
            }
        }
        return -1;
    }

    /** Offsets of the {@code length}-byte string values following each {@code prefix} in {@code line}. */
    static int[] valuesAfter(byte[] line, byte[] prefix, int length) {
        List<Integer> found = new ArrayList<>();
        for (int i = 0; i + prefix.length + length < line.length; i++) {
            if (line[i] == prefix[0] && Arrays.equals(line, i, i + prefix.length, prefix, 0, prefix.length)
                    && line[i + prefix.length + length] == '"') {
                found.add(i + prefix.length);
            }
        }
        return found.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] single(int at) {
        return at < 0 ? new int[0] : new int[] {at};
    }

    /** The next line (without terminator), its time fields stamped with the second of {@code wallMillis}, UTC. */
    byte[] next(long wallMillis) {
        int i = next;
        next = (next + 1) % templates.size();
        byte[] template = templates.get(i);
        long second = Math.floorDiv(wallMillis, 1000);
        if (second != cachedSecond) {
            cachedSecond = second;
            for (int k = 0; k < stamps.length; k++) {
                cachedText[k] = stamps[k].text().apply(second * 1000).getBytes(StandardCharsets.US_ASCII);
            }
        }
        byte[] line = template;
        for (int k = 0; k < stamps.length; k++) {
            for (int at : fieldsAt[i][k]) {
                if (line == template) {
                    line = Arrays.copyOf(template, template.length);
                }
                System.arraycopy(cachedText[k], 0, line, at, stamps[k].length());
            }
        }
        return line;
    }
}
