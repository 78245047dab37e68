package io.stormwatch.core.gen;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.stormwatch.core.job.hashtags.TwitterTime;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;

/**
 * Writes a realistic Twitter API v1.1 stream, one JSON message per line, the same bytes for the same options
 * on any JVM (randomness only from {@link Random} with the seed, {@link StrictMath} and Jackson's fixed output).
 *
 * <ul>
 *   <li>Statuses with {@code created_at}, ids, a {@code user} object, {@code source}, {@code lang},
 *       {@code timestamp_ms} and {@code entities} (hashtags with indices, user mentions, urls): about 62 %
 *       plain tweets, 25 % retweets ({@code "RT @user: "} + the original cut to 140 characters, with the
 *       original in {@code retweeted_status}), 10 % extended tweets ({@code truncated: true}, the text cut
 *       with {@code …}, and {@code extended_tweet.full_text} and its entities, tags past the cut only there),
 *       3 % without any {@code entities} (the tags only in the text).</li>
 *   <li>Hashtags: 0 to 4 a tweet (about 55 % have some), drawn with a Zipf skew (exponent 1) from {@value #TAGS} tags
 *       ({@link Population}: a named pool with non-ASCII ones — {@code café}, {@code 東京}, {@code Ünïcödé},
 *       {@code Москва}, {@code 서울} ... — then {@code topic<n>}), written in mixed case ({@code #storm},
 *       {@code #Storm}, {@code #STORM}), sometimes twice in one tweet, sometimes right before an emoji
 *       ({@code #東京🗼}).</li>
 *   <li>About 3 % notices: {@code delete} (most), {@code limit}, {@code scrub_geo}, {@code status_withheld},
 *       {@code user_withheld} (with {@code timestamp_ms}), {@code warning}, {@code disconnect} and keep-alive
 *       blank lines (without).</li>
 *   <li>A share {@code brokenRatio} of broken lines: cut JSON, a JSON array, a bare string, two objects on one
 *       line, and invalid UTF-8 inside a text.</li>
 *   <li>Time: {@code created_at} advances by {@code span / tweets} on average (exponential gaps; default 20 ms,
 *       a sample stream's 50 tweets a second) from {@code start}; about 1 % of statuses are 1 to 10 seconds out
 *       of order.</li>
 * </ul>
 * Statuses are about 1 KB, smaller than Twitter's (3–6 KB: fuller user objects); the job skips those
 * subtrees unread either way.
 */
public final class TweetGenerator {

    /** Distinct tags drawn from: the named pool, then {@code topic<n>}. */
    public static final int TAGS = 5_000;
    public static final double DEFAULT_BROKEN_RATIO = 0.005;
    private static final double DEFAULT_GAP_MICROS = 20_000;
    private static final double OUT_OF_ORDER_RATIO = 0.01;
    private static final double NOTICE_RATIO = 0.03;
    private static final int USERS = 20_000;

