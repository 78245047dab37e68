package io.stormwatch.core.job.topurls;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallySchema;
import io.stormwatch.core.job.Aggregate;
import io.stormwatch.core.job.Settings;
import io.stormwatch.core.job.Views;
import io.stormwatch.core.log.AccessLogJob;
import io.stormwatch.core.log.LogRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * top-urls: the most requested URLs of access logs over a 5 minute window sliding every second — the Spark
 * tutorial's Flume job ({@code FlumeUtils.createPollingStream} → {@code map(url)} →
 * {@code reduceByKeyAndWindow(_ + _, _ - _, Minutes(5), Seconds(1))} → top 10), with the log spool directory
 * as its source. The extractor is the access-log parser every access-log job uses ({@link AccessLogJob}); a
 * URL is the request's target as log-analytics counts endpoints ({@link LogRecord#endpoint()}: the path with
 * its query string, as logged). JSON:
 * <pre>{"records":9900,"rejected":100,"rejectReasons":{"truncated":100},"distinctUrls":2,
 *  "topUrls":[{"url":"/index.html","count":9000},{"url":"/about","count":900}]}</pre>
 * Windows add {@code windowStart}, {@code windowEnd} and {@code late} as for every job.
 *
 * @param format        access-log format, as for log-analytics ({@code stormwatch.format})
 * @param maxLineLength lines longer than this are rejected as too long
 * @param top           how many URLs the views show ({@value #TOP}, default 10)
 */
public record TopUrls(String format, int maxLineLength, int top) implements AccessLogJob {

    public static final String NAME = "top-urls";

    /** The config key of how many URLs a window and the totals show. */
    public static final String TOP = "stormwatch.top.urls";

    public static final int DEFAULT_TOP = 10;

    private static final int URLS = 1;
    private static final Aggregate<LogRecord> COUNTING = Aggregate.of(TallySchema.builder().stringKeys().build(),
            (record, tally) -> {
                tally.countRecord();
                tally.count(URLS, record.endpoint());
            });

    public TopUrls {
        AccessLogJob.checkFormat(format, maxLineLength);
        if (top < 0) {
            throw new IllegalArgumentException(TOP + " must be >= 0, got " + top);
        }
    }

    /** From {@code stormwatch.format}, {@code stormwatch.max.line.length} and {@value #TOP}. */
    public static TopUrls fromConfig(Map<String, Object> conf) {
        return new TopUrls(AccessLogJob.format(conf), AccessLogJob.maxLineLength(conf), Settings.integer(conf, TOP, DEFAULT_TOP));
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Spark's 5 minute window sliding every second; lateness as for every access-log job. */
    @Override
    public Map<String, String> engineDefaults() {
        return Map.of(Settings.WINDOW_LENGTH, "5m", Settings.WINDOW_SLIDE, "1s");
    }

    @Override
    public Aggregate<LogRecord> aggregate() {
        return COUNTING;
    }

    @Override
    public Views views() {
        return new UrlViews(top);
    }

    private record UrlViews(int top) implements Views {

        @Override
        public void writeFields(Tally tally, JsonGenerator json) throws IOException {
            Views.writeCountedFields(tally, json);
            json.writeNumberField("distinctUrls", tally.dim(URLS).size());
            Views.writeTop(json, "topUrls", "url", tally.dim(URLS), top);
        }

        /** {@code records=… rejected=… top=[/a=9, /b=3, …]}: the whole top, as Spark's {@code print()} shows ten. */
        @Override
        public String describe(JsonNode json) {
            List<String> urls = new ArrayList<>();
            json.path("topUrls").forEach(e -> urls.add(e.path("url").asText() + "=" + e.path("count").asLong()));
            return "records=" + json.path("records").asLong() + " rejected=" + json.path("rejected").asLong()
                    + " top=" + urls;
        }
    }
}
