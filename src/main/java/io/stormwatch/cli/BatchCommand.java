package io.stormwatch.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.io.Inputs;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.DeadLetter;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Jobs;
import io.stormwatch.core.job.Settings;
import io.stormwatch.core.job.Views;
import io.stormwatch.core.job.hashtags.Hashtags;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.job.loganalytics.StatsJson;
import io.stormwatch.core.job.loganalytics.StatsReport;
import io.stormwatch.core.job.wordcount.WordCount;
import io.stormwatch.core.log.AccessLogJob;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.window.WindowAssembler;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.topology.JobOptions;
import io.stormwatch.storm.topology.StormwatchConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stormwatch batch}: a job over files in one pass ({@link Batch}, the oracle the streaming jobs are
 * checked against): the all-time totals as a table or as the job's JSON object, or with {@code --window} the
 * event-time windows, one JSON object each, with exactly the stream's pane, watermark and lateness rules.
 *
 * <p>Inputs: files, plain or gzip (told by content), {@code -} for standard input, and pipes, FIFOs and
 * process substitutions ({@code <(zcat F)}) like files.
 *
 * <p>Exit codes, each error one line on stderr naming the file and why:
 * <ul>
 *   <li>0: every file was read whole (rejected lines are counted, not errors);</li>
 *   <li>2: a usage error, an unsupported format, or a file that cannot be opened — missing, not readable
 *       (permission denied), a directory — found before anything is read; stdout stays empty;</li>
 *   <li>1: a file broke while it was read (a cut or corrupt gzip stream, an I/O error) or {@code --rejects}
 *       could not be written. A broken file does not stop the run: stdout has the results of everything read,
 *       the broken file's lines up to the break included, and stderr one line per broken file.</li>
 * </ul>
 */
@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "A job's totals (or windows) over log files in one pass: the oracle streaming jobs are compared with.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every file was read whole (rejected lines are not errors)",
            "1:a file broke while read (e.g. a cut gzip): the results of what was read are printed,"
                    + " one stderr line per broken file; or --rejects could not be written",
            "2:usage error, or a file that cannot be opened (missing, permission denied, a directory);"
                    + " nothing is printed on stdout"})
final class BatchCommand implements Callable<Integer> {

    /** Inputs smaller than this are read before a progress bar would be worth drawing. */
    private static final long PROGRESS_MIN_BYTES = 8L << 20;
    /** System property: "true" when stderr is a terminal. */
    static final String STDERR_TTY = "stormwatch.stderr.tty";

    @Spec
    CommandSpec spec;

    @Option(names = "--job", defaultValue = LogAnalytics.NAME, paramLabel = "JOB", completionCandidates = Jobs.Names.class,
            description = "Which job: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    String job;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "F",
            description = "auto (default), common, combined, combined-extra, nginx, or an Apache LogFormat string.")
    String format;

    @Option(names = "--json", description = "Print exactly one JSON object on stdout (with --window: one per window) instead of the table.")
    boolean json;

    @Option(names = "--window", paramLabel = "DURATION",
            description = "Event-time windows of this length instead of totals, as `local` computes them.")
    String window;

    @Option(names = "--slide", paramLabel = "DURATION", description = "Window slide (default: the job's, 10s for most).")
    String slide;

    @Option(names = "--lag", paramLabel = "DURATION", description = "Allowed lateness (default: the job's, 5s for most).")
    String lag;

    @Option(names = "--rejects", paramLabel = "FILE",
            description = "Write each rejected line here as a JSON line: file, offset, reason, detail, line.")
    Path rejects;

    @Option(names = "--clients-over", defaultValue = "" + LogStats.DEFAULT_CLIENT_THRESHOLD, paramLabel = "N",
            description = "log-analytics: report clients with more than N requests (default: ${DEFAULT-VALUE}).")
    long clientsOver;

    @Option(names = "--top", defaultValue = "" + LogStats.DEFAULT_TOP_ENDPOINTS, paramLabel = "K",
            description = "log-analytics: report the K most requested endpoints; word-count: the K most frequent words;"
                    + " hashtags: the K top tags (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--max-line-length", defaultValue = "" + AccessLogParser.DEFAULT_MAX_LINE_LENGTH, paramLabel = "N",
            description = "Reject lines longer than N characters as too long (default: ${DEFAULT-VALUE}).")
    int maxLineLength;

    @Parameters(paramLabel = "FILE", arity = "1..*",
            description = "Log files, plain or gzip (told by content); - for standard input; pipes and FIFOs too.")
    List<Path> files;

