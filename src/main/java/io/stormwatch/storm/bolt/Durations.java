package io.stormwatch.storm.bolt;

import io.stormwatch.core.window.WindowSpec;
import org.apache.storm.topology.base.BaseWindowedBolt.Duration;

/**
 * Storm's window {@link Duration}s from stormwatch's duration text ({@code 500ms}, {@code 30s}, {@code 10m},
 * {@code 1h}, {@code 1d}), for Flux files, whose properties hold text:
 * <pre>
 * - id: "window-length"
 *   className: "io.stormwatch.storm.bolt.Durations"
 *   factory: "parse"
 *   factoryArgs: ["${stormwatch.window.length}"]
 * </pre>
 */
public final class Durations {

    private Durations() {}

    /** @throws IllegalArgumentException for text that is not a duration, or one of 24 days or more */
    public static Duration parse(String text) {
        long millis = WindowSpec.parseDuration(text);
        if (millis > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("duration too long for Storm (24 days at most): '" + text + "'");
        }
        return Duration.of((int) millis);
    }

    static long millis(Duration duration) {
        return duration.value;
    }
}
