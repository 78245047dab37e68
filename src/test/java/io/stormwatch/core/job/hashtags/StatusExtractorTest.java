package io.stormwatch.core.job.hashtags;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.job.Job;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The extractor, table by table: where tags come from (entities, extended tweets, text, retweets), how they
 * are folded and counted once, every notice kind with its time, and every way a line is rejected.
 */
class StatusExtractorTest {

    private static final String AT = "\"created_at\":\"Wed Oct 10 20:19:24 +0000 2018\"";
    private static final long T = Instant.parse("2018-10-10T20:19:24Z").toEpochMilli();

    /** What the extractor made of a line: a status, or the rejection. */
    private record Outcome(Status status, String reason, String detail) {}

    private static Outcome extract(String line) {
        List<String[]> rejections = new ArrayList<>();
        Status status = new StatusExtractor().extract(line, (reason, detail) -> rejections.add(new String[] {reason, detail}));
        assertThat(rejections.size() + (status == null ? 0 : 1)).as("exactly one outcome for %s", line).isEqualTo(1);
        return rejections.isEmpty() ? new Outcome(status, null, null)
                : new Outcome(null, rejections.get(0)[0], rejections.get(0)[1]);
    }

    private static String tags(String... tags) {
        StringBuilder json = new StringBuilder("{\"hashtags\":[");
        for (int i = 0; i < tags.length; i++) {
            json.append(i > 0 ? "," : "").append("{\"text\":\"").append(tags[i]).append("\",\"indices\":[0,1]}");
        }
        return json.append("],\"urls\":[],\"user_mentions\":[{\"screen_name\":\"x\"}]}").toString();
    }

