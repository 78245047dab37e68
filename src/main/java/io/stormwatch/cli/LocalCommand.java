package io.stormwatch.cli;

import io.stormwatch.core.job.Jobs;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.topology.JobTopology;
import io.stormwatch.storm.topology.LocalRunner;
import io.stormwatch.storm.topology.Preflight;
import io.stormwatch.storm.topology.Sources;
import io.stormwatch.storm.topology.StormwatchConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Runs a job's topology in-process until a finite input is drained (then exits 0) or until Ctrl-C. Flags
 * map to the {@code stormwatch.*} config keys, so a run here and one submitted with {@code storm jar} mean
 * the same. The source, state and outputs are checked before the topology is built ({@link Preflight#local}):
 * a failure is one line on stderr and exit code 2, with the exception too under {@code --verbose}.
 */
@Command(name = "local", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run a topology in-process on LocalCluster until its input is drained.")
final class LocalCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "JOB", completionCandidates = Jobs.Names.class,
            description = "Which job: ${COMPLETION-CANDIDATES}.")
    String topology;

    @Option(names = "--source", paramLabel = "SPEC",
            description = "file:PATH, spool:DIR (drained, then stop), tail:PATH, socket:HOST:PORT or"
                    + " kafka:BOOTSTRAP/TOPIC (e.g. kafka:127.0.0.1:9092/access; stormwatch.kafka.* settings).")
    String source;

    @Option(names = "--window", paramLabel = "DURATION", description = "Window length (default: the job's, 30s for log-analytics).")
    String window;

    @Option(names = "--slide", paramLabel = "DURATION", description = "Window slide (default: the job's, 10s for log-analytics).")
    String slide;

    @Option(names = "--lag", paramLabel = "DURATION", description = "Allowed lateness in event time (default 5s).")
    String lag;

    @Option(names = "--time", paramLabel = "event|processing", description = "Which clock places lines in windows (default: the job's, event for access logs).")
    String time;

    @Option(names = "--state", paramLabel = "memory|redis://HOST:PORT[/DB]",
            description = "Where running totals are kept (default memory); Redis password from $"
                    + StormwatchConfig.REDIS_PASSWORD_ENV + ".")
    String state;

    @Option(names = "--output", paramLabel = "OUTPUT",
            description = "jsonl:DIR, redis://HOST:PORT[/DB] or progress:HOST:PORT (stormwatch compare's probe), besides the log; repeatable.")
    List<String> outputs = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", description = "Log format (default auto).")
    String format;

    @Option(names = "--conf", paramLabel = "FILE", description = "Config YAML (conf/*.yaml); repeatable, flags win.")
    List<Path> confFiles = new ArrayList<>();

    @Option(names = "-c", paramLabel = "KEY=VALUE", description = "Any config key; repeatable, flags win.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--verbose", description = "On a failed check, print the exception behind it too.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        if (!Jobs.NAMES.contains(topology)) {
            err.println("stormwatch local: unknown job '" + topology + "'; known: " + String.join(", ", Jobs.NAMES));
            return 2;
        }
        Map<String, Object> conf;
        try {
            conf = configuration();
        } catch (IllegalArgumentException e) {
            err.println("stormwatch local: " + e.getMessage());
            return 2;
        }
        // Flags win over config files and -c, as for every other key; "log" always, as the CLI's own output.
        List<String> chosen = chosenOutputs(outputs, conf);
        List<String> outputList = new ArrayList<>(List.of("log"));
        outputList.addAll(chosen);
        Path doneDir = chosen.stream().filter(o -> o.startsWith("jsonl:"))
                .map(o -> Path.of(o.substring("jsonl:".length()))).findFirst().orElse(null);
        Path scratch = null;
        if (doneDir == null) {
            // A run ends when a jsonl sink marks its output complete or incomplete (a finite input read, or any
            // input stopped by Ctrl-C): give it a scratch one, in the run's own directory, deleted at exit.
            scratch = Files.createTempDirectory("stormwatch-local-");
            doneDir = scratch;
            outputList.add("jsonl:" + scratch);
        }
        conf.put(StormwatchConfig.OUTPUTS, String.join(",", outputList));
        try {
            if (!preflight(conf, err)) {
                return 2;
            }
            JobTopology job = JobTopology.fromConfig(topology, topology, conf, true, System.getenv());
            Path marker = doneDir.resolve(JsonLinesSink.SUCCESS);
            if (!job.finite()) {
                err.println("stormwatch local: " + conf.get(StormwatchConfig.SOURCE) + " does not end by itself; Ctrl-C stops it");
            }
            LocalRunner.Outcome outcome = LocalRunner.run(job.name(), job.config(), job.topology(), marker, null);
            String where = scratch == null ? " in " + doneDir.toAbsolutePath() : "";
            switch (outcome) {
                case DONE -> {
                    if (scratch == null) {
                        err.println("stormwatch local: done; results" + where);
                    }
                }
                case INCOMPLETE -> err.println("stormwatch local: input not read whole: " + Cli.unread(marker)
                        + "; the results" + where + " are partial");
                case INTERRUPTED, TERMINATED -> err.println("stormwatch local: stopped by SIG"
                        + (outcome == LocalRunner.Outcome.TERMINATED ? "TERM" : "INT") + ": "
                        + (Files.exists(marker.resolveSibling(JsonLinesSink.INCOMPLETE))
                                ? Cli.unread(marker) + "; " + Cli.counted(doneDir) + "; final windows and totals written" + where
                                : "before the final results were written"));
                case TIMED_OUT -> err.println("stormwatch local: timed out");
            }
            return outcome.exitCode();
        } catch (IllegalArgumentException e) {
            err.println("stormwatch local: " + e.getMessage());
            return 2;
        } finally {
            if (scratch != null) {
                deleteRecursively(scratch);
            }
        }
    }

    /**
     * Checks the source, state and outputs before anything starts ({@link Preflight#local}); on a failure
     * prints one line naming what the user typed (and with {@code --verbose} the exception) and returns false.
     */
    private boolean preflight(Map<String, Object> conf, PrintWriter err) {
        Map<String, String> flags = new HashMap<>();
        if (source != null) {
            flags.put(StormwatchConfig.SOURCE, "--source");
        }
        if (state != null) {
            flags.put(StormwatchConfig.STATE, "--state");
        }
        if (!outputs.isEmpty()) {
            flags.put(StormwatchConfig.OUTPUTS, "--output");
        }
        try {
            Preflight.local(conf, System.getenv(), flags);
            return true;
        } catch (Preflight.Failure e) {
            err.println("stormwatch local: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            return false;
        }
    }

    /**
     * The outputs besides the log: the {@code --output} flags when there are any (flags win, as for every key),
     * else those of {@code stormwatch.outputs} from the config files or {@code -c}.
     */
    static List<String> chosenOutputs(List<String> flags, Map<String, Object> conf) {
        if (!flags.isEmpty()) {
            return flags;
        }
        return Arrays.stream(StormwatchConfig.string(conf, StormwatchConfig.OUTPUTS, "").split(","))
                .map(String::trim).filter(o -> !o.isEmpty() && !o.equals("log")).toList();
    }

    /** Config files, then {@code -c}, then the flags: a bad one is an {@link IllegalArgumentException}. */
    private Map<String, Object> configuration() {
        Map<String, Object> flags = new HashMap<>();
        for (String override : overrides) {
            Map.Entry<String, Object> entry = StormwatchConfig.parseOverride(override);
            flags.put(entry.getKey(), entry.getValue());
        }
        putIfSet(flags, StormwatchConfig.SOURCE, source);
        putIfSet(flags, StormwatchConfig.WINDOW_LENGTH, window);
        putIfSet(flags, StormwatchConfig.WINDOW_SLIDE, slide);
        putIfSet(flags, StormwatchConfig.WINDOW_LAG, lag);
        putIfSet(flags, StormwatchConfig.TIME, time);
        putIfSet(flags, StormwatchConfig.STATE, state);
        putIfSet(flags, StormwatchConfig.FORMAT, format);
        return StormwatchConfig.merge(confFiles, flags);
    }

    private static void putIfSet(Map<String, Object> conf, String key, String value) {
        if (value != null) {
            conf.put(key, value);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
