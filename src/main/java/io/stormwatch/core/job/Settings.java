package io.stormwatch.core.job;

import io.stormwatch.core.window.WindowSpec;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads typed values from a configuration map ({@code stormwatch.*} keys of a topology config, which come
 * from YAML, {@code -c key=value} or flags and so may be numbers or text).
 */
public final class Settings {

    /** Lines longer than this many characters are rejected as too long (default 64 Ki); readers cut them. */
    public static final String MAX_LINE_LENGTH = "stormwatch.max.line.length";
    /** Window length, slide and lag, as durations ({@code 30s}, {@code 5m}); see {@link #window}. */
    public static final String WINDOW_LENGTH = "stormwatch.window.length";
    public static final String WINDOW_SLIDE = "stormwatch.window.slide";
    public static final String WINDOW_LAG = "stormwatch.window.lag";
    /** The engine's window when neither the configuration nor the job sets one: 30 s sliding by 10 s, lag 5 s. */
    public static final String DEFAULT_WINDOW = "30s";
    public static final String DEFAULT_SLIDE = "10s";
    public static final String DEFAULT_LAG = "5s";

    private Settings() {}

    /**
     * The window {@code job} runs with, by whatever engine runs it: {@code conf}'s window keys, then the job's own
     * {@link Job#engineDefaults()}, then the engine's ({@link #DEFAULT_WINDOW}, {@link #DEFAULT_SLIDE},
     * {@link #DEFAULT_LAG}).
     *
     * @throws IllegalArgumentException for a duration that does not parse or a window that cannot be
     */
    public static WindowSpec window(Job<?> job, Map<String, Object> conf) {
        return window(withJobDefaults(job, conf));
    }

    /** {@code conf} over the job's own {@link Job#engineDefaults()}: what an engine reads its settings from. */
    public static Map<String, Object> withJobDefaults(Job<?> job, Map<String, Object> conf) {
        Map<String, Object> layered = new HashMap<>(job.engineDefaults());
        layered.putAll(conf);
        return layered;
    }

    /** The window of {@code conf}'s keys alone, each absent one the engine's default. */
    public static WindowSpec window(Map<String, Object> conf) {
        return WindowSpec.parse(string(conf, WINDOW_LENGTH, DEFAULT_WINDOW), string(conf, WINDOW_SLIDE, DEFAULT_SLIDE),
                string(conf, WINDOW_LAG, DEFAULT_LAG));
    }

    /** The value of {@code key} as text, or {@code defaultValue} when it is not set. */
    public static String string(Map<String, Object> conf, String key, String defaultValue) {
        Object value = conf.get(key);
        return value == null ? defaultValue : value.toString();
    }

    /** The value of {@code key} as a whole number that fits an int, or {@code defaultValue} when it is not set. */
    public static int integer(Map<String, Object> conf, String key, int defaultValue) {
        long value = wholeNumber(conf, key, defaultValue);
        if (value != (int) value) {
            throw new IllegalArgumentException(key + " must be a whole number up to " + Integer.MAX_VALUE + ", got " + value);
        }
        return (int) value;
    }

    /**
     * The value of {@code key} as a whole number ({@code 100000} or {@code 100_000}), or {@code defaultValue} when
     * it is not set.
     */
    public static long wholeNumber(Map<String, Object> conf, String key, long defaultValue) {
        Object value = conf.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(value.toString().trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + value + "'");
        }
    }
}
