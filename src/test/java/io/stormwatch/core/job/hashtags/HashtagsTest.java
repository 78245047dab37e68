package io.stormwatch.core.job.hashtags;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.window.WindowAssembler;
import io.stormwatch.core.window.WindowSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hashtags job end to end through the batch engine on a small stream: its JSON object, its log line, the
 * top N setting, and where notices without a time go (the totals, no event-time window).
 */
class HashtagsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static String tweet(String createdAt, String... tags) {
        StringBuilder text = new StringBuilder("hi");
        for (String tag : tags) {
            text.append(" #").append(tag);
        }
        return "{\"created_at\":\"" + createdAt + "\",\"text\":\"" + text + "\"}";
    }

    private Path stream() throws Exception {
        return Files.write(tmp.resolve("tweets.jsonl"), List.of(
                tweet("Wed Oct 10 20:00:01 +0000 2018", "Storm", "kafka"),
                tweet("Wed Oct 10 20:00:02 +0000 2018", "storm"),
                "{\"delete\":{\"status\":{\"id\":1},\"timestamp_ms\":\"1539201602500\"}}",
                tweet("Wed Oct 10 20:00:03 +0000 2018"),
                "{\"created_at\":\"Wed Oct 10 20:00:03 +0000 2018\",\"text\":\"RT @a: x\",\"retweeted_status\":"
                        + tweet("Wed Oct 10 19:00:00 +0000 2018", "Café") + "}",
                "{\"disconnect\":{\"code\":4,\"stream_name\":\"s\",\"reason\":\"r\"}}",
                "",
                "{\"created_at\":\"Wed Oct 10 20:00:0",
                "[1]",
                tweet("Wed Oct 10 20:10:00 +0000 2018", "storm", "zebra")));
    }

    @Test
    void totalsCountTweetsTagsNoticesAndRejections() throws Exception {
        Hashtags job = Hashtags.fromConfig(Map.of());

        Tally totals = new Batch<>(job, 65_536).run(List.of(stream()), Batch.DeadLetterSink.DISCARD, b -> {});

        assertThat(JSON.readTree(job.views().jsonText(totals))).isEqualTo(JSON.readTree("""
                {"records":8,"rejected":2,"rejectReasons":{"invalid-json":1,"not-an-object":1},"tweets":5,"retweets":1,
                 "taggedTweets":4,"distinctHashtags":4,"notices":{"delete":1,"disconnect":1,"keep-alive":1},
                 "topHashtags":[{"tag":"storm","count":3},{"tag":"café","count":1},{"tag":"kafka","count":1},
                                {"tag":"zebra","count":1}]}"""));
        assertThat(job.views().describe(job.views().json(totals)))
                .isEqualTo("tweets=5 rejected=2 notices=3 top=[#storm=3, #café=1, #kafka=1, #zebra=1]");
    }

    @Test
    void topNComesFromItsSetting() throws Exception {
        Hashtags job = Hashtags.fromConfig(Map.of(Hashtags.TOP, "1"));

        Tally totals = new Batch<>(job, 65_536).run(List.of(stream()), Batch.DeadLetterSink.DISCARD, b -> {});

        assertThat(job.views().json(totals).get("topHashtags")).hasSize(1);
        assertThat(job.engineDefaults()).containsEntry("stormwatch.window.length", "5m")
                .containsEntry("stormwatch.window.slide", "1s");
    }

    @Test
    void eventTimeWindowsHoldTweetsAndTimedNoticesOnly() throws Exception {
        Hashtags job = Hashtags.fromConfig(Map.of());
        List<JsonNode> windows = new ArrayList<>();

        new Batch<>(job, 65_536, new WindowSpec(300_000, 1_000, 5_000), new WindowAssembler.Listener() {
            @Override
            public void window(long start, long end, Tally tally, long late) {
                windows.add(job.views().windowJson(start, end, tally, late));
            }

            @Override
            public void late(String source, long[] offsets, long[] times, long reportedIn) {}
        }).run(List.of(stream()), Batch.DeadLetterSink.DISCARD, b -> {});

        JsonNode first = windows.get(0);
        assertThat(first.get("windowEnd").asText()).isEqualTo("2018-10-10T20:00:01Z");
        assertThat(windows).as("one window per second while data is in it").hasSize(2 * 300 + 2);
        JsonNode full = windows.stream().filter(w -> w.get("windowEnd").asText().equals("2018-10-10T20:00:03Z"))
                .findFirst().orElseThrow();
        assertThat(full.get("tweets").asLong()).isEqualTo(4);
        assertThat(full.get("notices").toString()).isEqualTo("{\"delete\":1}");
        assertThat(full.get("rejected").asLong()).isZero();
    }
}
