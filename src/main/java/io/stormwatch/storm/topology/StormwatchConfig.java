package io.stormwatch.storm.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stormwatch.core.job.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.storm.utils.Utils;

/**
 * stormwatch's own configuration keys, which live in the Storm topology config beside Storm's: set them in
 * a {@code conf/*.yaml} file (under {@code config:}), in a Flux file's {@code config:}, with
 * {@code -c key=value} on {@code storm jar}, or with {@code stormwatch local} flags.
 *
 * <p>Precedence, lowest first: built-in defaults, config files in the order given, {@code -c} options.
 */
public final class StormwatchConfig {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StormwatchConfig() {}

    public static final String SOURCE = "stormwatch.source";
    public static final String SOURCE_PARALLELISM = "stormwatch.source.parallelism";
    /** The log format of access-log jobs ({@code AccessLogJob.FORMAT}). */
    public static final String FORMAT = "stormwatch.format";
    public static final String MAX_LINE_LENGTH = Settings.MAX_LINE_LENGTH;
    /** At most this many lines per spout tuple (default 1,024). */
    public static final String BLOCK_LINES = "stormwatch.block.lines";
    /** A spout tuple stops growing at this many bytes of lines (default 1 MiB). */
    public static final String BLOCK_BYTES = "stormwatch.block.bytes";
    public static final String WINDOW_LENGTH = Settings.WINDOW_LENGTH;
    public static final String WINDOW_SLIDE = Settings.WINDOW_SLIDE;
    public static final String WINDOW_LAG = Settings.WINDOW_LAG;
    public static final String TIME = "stormwatch.time";
    public static final String STATE = "stormwatch.state";
    public static final String OUTPUTS = "stormwatch.outputs";
    public static final String CLIENTS_OVER = "stormwatch.stats.clients.over";
    public static final String TOP_ENDPOINTS = "stormwatch.stats.top.endpoints";
    public static final String PARSE_PARALLELISM = "stormwatch.parse.parallelism";
    /** Environment variable holding the Redis password; never put a password in a file or on a command line. */
    /**
     * True: deactivating the topology ends its input (the spouts stop reading, let what is in flight finish,
     * then send end of input, so the last windows and final totals are written). {@code local} sets it and
     * deactivates on Ctrl-C; on a cluster, {@code storm deactivate} then finishes a run gracefully. Default
     * false: deactivation pauses, as Storm means it.
     */
    public static final String DEACTIVATE_ENDS_INPUT = "stormwatch.deactivate.ends.input";
    /**
     * A directory where each sink task leaves an empty file named {@code <component>-<task>} once it has handled end
     * of input (set by {@link LocalRunner}, which waits for all of them before the process exits).
     */
    public static final String SINKS_DONE_DIR = "stormwatch.sinks.done.dir";
    public static final String REDIS_PASSWORD_ENV = "STORMWATCH_REDIS_PASSWORD";

    /**
     * Reads a YAML config file as {@code storm jar -conf} takes it: the map under its top-level
     * {@code config:} key (the form Flux includes use), or the whole file when it has no such key.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("config file " + file + ": " + (Files.exists(file) ? "not a regular file" : "no such file"));
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("config file " + file + ": not readable (permission denied)");
        }
        Map<String, Object> yaml;
        try {
            yaml = Utils.findAndReadConfigFile(file.toAbsolutePath().toString(), true);
        } catch (RuntimeException e) {
            // Storm wraps SnakeYAML's message ("while parsing a block mapping ... line 3, column 1").
            throw new IllegalArgumentException("config file " + file + ": not valid YAML ("
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()).replace('\n', ' ') + ")", e);
        }
        Object config = yaml.get("config");
        return config instanceof Map<?, ?> map ? new HashMap<>((Map<String, Object>) map) : new HashMap<>(yaml);
    }

    /** Merges config files (later ones win) and then {@code overrides}. */
    public static Map<String, Object> merge(List<Path> files, Map<String, Object> overrides) {
        Map<String, Object> conf = new HashMap<>();
        for (Path file : files) {
            conf.putAll(readFile(file));
        }
        conf.putAll(overrides);
        return conf;
    }

    /**
     * Parses {@code key=value} as {@code storm jar -c} does: a value that is valid JSON (number, boolean,
     * list, map) becomes that, anything else stays a string.
     */
    public static Map.Entry<String, Object> parseOverride(String keyValue) {
        int eq = keyValue.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("expected key=value, got '" + keyValue + "'");
        }
        String key = keyValue.substring(0, eq);
        String text = keyValue.substring(eq + 1);
        Object value;
        try {
            value = JSON.readValue(text, Object.class);
        } catch (JsonProcessingException notJson) {
            value = null; // a plain string, as storm's own -c handling keeps it
        }
        return Map.entry(key, value == null ? text : value);
    }

    /** The value of {@code key} as text, or {@code defaultValue} when it is not set. */
    public static String string(Map<String, Object> conf, String key, String defaultValue) {
        return Settings.string(conf, key, defaultValue);
    }

    static int integer(Map<String, Object> conf, String key, int defaultValue) {
        return Settings.integer(conf, key, defaultValue);
    }
}
