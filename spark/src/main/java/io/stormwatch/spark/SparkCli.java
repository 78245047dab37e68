package io.stormwatch.spark;

import io.stormwatch.core.job.Settings;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Jobs;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.window.WindowSpec;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/stormwatch-spark dstream|structured JOB --source SPEC --output jsonl:DIR}: a stormwatch job on
 * Spark, in a JVM of its own, writing the {@code totals.json} / {@code windows.jsonl} that
 * {@code stormwatch local} writes. Exit codes: 0 when a finite input was read whole, or a run ended by
 * {@code --duration}; 1 when the run failed; 2 for a usage error; 130/143 when ended by a signal (the
 * outputs then hold the last micro-batch's results, and the run's temporary and checkpoint directories are
 * deleted).
 */
@Command(name = "stormwatch-spark", mixinStandardHelpOptions = true,
        description = "Runs a stormwatch job on Spark 4 (local[2], 127.0.0.1, no UI), for comparison with stormwatch.",
        subcommands = {SparkCli.DStream.class, SparkCli.Structured.class})
public final class SparkCli {

    /** Options of both engine styles. */
    static class Common {
        @Parameters(index = "0", paramLabel = "JOB", completionCandidates = Jobs.Names.class,
                description = "The job: ${COMPLETION-CANDIDATES}.")
        String job;

        @Option(names = "--source", required = true, paramLabel = "SPEC",
                description = "file:PATH, socket:HOST:PORT or kafka:BOOTSTRAP/TOPIC, as stormwatch's --source.")
        String source;

        @Option(names = "--output", required = true, paramLabel = "jsonl:DIR", description = "Where totals.json and windows.jsonl go.")
        String output;

        @Option(names = "--duration", paramLabel = "DURATION", description = "Stop after this long (e.g. 60s); default: at the end of a file, else never.")
        String duration;

        @Option(names = "--master", defaultValue = "local[2]", description = "Spark master (default ${DEFAULT-VALUE}).")
        String master;

        @Option(names = "--max-line-length", defaultValue = "" + AccessLogParser.DEFAULT_MAX_LINE_LENGTH, paramLabel = "N",
                description = "Reject longer lines as too long (default ${DEFAULT-VALUE}).")
        int maxLineLength;

        Job<?> job() {
            return Jobs.fromConfig(job, Map.of());
        }

        long durationMillis() {
            return duration == null ? 0 : WindowSpec.parseDuration(duration);
        }
    }

    @Command(name = "dstream", mixinStandardHelpOptions = true,
            description = "The DStream version: socketTextStream batches, window+transform / reduceByKeyAndWindow windows"
                    + " (processing time), updateStateByKey totals.")
    static final class DStream extends Common implements Callable<Integer> {
        @Option(names = "--batch", defaultValue = "1s", description = "Batch interval (default ${DEFAULT-VALUE}).")
        String batch;

        @Option(names = "--rate", defaultValue = "0", paramLabel = "LINES_PER_S",
                description = "file: sources are served over a local socket at this rate (default 0: as fast as read).")
        double rate;

        @Override
        public Integer call() throws Exception {
            Job<?> job = job();
            SourceSpec source = SourceSpec.parse(this.source);
            JsonlOutput out = JsonlOutput.parse(output);
            long batchMillis = WindowSpec.parseDuration(batch);
            try (SparkRun run = new SparkRun()) {
                // Not graceful on a signal: a graceful stop waits for the jobs of every received block, which on an
                // endless socket hung for minutes; the outputs hold the last completed batch's results.
                JavaSparkContext sc = new JavaSparkContext(run.conf("stormwatch-dstream-" + job.name(), master)
                        .set("spark.streaming.stopGracefullyOnShutdown", "false"));
                run.onClose(sc::stop);
                DStreamJob dstream = new DStreamJob(job, Settings.window(job, Map.of()), batchMillis, maxLineLength);
                DStreamRunner.run(sc, run, dstream, source, out, batchMillis, rate, durationMillis(), maxLineLength);
            }
            return 0;
        }
    }

    @Command(name = "structured", mixinStandardHelpOptions = true,
            description = "The Structured Streaming version: totals (complete mode) and event-time windows with a watermark (append mode).")
    static final class Structured extends Common implements Callable<Integer> {
        @Option(names = "--trigger", paramLabel = "DURATION",
                description = "Processing-time trigger (e.g. 100ms); default: Spark's (the next micro-batch at once). file: sources use AvailableNow."
                        + " continuous:DURATION runs the job's map-only part (extract each line, count it) on the continuous"
                        + " trigger with that checkpoint interval; socket: sources only, no totals or windows.")
        String trigger;

        @Option(names = "--bounds", defaultValue = "stormwatch",
                description = "Window bounds: stormwatch ((start, end], as batch --window) or spark ([start, end)). Default ${DEFAULT-VALUE}.")
        String bounds;

        @Override
        public Integer call() throws Exception {
            Job<?> job = job();
            SourceSpec source = SourceSpec.parse(this.source);
            JsonlOutput out = JsonlOutput.parse(output);
            StructuredJob.Bounds chosen = StructuredJob.Bounds.valueOf(bounds.toUpperCase(Locale.ROOT));
            try (SparkRun run = new SparkRun()) {
                SparkSession spark = SparkSession.builder().config(run.conf("stormwatch-structured-" + job.name(), master)).getOrCreate();
                run.onClose(spark::stop);
                if (trigger != null && trigger.startsWith("continuous:")) {
                    if (!(source instanceof SourceSpec.Socket socket)) {
                        throw new IllegalArgumentException("the continuous trigger reads socket: sources here");
                    }
                    var query = ContinuousJob.start(spark, run, job, socket, out,
                            WindowSpec.parseDuration(trigger.substring("continuous:".length())), maxLineLength);
                    long duration = durationMillis();
                    if (duration > 0) {
                        query.awaitTermination(duration);
                    } else {
                        query.awaitTermination();
                    }
                    return 0;
                }
                StructuredJob.Queries queries = new StructuredJob(spark, run, job, Settings.window(job, Map.of()), chosen, maxLineLength)
                        .start(source, out, trigger == null ? 0 : WindowSpec.parseDuration(trigger));
                if (source instanceof SourceSpec.File) {
                    queries.awaitTermination();
                    out.success();
                } else {
                    long duration = durationMillis();
                    if (duration > 0) {
                        queries.totals().awaitTermination(duration);
                    } else {
                        queries.totals().awaitTermination();
                    }
                }
                StructuredJob.logProgress(queries);
            }
            return 0;
        }
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new SparkCli());
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof IllegalArgumentException) {
                commandLine.getErr().println("stormwatch-spark: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        int code = cli.execute(args);
        // Spark leaves non-daemon threads behind: end the JVM (the run has stopped Spark and deleted its files).
        System.exit(code);
    }
}
