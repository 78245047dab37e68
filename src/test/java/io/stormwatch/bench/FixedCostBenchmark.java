package io.stormwatch.bench;

import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.storm.sink.JsonLinesSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fixed cost of a run: {@code bin/stormwatch local log-analytics --source file:F --output jsonl:D} on a
 * 100-line file, from the process's start to its exit, {@code --runs} times (default 5), with a breakdown of
 * each run from timestamps:
 * <ul>
 *   <li>the benchmark's clock just before it starts the process, and when the process has exited;</li>
 *   <li>the JVM's class-load log ({@code -Xlog:class+load} with wall time, through {@code STORMWATCH_JAVA_OPTS}):
 *       JVM start (wall time − uptime), the CLI's main class loaded ({@code StormwatchCli}), {@code LocalCluster}
 *       loaded (the CLI is about to construct it), {@code SubmitOptions} loaded (Nimbus's {@code submitTopology}
 *       starts: the cluster is up), {@code BlockTuples} loaded (the spout emits its first block);</li>
 *   <li>the CLI's own log lines on stderr ({@code HH:mm:ss.SSS}): topology submitted, end of input sent by the
 *       spout, results complete ({@code _SUCCESS} written), stopping the topology.</li>
 * </ul>
 * Then {@code --what-if-runs} (default 3) more runs with Storm's {@code supervisor.worker.shutdown.sleep.secs} at 1
 * instead of 3 (set through {@code -Dstorm.options}, which LocalCluster reads: no code change), and
 * {@code --no-cds-runs} (default 3) without the launcher's class-data archive ({@code STORMWATCH_CDS=off}), for
 * comparison. The runs start from the archive ({@code bin/bench-topology} has it written first if this jar has none), as
 * a user's runs do.
 * Logging class loads adds a little to each run (the log has ~8,000 lines); every run has it, so the runs
 * compare.
 *
 * <pre>
 * bin/bench-topology fixed [--runs N] [--what-if-runs N] [--no-cds-runs N] [--lines N]
 * </pre>
 */
public final class FixedCostBenchmark {

    private static final String CLI = "io.stormwatch.cli.StormwatchCli";
    private static final String LOCAL_CLUSTER = "org.apache.storm.LocalCluster";
    private static final String SUBMIT = "org.apache.storm.generated.SubmitOptions";
    private static final String FIRST_BLOCK = "io.stormwatch.storm.spout.BlockTuples";

    /** A part of a run: its name, whose code runs in it, and its two ends. */
    private record Part(String name, String whose, String from, String to) {}

    private static final List<Part> PARTS = List.of(
            new Part("launcher script → JVM start", "ours (bin/stormwatch: stale-jar check, classpath)", "start", "jvm"),
            new Part("JVM start → CLI main class", "JVM", "jvm", "cli"),
            new Part("CLI main → LocalCluster construction", "ours (picocli, config, job and topology built)", "cli", "cluster"),
            new Part("LocalCluster construction → up (submit starts)", "Storm (ZooKeeper, Nimbus, supervisor in-process)",
                    "cluster", "submit"),
            new Part("submit → topology submitted", "Storm (Nimbus validates, uploads, schedules)", "submit", "submitted"),
            new Part("submitted → first block emitted", "Storm (supervisor assigns, worker starts, executors prepare)"
                    + " + ours (spout open, bolt prepare)", "submitted", "first"),
            new Part("first block → end of input sent", "ours + Storm (100 lines through, acked after checkpoint)",
                    "first", "eoi"),
            new Part("end of input → _SUCCESS", "ours (final watermark, windows, totals, sink) + Storm (tuple hops)",
                    "eoi", "success"),
            new Part("_SUCCESS → stop noticed", "ours (LocalRunner polls every 20 ms)", "success", "stopping"),
            new Part("kill + close → exit", "Storm (kill, LocalCluster.close) + JVM exit", "stopping", "exit"));

    /** Storm daemon settings tried as a "what if" (through -Dstorm.options, no code change). */
    private static final String WHAT_IF = "supervisor.worker.shutdown.sleep.secs=1";

