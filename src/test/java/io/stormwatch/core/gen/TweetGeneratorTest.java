package io.stormwatch.core.gen;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.job.hashtags.HashtagText;
import io.stormwatch.core.job.hashtags.Status;
import io.stormwatch.core.job.hashtags.StatusExtractor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tweet generator writes what it promises — every kind of status, notice and broken line, tags in mixed
 * case and non-ASCII, out-of-order times — the same bytes for a seed, and entities that agree with the texts.
 */
class TweetGeneratorTest {

    private static final Instant START = Instant.parse("2024-03-31T00:00:00Z");

    private static byte[] generate(long tweets, long seed, Duration span) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TweetGenerator(new TweetGenerator.Options(tweets, seed, START, span, TweetGenerator.DEFAULT_BROKEN_RATIO)).writeTo(out);
        return out.toByteArray();
    }

    private static List<String> lines(byte[] bytes) throws Exception {
        List<String> lines = new ArrayList<>();
        try (LineReader reader = new LineReader(new ByteArrayInputStream(bytes), 1 << 16)) {
            for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
                lines.add(line.text());
            }
        }
        return lines;
    }

    @Test
    void theSameSeedWritesTheSameBytesAndAnotherOtherBytes() throws Exception {
        assertThat(generate(3_000, 5, null)).isEqualTo(generate(3_000, 5, null)).isNotEqualTo(generate(3_000, 6, null));
    }

    @Test
    void theStreamHoldsEveryKindOfMessage() throws Exception {
        List<String> lines = lines(generate(20_000, 42, Duration.ofMinutes(10)));
        Map<String, Integer> rejected = new HashMap<>();
        Map<String, Integer> notices = new HashMap<>();
        int retweets = 0;
        int extended = 0;
        int withoutEntities = 0;
        int outOfOrder = 0;
        long last = Long.MIN_VALUE;
        List<String> tags = new ArrayList<>();
        StatusExtractor extractor = new StatusExtractor();
        for (String line : lines) {
            Status status = extractor.extract(line, (reason, detail) -> rejected.merge(reason, 1, Integer::sum));
            if (status == null) {
                continue;
            }
            if (status.isNotice()) {
                notices.merge(status.notice(), 1, Integer::sum);
                continue;
            }
            retweets += status.retweet() ? 1 : 0;
            extended += line.contains("\"extended_tweet\"") && !status.retweet() ? 1 : 0;
            withoutEntities += line.contains("\"entities\"") ? 0 : 1;
            outOfOrder += status.timeMillis() < last ? 1 : 0;
            last = Math.max(last, status.timeMillis());
            tags.addAll(status.tags());
            if (!status.retweet()) {
                List<String> scanned = new ArrayList<>();
                HashtagText.scan(status.text(), scanned);
                assertThat(status.tags()).as("entities agree with the text: %s", line).containsExactlyInAnyOrderElementsOf(scanned);
            }
        }
        assertThat(lines).hasSize(20_000);
        assertThat(rejected).containsKeys("invalid-json", "not-an-object", "invalid-utf8");
        assertThat(notices).containsKeys("delete", "limit", "scrub_geo", "status_withheld", "user_withheld", "warning",
                "disconnect", "keep-alive");
        assertThat(retweets).isBetween(4_000, 6_000);
        assertThat(extended).isGreaterThan(1_000);
        assertThat(withoutEntities).isGreaterThan(300);
        assertThat(outOfOrder).isGreaterThan(50);
        assertThat(tags).contains("café", "東京", "ünïcödé", "storm");
        assertThat(last).isBetween(START.plusSeconds(550).toEpochMilli(), START.plusSeconds(650).toEpochMilli());
    }

    /** {@code bin/stormwatch generate --tweets 400 --seed 42 --span 10m --malformed-ratio 0.02}. */
    private static byte[] sample() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TweetGenerator(new TweetGenerator.Options(400, 42, START, Duration.ofMinutes(10), 0.02)).writeTo(out);
        return out.toByteArray();
    }

    @Test
    void theSampleFileIsWhatTheDocumentedCommandWrites() throws Exception {
        assertThat(Files.readAllBytes(Path.of("data/tweets-sample.jsonl"))).isEqualTo(sample());
    }
}
