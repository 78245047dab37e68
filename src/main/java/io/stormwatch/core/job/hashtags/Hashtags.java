package io.stormwatch.core.job.hashtags;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.agg.Counts;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallySchema;
import io.stormwatch.core.job.Aggregate;
import io.stormwatch.core.job.Extractor;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Settings;
import io.stormwatch.core.job.Views;
import java.io.IOException;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * hashtags: the trending hashtags of the Spark Streaming tutorial's Twitter job —
 * <pre>
 * val hashTags = stream.flatMap(status =&gt; status.getText.split(" ").filter(_.startsWith("#")))
 * val topCounts = hashTags.map((_, 1)).reduceByKeyAndWindow(_ + _, _ - _, Seconds(300), Seconds(1))
 *                         .map { case (tag, n) =&gt; (n, tag) }.transform(_.sortByKey(false))   // top 10 printed
 * </pre>
 * over Twitter API v1.1 status JSON, one object per line.
 *
 * <ul>
 *   <li>Extractor: {@link StatusExtractor} (Jackson's streaming parser; tags from the entities, folded,
 *       once per tweet; notices counted by kind; reject reasons {@code invalid-json}, {@code not-an-object},
 *       {@code missing-field}, {@code bad-field}, {@code too-deep}, {@code invalid-utf8}). Event time is
 *       {@code created_at}; notices without a {@code timestamp_ms} have none ({@link Job#NO_EVENT_TIME}).</li>
 *   <li>Aggregate: cells {@code tweets}, {@code retweets}, {@code taggedTweets} (tweets with at least one tag);
 *       dimensions tag → tweets that carry it, notice kind → notices. {@code records} = tweets + notices.</li>
 *   <li>Views: JSON
 *       <pre>{"records":10,"rejected":1,"rejectReasons":{"invalid-json":1},"tweets":9,"retweets":2,
 * "taggedTweets":6,"distinctHashtags":4,"notices":{"delete":1},
 * "topHashtags":[{"tag":"storm","count":5},{"tag":"café","count":2}]}</pre>
 *       with the top {@value #DEFAULT_TOP} (setting {@value #TOP}) by count, then tag; the log line
 *       {@code tweets=9 rejected=1 notices=1 top=[#storm=5, #café=2, ...]} (ten tags).</li>
 *   <li>Engine defaults: Spark's 300 s window sliding by 1 s, lag 5 s, event time. The lag: {@code created_at}
 *       has whole seconds and Twitter's stream delivers statuses only roughly in order (a few seconds apart at
 *       most, from many servers); 5 s of lag keeps them in their pane for the price of 5 panes of 1 s held open
 *       and results 5 s later, small beside a 5-minute window.</li>
 * </ul>
 *
 * @param top size of the {@code topHashtags} view
 */
public record Hashtags(int top) implements Job<Status> {

    public static final String NAME = "hashtags";
    /** Config key of the size of {@code topHashtags}. */
    public static final String TOP = "stormwatch.hashtags.top";
    public static final int DEFAULT_TOP = 10;

    static final int TWEETS = 2;
    static final int RETWEETS = 3;
    static final int TAGGED = 4;
    static final int TAGS = 1;
    static final int NOTICES = 2;
    static final TallySchema SCHEMA = TallySchema.builder().sum().sum().sum().stringKeys().stringKeys().build();
    private static final Aggregate<Status> COUNTING = Aggregate.of(SCHEMA, Hashtags::count);

    /** Tags the log line shows. */
    private static final int LOGGED_TAGS = 10;

    public Hashtags {
        if (top < 0) {
            throw new IllegalArgumentException(TOP + " must be >= 0, got " + top);
        }
    }

    /** From {@value #TOP} (default {@value #DEFAULT_TOP}). */
    public static Hashtags fromConfig(Map<String, Object> conf) {
        return new Hashtags(Settings.integer(conf, TOP, DEFAULT_TOP));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Extractor<Status> newExtractor() {
        return new StatusExtractor();
    }

    @Override
    public long eventTimeMillis(Status record) {
        return record.timeMillis();
    }

    @Override
    public Map<String, String> engineDefaults() {
        return Map.of(Settings.WINDOW_LENGTH, "5m", Settings.WINDOW_SLIDE, "1s", Settings.WINDOW_LAG, "5s",
                "stormwatch.time", "event");
    }

    @Override
    public Aggregate<Status> aggregate() {
        return COUNTING;
    }

    @Override
    public Views views() {
        return new TagViews(top);
    }

    private static void count(Status record, Tally accumulator) {
        accumulator.countRecord();
        if (record.isNotice()) {
            accumulator.count(NOTICES, record.notice());
            return;
        }
        accumulator.sum(TWEETS, 1);
        if (record.retweet()) {
            accumulator.sum(RETWEETS, 1);
        }
        if (!record.tags().isEmpty()) {
            accumulator.sum(TAGGED, 1);
            for (String tag : record.tags()) {
                accumulator.count(TAGS, tag);
            }
        }
    }

    private record TagViews(int top) implements Views {

        @Override
        public void writeFields(Tally tally, JsonGenerator json) throws IOException {
            json.writeNumberField("records", tally.records());
            json.writeNumberField("rejected", tally.rejected());
            writeCounts(json, "rejectReasons", tally.dim(TallySchema.REJECT_REASONS));
            json.writeNumberField("tweets", tally.cell(TWEETS));
            json.writeNumberField("retweets", tally.cell(RETWEETS));
            json.writeNumberField("taggedTweets", tally.cell(TAGGED));
            json.writeNumberField("distinctHashtags", tally.dim(TAGS).size());
            writeCounts(json, "notices", tally.dim(NOTICES));
            json.writeArrayFieldStart("topHashtags");
            for (Map.Entry<String, Long> e : tally.<String>dim(TAGS).top(top, Comparator.naturalOrder())) {
                json.writeStartObject();
                json.writeStringField("tag", e.getKey());
                json.writeNumberField("count", e.getValue());
                json.writeEndObject();
            }
            json.writeEndArray();
        }

        private static void writeCounts(JsonGenerator json, String field, Counts<String> counts) throws IOException {
            json.writeObjectFieldStart(field);
            for (Map.Entry<String, Long> e : new TreeMap<>(counts.toMap()).entrySet()) {
                json.writeNumberField(e.getKey(), e.getValue());
            }
            json.writeEndObject();
        }

        @Override
        public String describe(JsonNode json) {
            long notices = 0;
            for (JsonNode n : json.path("notices")) {
                notices += n.asLong();
            }
            return "tweets=" + json.path("tweets").asLong() + " rejected=" + json.path("rejected").asLong()
                    + " notices=" + notices + " top="
                    + StreamSupport.stream(json.path("topHashtags").spliterator(), false).limit(LOGGED_TAGS)
                            .map(e -> "#" + e.path("tag").asText() + "=" + e.path("count").asLong())
                            .collect(Collectors.joining(", ", "[", "]"));
        }
    }
}