    private FixedCostBenchmark() {}

    /** The marks, wall times and CPU seconds of some runs. */
    private record Runs(List<Map<String, Long>> marks, double[] walls, double[] cpus) {
        double[] part(Part part) {
            double[] values = new double[marks.size()];
            for (int i = 0; i < values.length; i++) {
                long from = marks.get(i).get(part.from());
                long to = marks.get(i).get(part.to());
                values[i] = from < 0 || to < 0 ? Double.NaN : to - from;
            }
            return values;
        }
    }

    private static Runs runs(String name, int runs, Path log, List<String> javaOpts, Map<String, String> environment)
            throws Exception {
        List<Map<String, Long>> marks = new ArrayList<>();
        double[] walls = new double[runs];
        double[] cpus = new double[runs];
        for (int i = 0; i < runs; i++) {
            Path out = Bench.WORK.resolve("out-fixed").toAbsolutePath();
            Bench.deleteTree(out);
            StormwatchProcess.Run run = StormwatchProcess.checked(StormwatchProcess.run(name + "-" + i,
                    List.of("local", "log-analytics", "--source", "file:" + log, "--output", "jsonl:" + out),
                    javaOpts, environment, true, Duration.ofMinutes(2), StormwatchProcess.Probe.NONE));
            if (!Files.exists(out.resolve(JsonLinesSink.SUCCESS))) {
                throw new IllegalStateException(name + " run " + i + " exited without " + JsonLinesSink.SUCCESS);
            }
            Map<String, Long> classes = run.classLoads(List.of(CLI, LOCAL_CLUSTER, SUBMIT, FIRST_BLOCK));
            Map<String, Long> m = new LinkedHashMap<>();
            m.put("start", run.startEpochMillis());
            m.put("jvm", classes.get("<jvm start>"));
            m.put("cli", classes.get(CLI));
            m.put("cluster", classes.get(LOCAL_CLUSTER));
            m.put("submit", classes.get(SUBMIT));
            m.put("submitted", run.logMark("submitted to an in-process cluster"));
            m.put("first", classes.get(FIRST_BLOCK));
            m.put("eoi", run.logMark("end of input sent"));
            m.put("success", run.logMark("results complete"));
            m.put("stopping", run.logMark("Stopping topology"));
            m.put("exit", run.endEpochMillis());
            marks.add(m);
            walls[i] = run.seconds();
            cpus[i] = run.threadCpu().values().stream().mapToDouble(Double::doubleValue).sum();
            System.out.printf(Locale.ROOT, "%s run %d: %.2f s, %.1f s CPU (load %s)%n", name, i + 1, run.seconds(), cpus[i],
                    Bench.loadAverages());
        }
        return new Runs(marks, walls, cpus);
    }

    public static void main(String[] args) {
        Bench.runAndExit(() -> benchmark(args));
    }

