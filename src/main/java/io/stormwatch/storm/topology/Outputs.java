package io.stormwatch.storm.topology;

import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.sink.LogSink;
import io.stormwatch.storm.sink.RedisSink;
import io.stormwatch.storm.sink.StatsSink;
import io.stormwatch.storm.state.RedisEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns an outputs spec — comma-separated {@code log}, {@code jsonl:DIR}, {@code redis://HOST:PORT[/DB]}
 * ({@code rediss://} for TLS) — into sinks keyed by their component ids ({@code sink-log},
 * {@code sink-jsonl}, {@code sink-redis}; a second output of one kind gets {@code -2}, and so on).
 */
public final class Outputs {

    /** Prefix of every Redis key the Redis sink writes for log-analytics. */
    public static final String REDIS_KEY_PREFIX = "stormwatch:log-analytics";

    private Outputs() {}

    /**
     * @param environment where the Redis password comes from ({@link StormwatchConfig#REDIS_PASSWORD_ENV})
     */
    public static Map<String, StatsSink> sinks(String spec, LogAnalyticsOptions options, Map<String, String> environment) {
        Map<String, StatsSink> sinks = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String output = part.trim();
            if (output.isEmpty()) {
                continue;
            }
            String kind;
            StatsSink sink;
            if (output.equals("log")) {
                kind = "log";
                sink = new LogSink();
            } else if (output.startsWith("jsonl:") && output.length() > "jsonl:".length()) {
                kind = "jsonl";
                String dir = Path.of(output.substring("jsonl:".length())).toAbsolutePath().normalize().toString();
                sink = new JsonLinesSink(dir, options.clientsOver(), options.topEndpoints());
            } else if (output.startsWith("redis://") || output.startsWith("rediss://")) {
                kind = "redis";
                RedisEndpoint endpoint = RedisEndpoint.parse(output, environment.get(StormwatchConfig.REDIS_PASSWORD_ENV));
                // Keep a window's keys for a few window lengths, so a dashboard can show the recent past.
                Duration ttl = Duration.ofMillis(Math.max(60_000, 4 * options.window().lengthMillis()));
                sink = new RedisSink(endpoint, REDIS_KEY_PREFIX, ttl, Math.max(100, options.topEndpoints()));
            } else {
                throw new IllegalArgumentException("unknown output '" + output
                        + "': expected log, jsonl:DIR or redis://HOST:PORT[/DB]");
            }
            String id = LogAnalyticsTopology.SINK_PREFIX + kind;
            for (int n = 2; sinks.containsKey(id); n++) {
                id = LogAnalyticsTopology.SINK_PREFIX + kind + "-" + n;
            }
            sinks.put(id, sink);
        }
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("no output given: expected log, jsonl:DIR or redis://HOST:PORT[/DB]");
        }
        return sinks;
    }
}