    private static final String[] NAMED_TAGS = {
        "storm", "BigData", "kafka", "café", "東京", "Ünïcödé", "streaming", "spark", "news", "music", "Москва",
        "서울", "football", "AI", "naïve", "ñandú", "java", "dataviz", "Zürich", "São_Paulo", "مرحبا", "हिंदी",
        "python", "flink", "redis", "weather", "travel", "photography", "crypto", "gaming", "Straße", "İstanbul",
        "coffee", "breaking", "election", "climate", "mondaymotivation", "tbt", "love", "art", "food", "nba",
        "WorldCup", "k_pop", "bts", "anime", "science", "space", "health", "fitness", "books", "movies", "tv",
        "startup", "cloud", "devops", "opensource", "linux", "rust", "golang"};
    private static final String[] WORDS = {
        "the", "a", "stream", "of", "tweets", "is", "never", "done", "today", "new", "look", "at", "this", "window",
        "five", "minutes", "sliding", "every", "second", "great", "talk", "about", "counting", "words", "and",
        "tags", "live", "now", "watch", "best", "ever", "morning", "night", "thanks", "everyone", "who", "came",
        "très", "bien", "日本", "über", "niño", "спасибо", "좋아요", "🙂", "🔥", "🎉", "❤️"};
    private static final String[] EMOJI = {"🗼", "🔥", "🎉", "☕", "🚀", "❤️", "👍🏽"};
    private static final String[] LANGS = {"en", "ja", "es", "de", "fr", "pt", "ko", "ru", "und"};
    private static final String[] SOURCES = {
        "<a href=\"http://twitter.com/download/iphone\" rel=\"nofollow\">Twitter for iPhone</a>",
        "<a href=\"http://twitter.com/download/android\" rel=\"nofollow\">Twitter for Android</a>",
        "<a href=\"https://mobile.twitter.com\" rel=\"nofollow\">Twitter Web App</a>"};
    private static final String[] NOTICES = {"delete", "limit", "scrub_geo", "status_withheld", "user_withheld",
        "warning", "disconnect", "keep-alive"};
    private static final double[] NOTICE_WEIGHTS = {80, 8, 2, 2, 1, 2, 1, 4};
    private static final String[] BROKEN = {"cut", "array", "string", "glued", "invalid-utf8"};
    private static final int TEXT_LIMIT = 140;
    private static final JsonFactory JSON = new JsonFactory();

    /**
     * @param tweets      lines to write (notices and broken lines included)
     * @param start       {@code created_at} of the first status
     * @param span        about how long after {@code start} the last status is; null for 20 ms a line
     * @param brokenRatio share of broken lines, 0 to 1
     */
    public record Options(long tweets, long seed, Instant start, Duration span, double brokenRatio) {
        public Options {
            Objects.requireNonNull(start, "start");
            if (tweets < 0) {
                throw new IllegalArgumentException("tweets must be >= 0: " + tweets);
            }
            if (span != null && (span.isNegative() || span.isZero())) {
                throw new IllegalArgumentException("span must be positive: " + span);
            }
            if (!(brokenRatio >= 0 && brokenRatio <= 1)) {
                throw new IllegalArgumentException("broken ratio must be within [0, 1]: " + brokenRatio);
            }
        }
    }

    private final Options options;
    private final Random random;
    private final Population tags;
    private final double[] noticeCumulative;
    private final double meanGapMicros;
    private long clockMicros;
    private long nextId = 1_050_118_621_198_921_728L;

    public TweetGenerator(Options options) {
        this.options = options;
        this.random = new Random(options.seed());
        this.tags = new Population(TAGS, TAGS, 1.0, Permutation.mix(options.seed())); // Zipf over all: named ranks first
        this.noticeCumulative = cumulative(NOTICE_WEIGHTS);
        this.clockMicros = Math.multiplyExact(options.start().toEpochMilli(), 1000L);
        this.meanGapMicros = options.span() == null || options.tweets() == 0 ? DEFAULT_GAP_MICROS
                : options.span().toNanos() / 1000.0 / options.tweets();
    }

    /** Writes every line, each followed by {@code \n}. */
    public void writeTo(OutputStream out) throws IOException {
        for (long i = 0; i < options.tweets(); i++) {
            out.write(nextLine());
            out.write('\n');
        }
    }

    /** The next line's bytes, without its terminator. */
    byte[] nextLine() {
        clockMicros += Math.round(-meanGapMicros * StrictMath.log(1 - random.nextDouble()));
        long millis = clockMicros / 1000;
        double u = random.nextDouble();
        if (u < options.brokenRatio()) {
            return broken(millis);
        }
        if (u < options.brokenRatio() + NOTICE_RATIO) {
            return notice(millis);
        }
        if (random.nextDouble() < OUT_OF_ORDER_RATIO) {
            millis -= 1_000 + random.nextInt(9_000);
        }
        return utf8(status(millis));
    }

