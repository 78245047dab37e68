package io.stormwatch.core.job.loganalytics;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallySchema;
import io.stormwatch.core.job.Aggregate;
import io.stormwatch.core.job.Settings;
import io.stormwatch.core.job.Views;
import io.stormwatch.core.log.AccessLogFormats;
import io.stormwatch.core.log.AccessLogJob;
import io.stormwatch.core.log.LogRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * log-analytics: the statistics of the Spark Streaming log analyzer over access-log lines — request count,
 * content size sum/min/max/avg, counts per response code, clients with more than N requests, top endpoints —
 * plus rejected lines per reason ({@link LogStats}; JSON: {@link StatsJson}).
 *
 * <ul>
 *   <li>Extractor: the access-log parser of {@code format} ({@link AccessLogFormats}); its
 *       {@link io.stormwatch.core.log.RejectReason} keys are the reject reasons.</li>
 *   <li>Aggregate: {@link LogStats#SCHEMA}; event time is the log's {@code %t}.</li>
 *   <li>Views: the batch JSON object with {@code clientsOver} clients and {@code topEndpoints} endpoints;
 *       the log line {@code records=… rejected=… bytes avg=… min=… max=… codes={…} top=[…]} (codes most
 *       frequent first, the top three endpoints).</li>
 * </ul>
 *
 * @param format        {@code auto}, {@code common}, ... or an Apache LogFormat string
 * @param maxLineLength lines longer than this many characters are rejected as too long
 * @param clientsOver   threshold of the "clients with more than N requests" view
 * @param topEndpoints  size of the top-endpoints view
 */
public record LogAnalytics(String format, int maxLineLength, int clientsOver, int topEndpoints) implements AccessLogJob {

    public static final String NAME = "log-analytics";

    public static final String CLIENTS_OVER = "stormwatch.stats.clients.over";
    public static final String TOP_ENDPOINTS = "stormwatch.stats.top.endpoints";

    /** Endpoints the log line shows. */
    private static final int LOGGED_ENDPOINTS = 3;

    /** @throws IllegalArgumentException for an unknown format, when the job is configured rather than in a worker */
    public LogAnalytics {
        AccessLogJob.checkFormat(format, maxLineLength);
        if (clientsOver < 0 || topEndpoints < 0) {
            throw new IllegalArgumentException("the clients threshold and the number of top endpoints must be >= 0");
        }
    }

    /** The defaults: {@code auto} format, 64 KiB lines, clients over 10, top 10 endpoints. */
    public static LogAnalytics defaults() {
        return fromConfig(Map.of());
    }

    /**
     * From {@code stormwatch.format} (default {@code auto}), {@code stormwatch.max.line.length} (64 Ki),
     * {@value #CLIENTS_OVER} (10) and {@value #TOP_ENDPOINTS} (10).
     */
    public static LogAnalytics fromConfig(Map<String, Object> conf) {
        return new LogAnalytics(
                AccessLogJob.format(conf),
                AccessLogJob.maxLineLength(conf),
                Settings.integer(conf, CLIENTS_OVER, LogStats.DEFAULT_CLIENT_THRESHOLD),
                Settings.integer(conf, TOP_ENDPOINTS, LogStats.DEFAULT_TOP_ENDPOINTS));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Aggregate<LogRecord> aggregate() {
        return Counting.INSTANCE;
    }

    @Override
    public Views views() {
        return new StatsViews(clientsOver, topEndpoints);
    }

    private enum Counting implements Aggregate<LogRecord> {
        INSTANCE;

        @Override
        public TallySchema schema() {
            return LogStats.SCHEMA;
        }

        @Override
        public void add(LogRecord record, Tally accumulator) {
            LogStats.add(record, accumulator);
        }
    }

    private record StatsViews(int clientsOver, int topEndpoints) implements Views {

        @Override
        public void writeFields(Tally tally, JsonGenerator json) throws IOException {
            StatsJson.writeFields(LogStats.of(tally), clientsOver, topEndpoints, json);
        }

        @Override
        public String describe(JsonNode json) {
            JsonNode size = json.path(StatsJson.CONTENT_SIZE);
            List<Map.Entry<String, Long>> codes = new ArrayList<>();
            json.path(StatsJson.RESPONSE_CODES).properties().forEach(e -> codes.add(Map.entry(e.getKey(), e.getValue().asLong())));
            codes.sort(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
            StringBuilder top = new StringBuilder("[");
            int shown = 0;
            for (JsonNode e : json.path(StatsJson.TOP_ENDPOINTS)) {
                if (shown++ == LOGGED_ENDPOINTS) {
                    break;
                }
                top.append(shown > 1 ? ", " : "").append(e.path(StatsJson.ENDPOINT).asText()).append('=')
                        .append(e.path(StatsJson.COUNT).asLong());
            }
            return "records=" + json.path(StatsJson.RECORDS).asLong() + " rejected=" + json.path(StatsJson.REJECTED).asLong()
                    + " bytes avg=" + size.path(StatsJson.AVG).asLong() + " min=" + size.path(StatsJson.MIN).asLong()
                    + " max=" + size.path(StatsJson.MAX).asLong()
                    + " codes=" + codes.stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}"))
                    + " top=" + top.append(']');
        }
    }
}
