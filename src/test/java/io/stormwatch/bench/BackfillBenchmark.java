package io.stormwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.core.gen.TweetGenerator;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Jobs;
import io.stormwatch.core.job.hashtags.Hashtags;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.topology.JobOptions;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.testing.Oracle;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A backfill: a generated 30-day log (1,000,000 Combined lines, 1 % malformed of every kind, about one line
 * every 2.6 s) through the default event-time job as a user runs it, against the batch oracle on the same file in
 * the same run, every command a whole process. With {@code --job hashtags}: a generated Twitter stream of
 * 1,000,000 lines over {@code --span} (default 6 h; 0.5 % broken, 3 % notices) through that job's own window
 * (5 min sliding by 1 s, lag 5 s: one window per second of the span), the same three commands with
 * {@code --job hashtags} and that window:
 * <ul>
 *   <li>{@code bin/stormwatch local log-analytics --source file:F --output jsonl:D} (30 s windows sliding by 10 s,
 *       5 s lag, in-memory state; {@code local} also logs a sample of windows to stderr);</li>
 *   <li>{@code bin/stormwatch batch --window 30s --slide 10s --lag 5s --json F} (the windows);</li>
 *   <li>{@code bin/stormwatch batch --json F} (the totals).</li>
 * </ul>
 * Prints wall time, peak RSS and heap of each, the ratio of the stream to the batch, the number of windows, and
 * checks that {@code D/windows.jsonl} equals the batch windows line for line and {@code D/totals.json} the batch
 * totals.
 *
 * <pre>
 * bin/bench-topology backfill [--lines N] [--days N] [--job log-analytics|hashtags] [--span DURATION] [--no-what-if]
 * </pre>
 */
public final class BackfillBenchmark {

    private static final double TARGET_RATIO = 2.0;
    /** A JIT that compiles with C1 only: far less compiling, slower code once warm. */
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    private BackfillBenchmark() {}

    public static void main(String[] args) {
        Bench.runAndExit(() -> benchmark(args));
    }