    private String status(long millis) {
        double kind = random.nextDouble();
        Tweet tweet = tweet(millis);
        if (kind < 0.25) {
            Tweet original = tweet(millis - 60_000L * (1 + random.nextInt(600)));
            if (random.nextDouble() < 0.3) {
                original = longTweet(original);
            }
            String shown = "RT @" + original.user + ": " + original.text;
            Tweet retweeted = original;
            return json(json -> writeRetweet(json, tweet, retweeted, shown));
        }
        if (kind < 0.35) {
            Tweet extended = longTweet(tweet);
            return json(json -> writeStatus(json, extended, true, true));
        }
        if (kind < 0.38) {
            return json(json -> writeStatus(json, tweet, false, false));
        }
        return json(json -> writeStatus(json, tweet, true, false));
    }

    /** One status's content: its text with tags at their places. */
    private record Tweet(long id, long millis, String user, long userId, String text, List<String> tags) {}

    private Tweet tweet(long millis) {
        int tagCount = pickTagCount();
        List<String> chosen = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int words = 3 + random.nextInt(12);
        for (int w = 0; w < words; w++) {
            text.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
            if (chosen.size() < tagCount && random.nextInt(words) < tagCount) {
                appendTag(text, chosen);
            }
        }
        while (chosen.size() < tagCount) {
            appendTag(text, chosen);
        }
        if (!chosen.isEmpty() && random.nextDouble() < 0.05) {
            String again = caseVariant(chosen.get(0)); // the same tag again, maybe in another case: counted once
            text.append(" #").append(again);
            chosen.add(again);
        }
        int user = random.nextInt(USERS);
        return new Tweet(nextId++, millis, "user" + Integer.toString(user, 36), 1_000_000L + user, text.toString(), chosen);
    }

    private void appendTag(StringBuilder text, List<String> chosen) {
        int index = tags.draw(random.nextDouble());
        String tag = index < NAMED_TAGS.length ? NAMED_TAGS[index] : "topic" + Integer.toString(index, 36);
        String written = caseVariant(tag);
        text.append(" #").append(written);
        if (random.nextDouble() < 0.1) {
            text.append(EMOJI[random.nextInt(EMOJI.length)]);
        }
        chosen.add(written);
    }

    private String caseVariant(String tag) {
        double u = random.nextDouble();
        return u < 0.6 ? tag : u < 0.85 ? tag.toLowerCase(Locale.ROOT)
                : u < 0.95 ? tag.toUpperCase(Locale.ROOT) : Character.toUpperCase(tag.charAt(0)) + tag.substring(1);
    }

    private int pickTagCount() {
        double u = random.nextDouble();
        return u < 0.45 ? 0 : u < 0.75 ? 1 : u < 0.9 ? 2 : u < 0.97 ? 3 : 4;
    }

