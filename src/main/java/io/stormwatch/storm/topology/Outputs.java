package io.stormwatch.storm.topology;

import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.core.job.Job;
import io.stormwatch.storm.sink.LogSink;
import io.stormwatch.storm.sink.ProgressHook;
import io.stormwatch.storm.sink.ProgressSink;
import io.stormwatch.core.probe.ProgressMessage;
import io.stormwatch.storm.sink.RedisSink;
import io.stormwatch.storm.sink.ResultSink;
import io.stormwatch.storm.state.RedisEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns an outputs spec — comma-separated {@code log}, {@code jsonl:DIR}, {@code redis://HOST:PORT[/DB]}
 * ({@code rediss://} for TLS), {@code progress:HOST:PORT} (the latency probe of {@code stormwatch compare}) — into a job's sinks keyed by their component ids ({@code sink-log},
 * {@code sink-jsonl}, {@code sink-redis}; a second output of one kind gets {@code -2}, and so on). The sinks
 * are the same for every job; only the Redis key prefix ({@link #redisKeyPrefix}) and the window TTL depend
 * on the job.
 */
public final class Outputs {

    /** Sink component ids start with this, e.g. {@code sink-log}. */
    public static final String SINK_PREFIX = "sink-";

    /** First part of every Redis key the Redis sink writes; the job's name follows ({@link #redisKeyPrefix}). */
    public static final String REDIS_KEY_ROOT = "stormwatch";

    /** Redis keys of a window live at least this long, so a dashboard can show the recent past of a short window. */
    static final Duration MIN_WINDOW_TTL = Duration.ofSeconds(60);

    /** Redis keys of a window live this many window lengths when that is longer than {@link #MIN_WINDOW_TTL}. */
    static final int WINDOW_TTL_LENGTHS = 4;

    private Outputs() {}

    /** Prefix of the Redis keys of {@code jobName}'s results, e.g. {@code stormwatch:log-analytics}. */
    public static String redisKeyPrefix(String jobName) {
        if (jobName == null || jobName.isEmpty() || !jobName.chars().allMatch(c -> c > ' ' && c != ':' && c < 0x7f)) {
            // A ':' would make one job's keys look like another's nested keys.
            throw new IllegalArgumentException("a job name for Redis keys must be printable ASCII without ':' or spaces: '"
                    + jobName + "'");
        }
        return REDIS_KEY_ROOT + ":" + jobName;
    }

    /** How long the Redis keys of one window live: {@code max(60 s, 4 × window length)}. */
    public static Duration windowTtl(WindowSpec window) {
        Duration lengths = Duration.ofMillis(WINDOW_TTL_LENGTHS * window.lengthMillis());
        return lengths.compareTo(MIN_WINDOW_TTL) > 0 ? lengths : MIN_WINDOW_TTL;
    }

    /**
     * One output of an outputs spec, parsed: {@code kind} is {@code log}, {@code jsonl} (with its absolute
     * {@code directory}) or {@code redis} (with its {@code redis} endpoint); {@code text} is the output as given.
     */
    public record Output(String text, String kind, Path directory, RedisEndpoint redis) {}

    /**
     * The outputs of {@code spec}, in order.
     *
     * @param environment where the Redis password comes from ({@link StormwatchConfig#REDIS_PASSWORD_ENV})
     * @throws IllegalArgumentException for an unknown or malformed output, or none at all
     */
    public static List<Output> parse(String spec, Map<String, String> environment) {
        List<Output> outputs = new ArrayList<>();
        for (String part : spec.split(",")) {
            String output = part.trim();
            if (output.isEmpty()) {
                continue;
            }
            if (output.equals("log")) {
                outputs.add(new Output(output, "log", null, null));
            } else if (output.startsWith("jsonl:") && output.length() > "jsonl:".length()) {
                outputs.add(new Output(output, "jsonl",
                        Path.of(output.substring("jsonl:".length())).toAbsolutePath().normalize(), null));
            } else if (output.startsWith("progress:")) {
                ProgressMessage.address(output); // refused here when malformed
                outputs.add(new Output(output, "progress", null, null));
            } else if (output.startsWith("redis://") || output.startsWith("rediss://")) {
                outputs.add(new Output(output, "redis", null,
                        RedisEndpoint.parse(output, environment.get(StormwatchConfig.REDIS_PASSWORD_ENV))));
            } else {
                throw new IllegalArgumentException("unknown output '" + output
                        + "': expected log, jsonl:DIR, redis://HOST:PORT[/DB] or progress:HOST:PORT");
            }
        }
        if (outputs.isEmpty()) {
            throw new IllegalArgumentException("no output given: expected log, jsonl:DIR, redis://HOST:PORT[/DB] or progress:HOST:PORT");
        }
        return outputs;
    }

    /** True when {@code spec} names a {@code progress:} output, which also needs {@link ProgressHook} installed. */
    public static boolean hasProgress(String spec) {
        return progressAddress(spec) != null;
    }

    /** Where the first {@code progress:} output of {@code spec} reports, or null when it names none. */
    public static ProgressMessage.Address progressAddress(String spec) {
        if (spec != null) {
            for (String output : spec.split(",")) {
                if (output.trim().startsWith("progress:")) {
                    return ProgressMessage.address(output.trim());
                }
            }
        }
        return null;
    }

    /**
     * @param spec        the outputs, e.g. {@code log,jsonl:out,redis://127.0.0.1:6379/0}
     * @param job         the job: its name keys its Redis output, its views describe results in the log
     * @param window      the job's window, which sets how long Redis keeps a window's keys
     * @param environment where the Redis password comes from ({@link StormwatchConfig#REDIS_PASSWORD_ENV})
     * @throws IllegalArgumentException for an unknown or malformed output, or none at all
     */
    public static Map<String, ResultSink> sinks(String spec, Job<?> job, WindowSpec window,
            Map<String, String> environment) {
        Objects.requireNonNull(window, "window");
        Map<String, ResultSink> sinks = new LinkedHashMap<>();
        for (Output output : parse(spec, environment)) {
            ResultSink sink = switch (output.kind()) {
                case "log" -> new LogSink(job);
                case "jsonl" -> new JsonLinesSink(output.directory().toString());
                case "progress" -> new ProgressSink(ProgressMessage.address(output.text()));
                default -> new RedisSink(output.redis(), redisKeyPrefix(job.name()), windowTtl(window));
            };
            String id = SINK_PREFIX + output.kind();
            for (int n = 2; sinks.containsKey(id); n++) {
                id = SINK_PREFIX + output.kind() + "-" + n;
            }
            sinks.put(id, sink);
        }
        return sinks;
    }
}
