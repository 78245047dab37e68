package io.stormwatch.compare;

import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engines {@code stormwatch compare} runs, each as its own JVM started by the project's launchers with the
 * same heap ({@code -Xmx}) on the same 2 cores: stormwatch's {@code local} (its defaults: acking on, checkpointed
 * exactly-once totals, in-memory state) and the Spark versions of {@code spark/} on {@code local[2]}.
 */
enum Engine {
    STORMWATCH("stormwatch", "bin/stormwatch local: acking on, exactly-once totals (its defaults)"),
    DSTREAM_1S("dstream-1s", "bin/stormwatch-spark dstream --batch 1s"),
    DSTREAM_100MS("dstream-100ms", "bin/stormwatch-spark dstream --batch 100ms"),
    STRUCTURED_DEFAULT("structured", "bin/stormwatch-spark structured, default trigger (next micro-batch at once)"),
    STRUCTURED_100MS("structured-100ms", "bin/stormwatch-spark structured --trigger 100ms"),
    CONTINUOUS("continuous", "bin/stormwatch-spark structured --trigger continuous:1s, map-only (extract + count each line)");

    final String label;
    final String description;

    Engine(String label, String description) {
        this.label = label;
        this.description = description;
    }

    static Engine byLabel(String label) {
        for (Engine engine : values()) {
            if (engine.label.equals(label)) {
                return engine;
            }
        }
        throw new IllegalArgumentException("unknown engine '" + label + "'");
    }

    /** The engine of {@code label}, or null (e.g. {@code batch}). */
    static Engine byLabelOrNull(String label) {
        for (Engine engine : values()) {
            if (engine.label.equals(label)) {
                return engine;
            }
        }
        return null;
    }

    boolean isSpark() {
        return this != STORMWATCH;
    }

    /** Whether it writes window results (continuous computes none). */
    boolean hasWindows(Job<?> job) {
        return this != CONTINUOUS && (job.hasEventTime() || this == DSTREAM_1S || this == DSTREAM_100MS);
    }

    /**
     * How long after a window's end its result can be due, in ms: the job's lag for event-time windows (the
     * watermark passes the end once a line stamped {@code end + lag} is in); 0 for DStream's processing-time ones.
     */
    long windowDueAfter(Job<?> job) {
        return this == DSTREAM_1S || this == DSTREAM_100MS ? 0 : Settings.window(job, Map.of()).lagMillis();
    }

    /** Connections it opens to a socket source: Structured Streaming one per query (totals, and windows). */
    int clients(Job<?> job) {
        return (this == STRUCTURED_DEFAULT || this == STRUCTURED_100MS) && job.hasEventTime() ? 2 : 1;
    }

    /** The command of a run on {@code source} (socket: or file:), reporting to {@code progress}. */
    List<String> command(Path root, String job, String source, String progress, Path outDir) {
        List<String> command = new ArrayList<>();
        if (this == STORMWATCH) {
            command.addAll(List.of(root.resolve("bin/stormwatch").toString(), "local", job, "--source", source,
                    "--output", "jsonl:" + outDir, "--output", progress));
            return command;
        }
        String output = "jsonl:" + outDir + "," + progress;
        command.add(root.resolve("bin/stormwatch-spark").toString());
        switch (this) {
            case DSTREAM_1S, DSTREAM_100MS -> command.addAll(List.of("dstream", job, "--source", source, "--output", output,
                    "--batch", this == DSTREAM_1S ? "1s" : "100ms"));
            case STRUCTURED_DEFAULT -> command.addAll(List.of("structured", job, "--source", source, "--output", output));
            case STRUCTURED_100MS -> command.addAll(List.of("structured", job, "--source", source, "--output", output,
                    "--trigger", "100ms"));
            default -> command.addAll(List.of("structured", job, "--source", source, "--output", output,
                    "--trigger", "continuous:1s"));
        }
        return command;
    }

    /** Environment that gives the engine's JVM {@code heap} (e.g. {@code -Xmx1g}). */
    Map<String, String> environment(String heap) {
        return Map.of(isSpark() ? "STORMWATCH_SPARK_JAVA_OPTS" : "STORMWATCH_JAVA_OPTS", heap);
    }
}