    @Override
    public Integer call() {
        if (clientsOver < 0 || top < 0 || maxLineLength < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--clients-over and --top must be >= 0, --max-line-length >= 1");
        }
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        Job<?> configured;
        WindowSpec windowSpec;
        try {
            Map<String, Object> conf = new HashMap<>();
            conf.put(AccessLogJob.FORMAT, format);
            conf.put(Settings.MAX_LINE_LENGTH, maxLineLength);
            conf.put(LogAnalytics.CLIENTS_OVER, clientsOver);
            conf.put(LogAnalytics.TOP_ENDPOINTS, top);
            conf.put(WordCount.TOP, top);
            conf.put(Hashtags.TOP, top);
            configured = Jobs.fromConfig(job, conf);
            if (window != null && !configured.hasEventTime()) {
                throw new IllegalArgumentException("--window: " + job + "'s lines carry no time of their own, so its windows"
                        + " are processing time (what arrived when) and a batch has none; use `local " + job + "` for windows");
            }
            windowSpec = window == null ? null : eventTimeWindow(configured);
        } catch (IllegalArgumentException e) {
            err.println("stormwatch batch: " + e.getMessage());
            return 2;
        }
        for (Path file : files) {
            try {
                Inputs.checkReadable(file);
            } catch (IOException e) {
                err.println("stormwatch batch: cannot read " + file + ": " + Cli.describe(e));
                return 2;
            }
        }
        Views views = configured.views();
        Batch.Outcome outcome;
        try (Writer rejectsOut = rejects == null ? null : Files.newBufferedWriter(rejects, StandardCharsets.UTF_8);
                ProgressBar progress = progressBar()) {
            Batch.DeadLetterSink sink = rejectsOut == null ? Batch.DeadLetterSink.DISCARD : deadLetter -> {
                rejectsOut.write(StatsJson.write(rejectJson(deadLetter)));
                rejectsOut.write('\n');
            };
            LongConsumer onBytesRead = progress == null ? bytes -> {} : progress::stepBy;
            outcome = batch(configured, windowSpec, views, out).read(files, sink, onBytesRead);
        } catch (IOException e) {
            err.println("stormwatch batch: " + (rejects == null ? "" : "cannot write " + rejects + ": ")
                    + Cli.describe(e));
            return 1;
        }
        Tally totals = outcome.totals();
        if (windowSpec == null) {
            if (json) {
                out.println(StatsJson.write(views.json(totals)));
            } else if (configured instanceof LogAnalytics) {
                StatsTable.print(StatsReport.of(LogStats.of(totals), clientsOver, top), files.size(), out);
            } else {
                out.println(views.describe(views.json(totals)));
            }
        }
        out.flush();
        for (Batch.ReadException broken : outcome.failures()) {
            err.println("stormwatch batch: cannot read " + broken.file() + ": " + Cli.describe(broken.getCause())
                    + " (the results count what was read before)");
        }
        return outcome.failures().isEmpty() ? 0 : 1;
    }

    /** The window of {@code --window}, {@code --slide} and {@code --lag}, the job's defaults for those unset. */
    private WindowSpec eventTimeWindow(Job<?> configured) {
        Map<String, Object> conf = new HashMap<>();
        conf.put(StormwatchConfig.WINDOW_LENGTH, window);
        if (slide != null) {
            conf.put(StormwatchConfig.WINDOW_SLIDE, slide);
        }
        if (lag != null) {
            conf.put(StormwatchConfig.WINDOW_LAG, lag);
        }
        conf.put(StormwatchConfig.TIME, "event");
        return JobOptions.fromConfig(configured, conf).window();
    }

    /** Totals only, or windows printed as they close: a JSON object each, or the log's window line. */
    private <R> Batch<R> batch(Job<R> job, WindowSpec windowSpec, Views views, PrintWriter out) {
        int maxLength = maxLineLength;
        if (windowSpec == null) {
            return new Batch<>(job, maxLength);
        }
        return new Batch<>(job, maxLength, windowSpec, new WindowAssembler.Listener() {
            @Override
            public void window(long start, long end, Tally tally, long late) {
                out.println(json ? StatsJson.write(views.windowJson(start, end, tally, late))
                        : "window (" + Instant.ofEpochMilli(start) + ", " + Instant.ofEpochMilli(end) + "] late=" + late
                                + " " + views.describe(views.json(tally)));
            }

            @Override
            public void late(String source, long[] offsets, long[] times, long reportedIn) {
                // Counted in the windows' "late"; the lines themselves are not listed.
            }
        });
    }

    /**
     * A bar on stderr, only for a person watching a terminal and an input that takes a while. Whether
     * stderr is a terminal Java cannot tell; bin/stormwatch can and says so in {@value #STDERR_TTY}, else
     * an interactive console (stdin and stdout) stands in for it.
     */
    private ProgressBar progressBar() throws IOException {
        String stderrTty = System.getProperty(STDERR_TTY);
        if (stderrTty == null ? System.console() == null : !Boolean.parseBoolean(stderrTty)) {
            return null;
        }
        long total = 0;
        for (Path file : files) {
            if (!file.equals(Inputs.STDIN) && Files.isRegularFile(file)) {
                total += Files.size(file); // a pipe's size says nothing
            }
        }
        if (total < PROGRESS_MIN_BYTES) {
            return null;
        }
        return new ProgressBarBuilder()
                .setTaskName("batch")
                .setInitialMax(total)
                .setUnit(" MiB", 1L << 20)
                .showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                .clearDisplayOnFinish()
                .build();
    }

    private static ObjectNode rejectJson(DeadLetter rejected) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("file", rejected.source());
        json.put("offset", rejected.offset());
        json.put("reason", rejected.reason());
        json.put("detail", rejected.detail());
        json.put("line", rejected.line());
        return json;
    }
}