    private static void benchmark(String[] args) throws Exception {
        int runs = 5;
        int whatIfRuns = 3;
        int noCdsRuns = 3;
        int lines = 100;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--lines" -> lines = Integer.parseInt(args[++i]);
                case "--what-if-runs" -> whatIfRuns = Integer.parseInt(args[++i]);
                case "--no-cds-runs" -> noCdsRuns = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: [--runs N] [--what-if-runs N] [--no-cds-runs N] [--lines N]");
            }
        }
        System.out.printf(Locale.ROOT, "== fixed cost: bin/stormwatch local log-analytics on a %d-line file, start to exit, %d runs%n",
                lines, runs);
        System.out.println(Bench.machine());
        Path log = Bench.log("combined-" + lines + "-42.log",
                new LogGenerator.Options(lines, 42, LogGenerator.Format.COMBINED, 0.0, LogGenerator.DEFAULT_START));

        Runs plain = runs("fixed", runs, log, List.of(), Map.of());
        Runs whatIf = whatIfRuns > 0
                ? runs("fixed-whatif", whatIfRuns, log, List.of("-Dstorm.options=" + WHAT_IF), Map.of()) : null;
        Runs noCds = noCdsRuns > 0 ? runs("fixed-no-cds", noCdsRuns, log, List.of(), Map.of("STORMWATCH_CDS", "off")) : null;
        List<Map<String, Long>> marks = plain.marks();
        double[] walls = plain.walls();

        List<String> header = new ArrayList<>(List.of("part (ms)", "whose"));
        for (int i = 0; i < runs; i++) {
            header.add("run " + (i + 1));
        }
        header.add("median");
        if (whatIf != null) {
            header.add("median, " + WHAT_IF + " (" + whatIfRuns + " runs)");
        }
        if (noCds != null) {
            header.add("median, STORMWATCH_CDS=off (" + noCdsRuns + " runs)");
        }
        Bench.Table table = new Bench.Table(header.toArray(String[]::new));
        for (Part part : PARTS) {
            List<Object> row = new ArrayList<>(List.of(part.name(), part.whose()));
            double[] values = new double[runs];
            for (int i = 0; i < runs; i++) {
                long from = marks.get(i).get(part.from());
                long to = marks.get(i).get(part.to());
                values[i] = from < 0 || to < 0 ? Double.NaN : to - from;
                row.add(Double.isNaN(values[i]) ? "?" : String.format(Locale.ROOT, "%,.0f", values[i]));
            }
            row.add(String.format(Locale.ROOT, "%,.0f", Bench.median(values)));
            for (Runs other : Arrays.asList(whatIf, noCds)) {
                if (other != null) {
                    row.add(String.format(Locale.ROOT, "%,.0f", Bench.median(other.part(part))));
                }
            }
            table.row(row.toArray());
        }
        List<Object> total = new ArrayList<>(List.of("start → exit (wall)", ""));
        for (double wall : walls) {
            total.add(String.format(Locale.ROOT, "%,.0f", wall * 1000));
        }
        total.add(String.format(Locale.ROOT, "%,.0f", Bench.median(walls) * 1000));
        List<Object> cpu = new ArrayList<>(List.of("CPU seconds (all threads)", ""));
        for (double seconds : plain.cpus()) {
            cpu.add(String.format(Locale.ROOT, "%.1f", seconds));
        }
        cpu.add(String.format(Locale.ROOT, "%.1f", Bench.median(plain.cpus())));
        for (Runs other : Arrays.asList(whatIf, noCds)) {
            if (other != null) {
                total.add(String.format(Locale.ROOT, "%,.0f", Bench.median(other.walls()) * 1000));
                cpu.add(String.format(Locale.ROOT, "%.1f", Bench.median(other.cpus())));
            }
        }
        table.row(total.toArray());
        table.row(cpu.toArray());
        System.out.println();
        table.print(System.out);
        System.out.println();
        System.out.printf(Locale.ROOT, "median start → exit: %.2f s over %d runs%n", Bench.median(walls), runs);
        if (whatIf != null) {
            System.out.printf(Locale.ROOT, "what if: STORMWATCH_JAVA_OPTS=-Dstorm.options=%s (Storm's daemon config; default 3 s"
                    + " of grace for a worker to stop before it is killed; it must be positive): median %.2f s over %d runs%n",
                    WHAT_IF, Bench.median(whatIf.walls()), whatIfRuns);
        }
        if (noCds != null) {
            System.out.printf(Locale.ROOT, "class-data archive (bin/stormwatch): median %.2f s and %.1f s CPU with it, %.2f s and"
                    + " %.1f s CPU without (STORMWATCH_CDS=off, %d runs)%n", Bench.median(walls), Bench.median(plain.cpus()),
                    Bench.median(noCds.walls()), Bench.median(noCds.cpus()), noCdsRuns);
        }
        System.out.println("marks: JVM start, CLI main, LocalCluster, submit, first block from -Xlog:class+load (wall ms);"
                + " submitted, end of input, _SUCCESS, stopping from the CLI's log lines; start/exit from this process.");
    }
}