    /** A tweet over 140 characters: more words after its text, and sometimes one more tag at the very end. */
    private Tweet longTweet(Tweet tweet) {
        StringBuilder text = new StringBuilder(tweet.text);
        while (text.length() <= TEXT_LIMIT + 40) {
            text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        List<String> chosen = new ArrayList<>(tweet.tags);
        appendTag(text, chosen);
        return new Tweet(tweet.id, tweet.millis, tweet.user, tweet.userId, text.toString(), chosen);
    }

    private void writeRetweet(JsonGenerator json, Tweet retweet, Tweet original, String shown) throws IOException {
        boolean long_ = shown.codePointCount(0, shown.length()) > TEXT_LIMIT;
        String text = long_ ? cut(shown) : shown;
        json.writeStartObject();
        writeHead(json, retweet, text);
        json.writeBooleanField("truncated", false);
        json.writeFieldName("retweeted_status");
        writeStatus(json, original, true, long_ && original.text.codePointCount(0, original.text.length()) > TEXT_LIMIT);
        writeEntities(json, text, visible(original.tags, text));
        writeTail(json, retweet);
        json.writeEndObject();
    }

    private void writeStatus(JsonGenerator json, Tweet tweet, boolean entities, boolean extended) throws IOException {
        String text = extended ? cut(tweet.text) : tweet.text;
        json.writeStartObject();
        writeHead(json, tweet, text);
        json.writeBooleanField("truncated", extended);
        if (entities) {
            writeEntities(json, text, visible(tweet.tags, text));
        }
        if (extended) {
            json.writeObjectFieldStart("extended_tweet");
            json.writeStringField("full_text", tweet.text);
            json.writeArrayFieldStart("display_text_range");
            json.writeNumber(0);
            json.writeNumber(tweet.text.codePointCount(0, tweet.text.length()));
            json.writeEndArray();
            writeEntities(json, tweet.text, tweet.tags);
            json.writeEndObject();
        }
        writeTail(json, tweet);
        json.writeEndObject();
    }

    private void writeHead(JsonGenerator json, Tweet tweet, String text) throws IOException {
        json.writeStringField("created_at", TwitterTime.format(tweet.millis));
        json.writeNumberField("id", tweet.id);
        json.writeStringField("id_str", Long.toString(tweet.id));
        json.writeStringField("text", text);
        json.writeStringField("source", SOURCES[random.nextInt(SOURCES.length)]);
        json.writeNullField("in_reply_to_status_id");
        json.writeObjectFieldStart("user");
        json.writeNumberField("id", tweet.userId);
        json.writeStringField("id_str", Long.toString(tweet.userId));
        json.writeStringField("name", "User " + tweet.user.toUpperCase(Locale.ROOT));
        json.writeStringField("screen_name", tweet.user);
        json.writeStringField("location", random.nextBoolean() ? "Earth" : "東京, 日本");
        json.writeStringField("description", "Streams, windows and coffee ☕");
        json.writeBooleanField("verified", random.nextInt(50) == 0);
        json.writeNumberField("followers_count", random.nextInt(100_000));
        json.writeNumberField("friends_count", random.nextInt(5_000));
        json.writeNumberField("statuses_count", random.nextInt(200_000));
        json.writeStringField("created_at", TwitterTime.format(tweet.millis - 86_400_000L * (1 + random.nextInt(3_000))));
        json.writeStringField("profile_image_url_https", "https://pbs.twimg.com/profile_images/" + tweet.userId + "/a_normal.jpg");
        json.writeEndObject();
        json.writeNullField("geo");
        json.writeNullField("coordinates");
        json.writeNullField("place");
    }

    private void writeTail(JsonGenerator json, Tweet tweet) throws IOException {
        json.writeNumberField("retweet_count", 0);
        json.writeNumberField("favorite_count", 0);
        json.writeBooleanField("favorited", false);
        json.writeStringField("filter_level", "low");
        json.writeStringField("lang", LANGS[random.nextInt(LANGS.length)]);
        json.writeStringField("timestamp_ms", Long.toString(tweet.millis));
    }

    /** {@code entities} of {@code text}: the hashtags as written, with their indices (code points, as Twitter). */
    private static void writeEntities(JsonGenerator json, String text, List<String> tags) throws IOException {
        json.writeObjectFieldStart("entities");
        json.writeArrayFieldStart("hashtags");
        int from = 0;
        for (String tag : tags) {
            int at = text.indexOf("#" + tag, from);
            if (at < 0) {
                continue; // a repeated tag found already
            }
            from = at + 1;
            json.writeStartObject();
            json.writeStringField("text", tag);
            json.writeArrayFieldStart("indices");
            int start = text.codePointCount(0, at);
            json.writeNumber(start);
            json.writeNumber(start + 1 + tag.codePointCount(0, tag.length()));
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("urls");
        json.writeEndArray();
        json.writeArrayFieldStart("user_mentions");
        json.writeEndArray();
        json.writeArrayFieldStart("symbols");
        json.writeEndArray();
        json.writeEndObject();
    }

    /** The tags written in {@code text} (a cut text loses those past the cut), each once. */
    private static List<String> visible(List<String> tags, String text) {
        List<String> shown = new ArrayList<>();
        for (String tag : tags) {
            if (text.contains("#" + tag) && !shown.contains(tag)) {
                shown.add(tag);
            }
        }
        return shown;
    }

    /** The first 140 code points minus two, and {@code " …"}: what Twitter shows of a longer text. */
    private static String cut(String text) {
        if (text.codePointCount(0, text.length()) <= TEXT_LIMIT) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, TEXT_LIMIT - 2)) + " …";
    }

