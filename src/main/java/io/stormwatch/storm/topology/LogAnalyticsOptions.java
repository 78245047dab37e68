package io.stormwatch.storm.topology;

import static io.stormwatch.storm.topology.StormwatchConfig.integer;
import static io.stormwatch.storm.topology.StormwatchConfig.string;

import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.window.TimeMode;
import io.stormwatch.core.window.WindowSpec;
import java.io.Serializable;
import java.util.Locale;
import java.util.Map;

/**
 * What shapes the log-analytics topology's computation (not where its input comes from or where results
 * go: the factory takes the spout and sinks themselves).
 *
 * @param format           parser format: {@code auto}, {@code common}, ... or an Apache LogFormat string
 * @param maxLineLength    lines longer than this are rejected as too long
 * @param window           window length, slide and lag
 * @param time             event time (the log's {@code %t}) or processing time
 * @param clientsOver      threshold of the "clients with more than N requests" view
 * @param topEndpoints     size of the top-endpoints view
 * @param parseParallelism parse bolt tasks; panes, windows and totals run as one task each (see the page)
 */
public record LogAnalyticsOptions(
        String format,
        int maxLineLength,
        WindowSpec window,
        TimeMode time,
        int clientsOver,
        int topEndpoints,
        int parseParallelism) implements Serializable {

    public static final String DEFAULT_WINDOW = "30s";
    public static final String DEFAULT_SLIDE = "10s";
    public static final String DEFAULT_LAG = "5s";

    public LogAnalyticsOptions {
        if (parseParallelism < 1) {
            throw new IllegalArgumentException("parse parallelism must be at least 1, got " + parseParallelism);
        }
    }

    /** The defaults: auto format, 30 s windows sliding by 10 s with 5 s lag, event time. */
    public static LogAnalyticsOptions defaults() {
        return fromConfig(Map.of());
    }

    /** Reads the {@code stormwatch.*} keys of a topology config; absent keys take their defaults. */
    public static LogAnalyticsOptions fromConfig(Map<String, Object> conf) {
        WindowSpec window = WindowSpec.parse(
                string(conf, StormwatchConfig.WINDOW_LENGTH, DEFAULT_WINDOW),
                string(conf, StormwatchConfig.WINDOW_SLIDE, DEFAULT_SLIDE),
                string(conf, StormwatchConfig.WINDOW_LAG, DEFAULT_LAG));
        String time = string(conf, StormwatchConfig.TIME, "event");
        TimeMode mode;
        try {
            mode = TimeMode.valueOf(time.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(StormwatchConfig.TIME + " must be 'event' or 'processing', got '" + time + "'");
        }
        return new LogAnalyticsOptions(
                string(conf, StormwatchConfig.FORMAT, "auto"),
                integer(conf, StormwatchConfig.MAX_LINE_LENGTH, AccessLogParser.DEFAULT_MAX_LINE_LENGTH),
                window,
                mode,
                integer(conf, StormwatchConfig.CLIENTS_OVER, LogStats.DEFAULT_CLIENT_THRESHOLD),
                integer(conf, StormwatchConfig.TOP_ENDPOINTS, LogStats.DEFAULT_TOP_ENDPOINTS),
                integer(conf, StormwatchConfig.PARSE_PARALLELISM, 1));
    }
}
