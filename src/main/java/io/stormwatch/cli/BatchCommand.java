package io.stormwatch.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stormwatch.core.log.AccessLogFormats;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.stats.LogFiles;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.job.loganalytics.StatsJson;
import io.stormwatch.core.job.loganalytics.StatsReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * {@code stormwatch batch}: the statistics of access-log files, computed by {@link LogFiles} (the oracle
 * the streaming jobs are checked against), as a table or as one {@link StatsJson} object.
 *
 * <p>Exit codes: 0 when the files were analyzed (rejected lines are counted, not errors); 2 for a usage
 * error, an unsupported format or a file that cannot be read before the analysis starts; 1 for an I/O
 * error during it (e.g. a corrupt gzip stream). Errors are one line on stderr; stdout then stays empty.
 */
@Command(name = "batch", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Statistics of access-log files (the oracle streaming jobs are compared with).")
final class BatchCommand implements Callable<Integer> {

    /** Inputs smaller than this are read before a progress bar would be worth drawing. */
    private static final long PROGRESS_MIN_BYTES = 8L << 20;
    /** System property: "true" when stderr is a terminal. */
    static final String STDERR_TTY = "stormwatch.stderr.tty";

    @Spec
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "auto", paramLabel = "F",
            description = "auto (default), common, combined, combined-extra, nginx, or an Apache LogFormat string.")
    String format;

    @Option(names = "--json", description = "Print exactly one JSON object on stdout instead of the table.")
    boolean json;

    @Option(names = "--rejects", paramLabel = "FILE",
            description = "Write each rejected line here as a JSON line: file, offset, reason, detail, line.")
    Path rejects;

    @Option(names = "--clients-over", defaultValue = "" + LogStats.DEFAULT_CLIENT_THRESHOLD, paramLabel = "N",
            description = "Report clients with more than N requests (default: ${DEFAULT-VALUE}).")
    long clientsOver;

    @Option(names = "--top", defaultValue = "" + LogStats.DEFAULT_TOP_ENDPOINTS, paramLabel = "K",
            description = "Report the K most requested endpoints (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--max-line-length", defaultValue = "" + AccessLogParser.DEFAULT_MAX_LINE_LENGTH, paramLabel = "N",
            description = "Reject lines longer than N characters as too long (default: ${DEFAULT-VALUE}).")
    int maxLineLength;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Log files, plain or gzip (told by content).")
    List<Path> files;

    @Override
    public Integer call() {
        if (clientsOver < 0 || top < 0 || maxLineLength < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--clients-over and --top must be >= 0, --max-line-length >= 1");
        }
        PrintWriter err = spec.commandLine().getErr();
        AccessLogParser parser;
        try {
            parser = AccessLogFormats.parser(format, maxLineLength);
        } catch (IllegalArgumentException e) {
            err.println("stormwatch batch: " + e.getMessage());
            return 2;
        }
        for (Path file : files) {
            String problem = Files.isDirectory(file) ? "is a directory"
                    : !Files.exists(file) ? "no such file"
                    : !Files.isReadable(file) ? "permission denied" : null;
            if (problem != null) {
                err.println("stormwatch batch: cannot read " + file + ": " + problem);
                return 2;
            }
        }
        LogStats stats;
        try (Writer rejectsOut = rejects == null ? null : Files.newBufferedWriter(rejects, StandardCharsets.UTF_8);
                ProgressBar progress = progressBar()) {
            LogFiles.RejectSink sink = rejectsOut == null ? LogFiles.RejectSink.DISCARD : rejected -> {
                rejectsOut.write(StatsJson.write(rejectJson(rejected)));
                rejectsOut.write('\n');
            };
            LongConsumer onBytesRead = progress == null ? bytes -> {} : progress::stepBy;
            stats = LogFiles.analyze(files, parser, maxLineLength, sink, onBytesRead);
        } catch (LogFiles.ReadException e) {
            err.println("stormwatch batch: cannot read " + e.file() + ": " + Cli.describe(e.getCause()));
            return 1;
        } catch (IOException e) {
            err.println("stormwatch batch: " + (rejects == null ? "" : "cannot write " + rejects + ": ")
                    + Cli.describe(e));
            return 1;
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(StatsJson.write(StatsJson.toJson(stats, clientsOver, top)));
        } else {
            StatsTable.print(StatsReport.of(stats, clientsOver, top), files.size(), out);
        }
        out.flush();
        return 0;
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
            total += Files.size(file);
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

    private static ObjectNode rejectJson(LogFiles.RejectedLine rejected) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("file", rejected.file().toString());
        json.put("offset", rejected.offset());
        json.put("reason", rejected.reason().key());
        json.put("detail", rejected.detail());
        json.put("line", rejected.line());
        return json;
    }
}