    private byte[] notice(long millis) {
        String kind = NOTICES[pick(noticeCumulative)];
        String time = Long.toString(millis);
        String json = switch (kind) {
            case "delete" -> "{\"delete\":{\"status\":{\"id\":" + (nextId - 1 - random.nextInt(1_000)) + ",\"user_id\":"
                    + (1_000_000 + random.nextInt(USERS)) + "},\"timestamp_ms\":\"" + time + "\"}}";
            case "limit" -> "{\"limit\":{\"track\":" + (1 + random.nextInt(5_000)) + ",\"timestamp_ms\":\"" + time + "\"}}";
            case "scrub_geo" -> "{\"scrub_geo\":{\"user_id\":" + (1_000_000 + random.nextInt(USERS)) + ",\"up_to_status_id\":"
                    + (nextId - 1) + ",\"timestamp_ms\":\"" + time + "\"}}";
            case "status_withheld" -> "{\"status_withheld\":{\"id\":" + (nextId - 1) + ",\"user_id\":"
                    + (1_000_000 + random.nextInt(USERS)) + ",\"withheld_in_countries\":[\"DE\",\"FR\"],\"timestamp_ms\":\""
                    + time + "\"}}";
            case "user_withheld" -> "{\"user_withheld\":{\"id\":" + (1_000_000 + random.nextInt(USERS))
                    + ",\"withheld_in_countries\":[\"TR\"],\"timestamp_ms\":\"" + time + "\"}}";
            case "warning" -> "{\"warning\":{\"code\":\"FALLING_BEHIND\",\"message\":\"Your connection is falling behind and"
                    + " messages are being queued for delivery to you.\",\"percent_full\":" + (60 + random.nextInt(40)) + "}}";
            case "disconnect" -> "{\"disconnect\":{\"code\":7,\"stream_name\":\"stormwatch-sample\",\"reason\":\"admin logout\"}}";
            default -> ""; // keep-alive
        };
        return utf8(json);
    }

    private byte[] broken(long millis) {
        String status = status(millis);
        return switch (BROKEN[random.nextInt(BROKEN.length)]) {
            case "cut" -> utf8(status.substring(0, 1 + random.nextInt(status.length() - 2)).replaceAll("[\\uD800-\\uDBFF]$", ""));
            case "array" -> utf8("[" + status + "]");
            case "string" -> utf8("\"#storm is trending\"");
            case "glued" -> utf8(status + status(millis));
            default -> {
                byte[] bytes = utf8(status);
                int text = indexOf(bytes, "\"text\":\"".getBytes(StandardCharsets.US_ASCII)) + 8;
                byte[] bad = Arrays.copyOf(bytes, bytes.length + 2);
                System.arraycopy(bytes, text, bad, text + 2, bytes.length - text);
                bad[text] = (byte) 0xC3;
                bad[text + 1] = (byte) 0x28; // 0xC3 needs a continuation byte; '(' is none
                yield bad;
            }
        };
    }

    private static int indexOf(byte[] bytes, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= bytes.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (bytes[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }

    /** Writes one JSON value with a generator. */
    @FunctionalInterface
    private interface Writing {
        void write(JsonGenerator json) throws IOException;
    }

    private static String json(Writing writing) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1_024);
            try (JsonGenerator json = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
                writing.write(json);
            }
            return bytes.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private int pick(double[] cumulative) {
        double x = random.nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length; i++) {
            if (x < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    private static double[] cumulative(double[] weights) {
        double[] sums = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            sums[i] = sum;
        }
        return sums;
    }
}