    static Stream<Arguments> tweets() {
        return Stream.of(
                Arguments.of("entities, folded, each tag once per tweet",
                        "{" + AT + ",\"id\":1,\"text\":\"#Storm #storm #STORM #Kafka\",\"user\":{\"id\":2,\"name\":\"n\"},"
                                + "\"entities\":" + tags("Storm", "storm", "STORM", "Kafka") + "}",
                        "#Storm #storm #STORM #Kafka", List.of("storm", "kafka"), false),
                Arguments.of("entities win over the text: an empty hashtags list is no tags",
                        "{" + AT + ",\"text\":\"#notATag here\",\"entities\":" + tags() + "}",
                        "#notATag here", List.of(), false),
                Arguments.of("non-ASCII entities: NFC, then lower case in Locale.ROOT",
                        "{" + AT + ",\"text\":\"x\",\"entities\":" + tags("Café", "cafe\\u0301", "東京", "ÜNÏCÖDÉ", "ISTANBUL") + "}",
                        "x", List.of("café", "東京", "ünïcödé", "istanbul"), false),
                Arguments.of("extended tweet: full_text and extended_tweet.entities, not the cut ones",
                        "{" + AT + ",\"truncated\":true,\"text\":\"long… #cut\",\"entities\":" + tags("cut")
                                + ",\"extended_tweet\":{\"full_text\":\"long text #Full #end\",\"display_text_range\":[0,20],"
                                + "\"entities\":" + tags("Full", "end") + "}}",
                        "long text #Full #end", List.of("full", "end"), false),
                Arguments.of("extended_tweet after the top-level fields, in any order",
                        "{\"extended_tweet\":{\"entities\":" + tags("a") + ",\"full_text\":\"full #a\"},\"text\":\"cut\"," + AT + "}",
                        "full #a", List.of("a"), false),
                Arguments.of("no entities: the tags of the text",
                        "{" + AT + ",\"text\":\"#Storm, #storm! a#b &#39; #2024 #___ #東京🗼 #café #_x1 ＃Wide #cafe\\u0301 #️⃣ #\"}",
                        "#Storm, #storm! a#b &#39; #2024 #___ #東京🗼 #café #_x1 ＃Wide #cafe\u0301 #️⃣ #",
                        List.of("storm", "東京", "café", "_x1", "wide"), false),
                Arguments.of("no entities, extended: the tags of full_text",
                        "{" + AT + ",\"text\":\"cut #a\",\"extended_tweet\":{\"full_text\":\"cut #a and #b\"}}",
                        "cut #a and #b", List.of("a", "b"), false),
                Arguments.of("tweet_mode=extended REST status: full_text at the top",
                        "{" + AT + ",\"full_text\":\"#one #two\"}", "#one #two", List.of("one", "two"), false),
                Arguments.of("retweet: the retweeted status's tags (extended), the retweet's own text",
                        "{" + AT + ",\"text\":\"RT @a: long… #cut\",\"entities\":" + tags("cut") + ",\"retweeted_status\":{"
                                + "\"created_at\":\"Tue Oct 09 10:00:00 +0000 2018\",\"text\":\"long… #cut\",\"truncated\":true,"
                                + "\"entities\":" + tags("cut") + ",\"extended_tweet\":{\"full_text\":\"long #cut #Tail\","
                                + "\"entities\":" + tags("cut", "Tail") + "}}}",
                        "RT @a: long… #cut", List.of("cut", "tail"), true),
                Arguments.of("quoted tweet: its tags are not the quoting tweet's",
                        "{" + AT + ",\"text\":\"look\",\"entities\":" + tags() + ",\"quoted_status\":{" + AT
                                + ",\"text\":\"#q\",\"entities\":" + tags("q") + "}}",
                        "look", List.of(), false),
                Arguments.of("null fields are absent fields",
                        "{" + AT + ",\"text\":\"#a\",\"entities\":null,\"extended_tweet\":null,\"place\":null}",
                        "#a", List.of("a"), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tweets")
    void aStatusGivesItsTimeTextAndTags(String what, String line, String text, List<String> tags, boolean retweet) {
        Outcome outcome = extract(line);

        assertThat(outcome.reason()).as(outcome.detail()).isNull();
        assertThat(outcome.status()).isEqualTo(new Status(T, text, tags, retweet, null));
    }

    static Stream<Arguments> notices() {
        return Stream.of(
                Arguments.of("{\"delete\":{\"status\":{\"id\":1,\"id_str\":\"1\",\"user_id\":3,\"user_id_str\":\"3\"},"
                        + "\"timestamp_ms\":\"1539202764123\"}}", "delete", 1_539_202_764_123L),
                Arguments.of("{\"limit\":{\"track\":1234,\"timestamp_ms\":\"1539202764000\"}}", "limit", 1_539_202_764_000L),
                Arguments.of("{\"scrub_geo\":{\"user_id\":14090452,\"user_id_str\":\"14090452\",\"up_to_status_id\":23260136625,"
                        + "\"up_to_status_id_str\":\"23260136625\",\"timestamp_ms\":1539202764001}}", "scrub_geo", 1_539_202_764_001L),
                Arguments.of("{\"status_withheld\":{\"id\":1234567890,\"user_id\":123456,\"withheld_in_countries\":[\"DE\",\"AR\"],"
                        + "\"timestamp_ms\":\"1539202764002\"}}", "status_withheld", 1_539_202_764_002L),
                Arguments.of("{\"user_withheld\":{\"id\":123456,\"withheld_in_countries\":[\"DE\"],\"timestamp_ms\":\"1539202764003\"}}",
                        "user_withheld", 1_539_202_764_003L),
                Arguments.of("{\"disconnect\":{\"code\":4,\"stream_name\":\"sample\",\"reason\":\"admin logout\"}}", "disconnect",
                        Job.NO_EVENT_TIME),
                Arguments.of("{\"warning\":{\"code\":\"FALLING_BEHIND\",\"message\":\"Your connection is falling behind\","
                        + "\"percent_full\":60}}", "warning", Job.NO_EVENT_TIME),
                Arguments.of("{\"friends\":[1,2,3]}", "friends", Job.NO_EVENT_TIME),
                Arguments.of("{\"control\":{\"control_uri\":\"/1.1/site/c/1_1_54e345d655ee3e8df359ac033648530bfbe26c5g\"}}",
                        "control", Job.NO_EVENT_TIME),
                Arguments.of("{\"brand_new_kind\":{\"timestamp_ms\":\"1539202764004\"}}", "other", Job.NO_EVENT_TIME),
                Arguments.of("{\"limit\":{\"track\":1,\"timestamp_ms\":\"soon\"}}", "limit", Job.NO_EVENT_TIME),
                Arguments.of("", "keep-alive", Job.NO_EVENT_TIME),
                Arguments.of("\r", "keep-alive", Job.NO_EVENT_TIME));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("notices")
    void aNoticeIsCountedByKindWithItsOwnTimeIfAny(String line, String kind, long time) {
        Outcome outcome = extract(line);

        assertThat(outcome.reason()).as(outcome.detail()).isNull();
        long expected = kind.equals("other") ? Job.NO_EVENT_TIME : time; // an unknown kind's time is not trusted
        assertThat(outcome.status()).isEqualTo(Status.notice(kind, kind.equals("other") ? outcome.status().timeMillis() : expected));
        assertThat(outcome.status().isNotice()).isTrue();
    }

    static Stream<Arguments> rejected() {
        String deep = "{\"created_at\":\"x\",\"user\":" + "[".repeat(2_000) + "]".repeat(2_000) + "}";
        return Stream.of(
                Arguments.of("cut JSON", "{" + AT + ",\"text\":\"#a\",\"entities\":{\"hasht", "invalid-json", "end-of-input"),
                Arguments.of("cut inside a string", "{\"created_at\":\"Wed Oct 10 20:19", "invalid-json", "end-of-input"),
                Arguments.of("not JSON", "Wed Oct 10 20:19:24 +0000 2018 #storm", "invalid-json", "column"),
                Arguments.of("single quotes", "{'created_at':'x'}", "invalid-json", "column"),
                Arguments.of("two objects glued", "{" + AT + ",\"text\":\"a\"}{" + AT + ",\"text\":\"b\"}", "invalid-json",
                        "more after the object"),
                Arguments.of("trailing comma", "{" + AT + ",\"text\":\"a\",}", "invalid-json", "column"),
                Arguments.of("an array", "[{" + AT + ",\"text\":\"a\"}]", "not-an-object", "array"),
                Arguments.of("a string", "\"#storm\"", "not-an-object", "string"),
                Arguments.of("a number", "42", "not-an-object", "number"),
                Arguments.of("null", "null", "not-an-object", "null"),
                Arguments.of("an empty object", "{}", "missing-field", "created_at"),
                Arguments.of("a scalar one-field object", "{\"id\":1}", "missing-field", "created_at"),
                Arguments.of("no text", "{" + AT + ",\"entities\":" + tags("a") + "}", "missing-field", "text"),
                Arguments.of("no created_at", "{\"text\":\"#a\"}", "missing-field", "created_at"),
                Arguments.of("created_at not Twitter's", "{\"created_at\":\"2018-10-10T20:19:24Z\",\"text\":\"a\"}", "bad-field",
                        "2018-10-10T20:19:24Z"),
                Arguments.of("created_at a number", "{\"created_at\":1539202764,\"text\":\"a\"}", "bad-field", "created_at"),
                Arguments.of("text an object", "{" + AT + ",\"text\":{}}", "bad-field", "text"),
                Arguments.of("hashtags not an array", "{" + AT + ",\"text\":\"a\",\"entities\":{\"hashtags\":\"#a\"}}", "bad-field",
                        "hashtags"),
                Arguments.of("a hashtag not an object", "{" + AT + ",\"text\":\"a\",\"entities\":{\"hashtags\":[\"a\"]}}",
                        "bad-field", "element"),
                Arguments.of("entities an array", "{" + AT + ",\"text\":\"a\",\"entities\":[]}", "bad-field", "entities"),
                Arguments.of("invalid UTF-8", "{" + AT + ",\"text\":\"caf" + LineReader.UNDECODABLE + "\"}", "invalid-utf8",
                        "character"),
                Arguments.of("2,000 levels deep, in a field the job skips", deep, "too-deep", "depth"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void aBadLineIsRejectedWithAReasonAndADetail(String what, String line, String reason, String detailHas) {
        Outcome outcome = extract(line);

        assertThat(outcome.reason()).isEqualTo(reason);
        assertThat(outcome.detail()).containsIgnoringCase(detailHas).hasSizeLessThan(200);
    }

    @org.junit.jupiter.api.Test
    void aHugeStatusIsReadWhole() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            text.append("#t").append(i % 1_000).append(' ');
        }
        String filler = "{\"a\":[" + "1,".repeat(5_000) + "1]}";
        String line = "{" + AT + ",\"user\":" + filler + ",\"text\":\"" + text + "\"}";

        Outcome outcome = extract(line);

        assertThat(line.length()).isGreaterThan(25_000);
        assertThat(outcome.status().tags()).hasSize(1_000).startsWith("t0", "t1");
    }
}
