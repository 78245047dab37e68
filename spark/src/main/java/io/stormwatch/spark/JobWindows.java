package io.stormwatch.spark;

import io.stormwatch.core.job.Job;
import io.stormwatch.core.window.WindowSpec;
import java.util.Map;

/**
 * The window a job runs with when the user sets none: the job's {@link Job#engineDefaults()}, else the engine's
 * 30 s sliding by 10 s with a 5 s lag — what stormwatch's {@code JobOptions} resolves (that class lives with the
 * Storm glue, which this project cannot compile; the keys and defaults here must stay equal to its).
 */
public final class JobWindows {

    static final String LENGTH = "stormwatch.window.length";
    static final String SLIDE = "stormwatch.window.slide";
    static final String LAG = "stormwatch.window.lag";

    private JobWindows() {}

    public static WindowSpec of(Job<?> job) {
        Map<String, String> d = job.engineDefaults();
        return WindowSpec.parse(d.getOrDefault(LENGTH, "30s"), d.getOrDefault(SLIDE, "10s"), d.getOrDefault(LAG, "5s"));
    }
}
