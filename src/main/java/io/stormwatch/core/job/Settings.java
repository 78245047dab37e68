package io.stormwatch.core.job;

import java.util.Map;

/**
 * Reads typed values from a configuration map ({@code stormwatch.*} keys of a topology config, which come
 * from YAML, {@code -c key=value} or flags and so may be numbers or text).
 */
public final class Settings {

    /** Lines longer than this many characters are rejected as too long (default 64 Ki); readers cut them. */
    public static final String MAX_LINE_LENGTH = "stormwatch.max.line.length";

    private Settings() {}

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