    private static void benchmark(String[] args) throws Exception {
        long lines = 1_000_000;
        int days = 30;
        String jobName = LogAnalytics.NAME;
        String span = null;
        boolean whatIf = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lines" -> lines = Long.parseLong(args[++i].replace("_", ""));
                case "--days" -> days = Integer.parseInt(args[++i]);
                case "--job" -> jobName = args[++i];
                case "--span" -> span = args[++i];
                case "--no-what-if" -> whatIf = false;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: [--lines N] [--days N] [--job NAME] [--span DURATION] [--no-what-if]");
            }
        }
        Job<?> job = Jobs.fromConfig(jobName, Map.of());
        WindowSpec window = JobOptions.fromConfig(job, Map.of()).window();
        Path log;
        if (jobName.equals(Hashtags.NAME)) {
            Duration spanned = Duration.ofMillis(WindowSpec.parseDuration(span == null ? "6h" : span));
            System.out.printf(Locale.ROOT, "== backfill: hashtags over %,d generated tweets spanning %s (%s), local vs batch,"
                    + " whole processes%n", lines, spanned, window);
            System.out.println(Bench.machine());
            log = Bench.tweets("backfill-tweets-" + spanned.toSeconds() + "s-" + lines + "-42.jsonl",
                    new TweetGenerator.Options(lines, 42, LogGenerator.DEFAULT_START, spanned,
                            TweetGenerator.DEFAULT_BROKEN_RATIO));
        } else {
            Duration spanned = span == null ? Duration.ofDays(days) : Duration.ofMillis(WindowSpec.parseDuration(span));
            System.out.printf(Locale.ROOT, "== backfill: %s over a %s log of %,d lines (1 %% malformed), local vs batch,"
                    + " whole processes%n", jobName, spanned, lines);
            System.out.println(Bench.machine());
            log = Bench.log("backfill-" + (span == null ? days + "d" : spanned.toSeconds() + "s") + "-" + lines + "-42.log",
                    new LogGenerator.Options(lines, 42, LogGenerator.Format.COMBINED, 0.01, LogGenerator.DEFAULT_START)
                            .withSpan(spanned));
        }
        System.out.printf(Locale.ROOT, "input: %s, %,d MB%n", log, Files.size(log) >> 20);
        List<String> windowFlags = List.of("--window", duration(window.lengthMillis()), "--slide",
                duration(window.slideMillis()), "--lag", duration(window.lagMillis()));
        String windowText = String.join(" ", windowFlags);

        List<String> windowsCommand = new ArrayList<>(List.of("batch", "--job", jobName));
        windowsCommand.addAll(windowFlags);
        windowsCommand.addAll(List.of("--json", log.toString()));
        StormwatchProcess.Run windows = StormwatchProcess.checked(StormwatchProcess.run("backfill-batch-windows",
                windowsCommand));
        StormwatchProcess.Run totals = StormwatchProcess.checked(StormwatchProcess.run("backfill-batch-totals",
                List.of("batch", "--job", jobName, "--json", log.toString())));
        Path out = Bench.WORK.resolve("out-backfill").toAbsolutePath();
        Bench.deleteTree(out);
        StormwatchProcess.Run local = StormwatchProcess.checked(StormwatchProcess.run("backfill-local",
                List.of("local", jobName, "--source", "file:" + log, "--output", "jsonl:" + out),
                List.of(), false, Duration.ofMinutes(10)));
        // What-if: the in-process cluster is much code for the JIT (about 12 s of CPU per 1 M-line backfill).
        Path outC1 = Bench.WORK.resolve("out-backfill-c1").toAbsolutePath();
        StormwatchProcess.Run localC1 = null;
        if (whatIf) {
            Bench.deleteTree(outC1);
            localC1 = StormwatchProcess.checked(StormwatchProcess.run("backfill-local-c1",
                    List.of("local", jobName, "--source", "file:" + log, "--output", "jsonl:" + outC1),
                    List.of(C1_ONLY), false, Duration.ofMinutes(10)));
        }

        long batchWindows = countLines(windows.stdout());
        String windowCheck = compareLines(out.resolve(JsonLinesSink.WINDOWS), windows.stdout());
        JsonNode batchTotals = Oracle.asRead(Oracle.readJson(totals.stdout()));
        JsonNode streamTotals = Oracle.asRead(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS)));
        String totalsCheck = streamTotals.equals(batchTotals) ? "equal to batch --json"
                : "DIFFERENT (stream records " + streamTotals.get("records") + ", batch " + batchTotals.get("records") + ")";

        Bench.Table table = new Bench.Table("command (whole process)", "wall", "lines/s", "peak RSS", "peak heap used",
                "max heap after GC", "GC pauses", "output");
        row(table, "bin/stormwatch batch --job " + jobName + " " + windowText + " --json F", windows, lines,
                String.format(Locale.ROOT, "%,d windows", batchWindows));
        row(table, "bin/stormwatch batch --job " + jobName + " --json F", totals, lines, "totals");
        row(table, "bin/stormwatch local " + jobName + " --source file:F --output jsonl:D", local, lines,
                String.format(Locale.ROOT, "%,d windows", countLines(out.resolve(JsonLinesSink.WINDOWS))));
        if (localC1 != null) {
            row(table, "  what if: the same with STORMWATCH_JAVA_OPTS=" + C1_ONLY, localC1, lines,
                    "windows " + compareLines(outC1.resolve(JsonLinesSink.WINDOWS), windows.stdout()));
        }
        long reading = local.logMark("from offset 0");
        long complete = local.logMark("results complete");
        long submitted = local.logMark("submitted to an in-process cluster");
        if (reading > 0 && complete > 0) {
            table.row("  of which: reading the file → results complete (log times)",
                    String.format(Locale.ROOT, "%.2f s", (complete - reading) / 1e3),
                    Bench.count(lines / ((complete - reading) / 1e3)), "", "", "", "", "");
            table.row("  of which: process start → topology submitted",
                    String.format(Locale.ROOT, "%.2f s", (submitted - local.startEpochMillis()) / 1e3), "", "", "", "", "", "");
        }
        System.out.println();
        table.print(System.out);
        System.out.println();
        System.out.println("CPU by thread (s; /proc, Linux keeps 15 characters of a thread name; ~ = not an executor):");
        System.out.println("  batch --window: " + windows.cpuSummary());
        System.out.println("  batch --json:   " + totals.cpuSummary());
        System.out.println("  local:          " + local.cpuSummary());
        if (localC1 != null) {
            System.out.println("  local, C1 only: " + localC1.cpuSummary());
        }
        System.out.println("windows.jsonl vs batch --window ... --json: " + windowCheck);
        System.out.println("totals.json vs batch --json: " + totalsCheck);
        double ratio = local.seconds() / windows.seconds();
        double ratioTotals = local.seconds() / totals.seconds();
        System.out.printf(Locale.ROOT, "local / batch --window: %.2f×; local / batch --json: %.2f×%n", ratio, ratioTotals);
        System.out.printf(Locale.ROOT, "target local ≤ %.0f × batch (--window): %s%n", TARGET_RATIO,
                Bench.verdict(ratio <= TARGET_RATIO));
        if (localC1 != null) {
            System.out.printf(Locale.ROOT, "what if C1 only: local / batch --window %.2f× (C1 code runs about half as fast"
                    + " once warm: for long runs the default JIT is better)%n", localC1.seconds() / windows.seconds());
        }
    }

    private static void row(Bench.Table table, String label, StormwatchProcess.Run run, long lines, String output)
            throws IOException {
        StormwatchProcess.Heap heap = run.heap();
        table.row(label, Bench.seconds(run.wallNanos()), Bench.count(lines / run.seconds()), Bench.mb(run.peakRssBytes()),
                Bench.mb(heap.peakUsedBytes()), Bench.mb(heap.maxAfterGcBytes()),
                String.format(Locale.ROOT, "%d, %.0f ms", heap.pauses(), heap.pauseMillis()),
                output);
    }

    /** Milliseconds as the CLI's duration flags take them: whole seconds as {@code 300s}, else {@code ms}. */
    private static String duration(long millis) {
        return millis % 1_000 == 0 ? millis / 1_000 + "s" : millis + "ms";
    }

    private static long countLines(Path file) throws IOException {
        try (var lines = Files.lines(file)) {
            return lines.count();
        }
    }

    /** "equal, N lines" or where the first difference is. */
    private static String compareLines(Path stream, Path batch) throws IOException {
        try (BufferedReader a = Files.newBufferedReader(stream, StandardCharsets.UTF_8);
                BufferedReader b = Files.newBufferedReader(batch, StandardCharsets.UTF_8)) {
            long n = 0;
            while (true) {
                String x = a.readLine();
                String y = b.readLine();
                if (x == null && y == null) {
                    return String.format(Locale.ROOT, "equal line for line (%,d windows)", n);
                }
                n++;
                if (x == null || !x.equals(y)) {
                    return "DIFFERENT at line " + n + ": stream " + (x == null ? "(ended)" : abbreviate(x)) + " / batch "
                            + (y == null ? "(ended)" : abbreviate(y));
                }
            }
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "…";
    }
}
