package io.stormwatch.compare;

import io.stormwatch.core.job.Jobs;
import io.stormwatch.core.window.WindowSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/stormwatch compare}: stormwatch and the Spark versions of its jobs, each in a JVM of its own with the
 * same heap on this machine's cores, on the same paced input at several rates, then on a backlog file; prints
 * a table as it goes and writes {@code compare.md} and the plots into {@code --out}. How it measures:
 * {@code topologies/results/METHOD.md}.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compare stormwatch with Spark DStreams, Structured Streaming and its continuous trigger:"
                + " per-line latency, window-result delay, sustained rate, CPU and RSS, backlog lines/s.")
public final class Compare implements Callable<Integer> {

    @Option(names = "--jobs", split = ",", defaultValue = "log-analytics", paramLabel = "JOB,...",
            description = "Jobs to compare, each fed lines of its own kind (access-log lines; text for word-count;"
                    + " tweets for hashtags; default ${DEFAULT-VALUE}).")
    List<String> jobs;

    @Option(names = "--rates", split = ",", defaultValue = "1000,10000", paramLabel = "R,...",
            description = "Paced input rates, lines/s, lowest first (default ${DEFAULT-VALUE}). An engine that did not sustain"
                    + " a rate is not run at higher ones.")
    List<Double> rates;

    @Option(names = "--duration", defaultValue = "10s", paramLabel = "DURATION",
            description = "Measured part of each live run, after the warm-up (default ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warmup", defaultValue = "20s", paramLabel = "DURATION",
            description = "Fed but not measured, at the start of each live run (default ${DEFAULT-VALUE}).")
    String warmup;

    @Option(names = "--engines", split = ",", paramLabel = "E,...",
            description = "Engines (default all): stormwatch, dstream-1s, dstream-100ms, structured, structured-100ms, continuous.")
    List<String> engines;

    @Option(names = "--backlog-lines", defaultValue = "1000000", paramLabel = "N",
            description = "Lines of the backlog file (0: no backlog runs; default ${DEFAULT-VALUE}).")
    long backlogLines;

    @Option(names = "--backlog-rounds", defaultValue = "3", paramLabel = "N",
            description = "Backlog runs per engine, in rounds of one run each; the report compares their medians"
                    + " (default ${DEFAULT-VALUE}).")
    int backlogRounds;

    @Option(names = "--heap", defaultValue = "-Xmx1g", description = "Heap option of every engine JVM (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--out", defaultValue = "topologies/results", paramLabel = "DIR",
            description = "Where compare.md and the plots go (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--work", defaultValue = "target/compare", paramLabel = "DIR",
            description = "Run directories (engine logs and outputs) and the backlog file (default ${DEFAULT-VALUE}).")
    Path work;

    @Override
    public Integer call() throws Exception {
        Path root = Path.of(System.getProperty("stormwatch.home", ".")).toAbsolutePath().normalize();
        for (String job : jobs) {
            if (!Jobs.NAMES.contains(job)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "--jobs takes " + String.join(", ", Jobs.NAMES) + "; not " + job);
            }
        }
        List<Engine> chosen = new ArrayList<>();
        for (String label : engines == null ? List.<String>of() : engines) {
            chosen.add(Engine.byLabel(label));
        }
        if (chosen.isEmpty()) {
            chosen.addAll(List.of(Engine.values()));
        }
        long warmupMillis = WindowSpec.parseDuration(warmup);
        long durationMillis = WindowSpec.parseDuration(duration);
        Comparison comparison = new Comparison(new Comparison.Settings(root, root.resolve(work), heap, warmupMillis,
                durationMillis, 10_000, 180_000));
        Report report = new Report(root.resolve(out), Machine.now(), heap, warmupMillis, durationMillis);
        long started = System.nanoTime();
        for (String job : jobs) {
            List<Engine> sustaining = new ArrayList<>(chosen);
            for (double rate : rates.stream().sorted().toList()) {
                for (Engine engine : List.copyOf(sustaining)) {
                    RunResult result = comparison.live(engine, job, rate);
                    report.add(result);
                    if (!result.bounded()) {
                        sustaining.remove(engine); // the "up to the highest rate each sustains"
                    }
                }
            }
            if (backlogLines > 0) {
                Path file = Comparison.backlogFile(job, root.resolve(work), backlogLines);
                // Rounds, each running every engine once, so that a slow spell of the shared machine falls on all
                // engines alike rather than on whichever ran then; the report compares medians.
                for (int round = 0; round < backlogRounds; round++) {
                    report.add(comparison.backlog(null, job, file, backlogLines, 180_000));
                    for (Engine engine : List.of(Engine.STORMWATCH, Engine.STRUCTURED_DEFAULT, Engine.DSTREAM_1S)) {
                        if (chosen.contains(engine)) {
                            report.add(comparison.backlog(engine, job, file, backlogLines, 180_000));
                        }
                    }
                }
            }
        }
        report.write(Machine.now(), (System.nanoTime() - started) / 1e9);
        return 0;
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new Compare()).execute(args));
    }
}
