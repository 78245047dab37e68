package io.stormwatch.storm.topology;

import io.stormwatch.core.io.BlockBounds;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Settings;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.window.TimeMode;
import io.stormwatch.core.window.WindowSpec;
import java.io.Serializable;
import java.util.Locale;
import java.util.Map;

/**
 * What shapes a job's topology, the same for every job (a job's own settings, such as the log format, are
 * the job's): windows, time, parallelism, line and block bounds. Not where input comes from or where results
 * go: the factory takes the spout and sinks themselves.
 *
 * @param window           window length, slide and lag
 * @param time             event time (the record's own) or processing time
 * @param parseParallelism parse bolt tasks; windows and totals run as one task each
 * @param maxLineLength    lines longer than this are rejected as too long (and cut by the readers)
 * @param blocks           how many lines and bytes a spout puts into one tuple at most
 */
public record JobOptions(WindowSpec window, TimeMode time, int parseParallelism, int maxLineLength, BlockBounds blocks)
        implements Serializable {

    public static final String DEFAULT_WINDOW = Settings.DEFAULT_WINDOW;
    public static final String DEFAULT_SLIDE = Settings.DEFAULT_SLIDE;
    public static final String DEFAULT_LAG = Settings.DEFAULT_LAG;

    public JobOptions {
        if (parseParallelism < 1) {
            throw new IllegalArgumentException("parse parallelism must be at least 1, got " + parseParallelism);
        }
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("max line length must be at least 1, got " + maxLineLength);
        }
    }

    /** The defaults: 30 s windows sliding by 10 s with 5 s lag, event time, one parse task. */
    public static JobOptions defaults() {
        return fromConfig(Map.of());
    }

    /**
     * The options {@code job} runs with: the {@code stormwatch.*} keys of {@code conf}, then the job's own
     * {@link Job#engineDefaults()}, then the engine's.
     *
     * @throws IllegalArgumentException for a bad setting, or event time for a job whose lines carry no time
     */
    public static JobOptions fromConfig(Job<?> job, Map<String, Object> conf) {
        JobOptions options = fromConfig(Settings.withJobDefaults(job, conf));
        if (options.time() == TimeMode.EVENT && !job.hasEventTime()) {
            throw new IllegalArgumentException(job.name() + "'s lines carry no time of their own: it runs in processing time ("
                    + StormwatchConfig.TIME + "=processing, --time processing)");
        }
        return options;
    }

    /** Reads the {@code stormwatch.*} keys of a topology config; absent keys take the engine's defaults. */
    public static JobOptions fromConfig(Map<String, Object> conf) {
        WindowSpec window = Settings.window(conf);
        String time = Settings.string(conf, StormwatchConfig.TIME, "event");
        TimeMode mode;
        try {
            mode = TimeMode.valueOf(time.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(StormwatchConfig.TIME + " must be 'event' or 'processing', got '" + time + "'");
        }
        return new JobOptions(window, mode,
                Settings.integer(conf, StormwatchConfig.PARSE_PARALLELISM, 1),
                Settings.integer(conf, Settings.MAX_LINE_LENGTH, AccessLogParser.DEFAULT_MAX_LINE_LENGTH),
                new BlockBounds(Settings.integer(conf, StormwatchConfig.BLOCK_LINES, BlockBounds.DEFAULT.lines()),
                        Settings.integer(conf, StormwatchConfig.BLOCK_BYTES, BlockBounds.DEFAULT.bytes())));
    }
}
