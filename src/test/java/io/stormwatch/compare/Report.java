package io.stormwatch.compare;

import io.stormwatch.bench.Bench;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The results of a comparison: one line on stdout per run as it ends, then {@code compare.md} (tables, headline
 * ratios against the targets, machine, versions, settings) and the plots in the output directory —
 * per-line latency CDF per engine and rate, p99 against rate, backlog lines/s — drawn with XChart.
 */
final class Report {

    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 100};

    private final Path out;
    private final Machine before;
    private final String heap;
    private final long warmupMillis;
    private final long durationMillis;
    private final List<RunResult> live = new ArrayList<>();
    private final List<RunResult> backlog = new ArrayList<>();

    Report(Path out, Machine before, String heap, long warmupMillis, long durationMillis) {
        this.out = out;
        this.before = before;
        this.heap = heap;
        this.warmupMillis = warmupMillis;
        this.durationMillis = durationMillis;
        System.out.println(liveHeader());
        System.out.flush();
    }

    void add(RunResult result) {
        if (result.rate() > 0) {
            live.add(result);
            System.out.println(liveRow(result));
        } else {
            if (backlog.isEmpty()) {
                System.out.println();
                System.out.println(backlogHeader());
            }
            backlog.add(result);
            System.out.println(backlogRow(result));
        }
        System.out.flush();
    }

    private static String liveHeader() {
        return "| engine | job | rate (lines/s) | achieved | sustained | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms | unseen"
                + " | window delay p50 / max ms | CPU s (fed / all) | peak RSS MiB | load | note |\n"
                + "|---|---|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|";
    }

    private static String liveRow(RunResult r) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %s | %,.0f | %,.0f | %s |", r.engine(), r.job(),
                r.rate(), r.achievedRate(), r.bounded() ? "yes" : "**no**"));
        for (double p : PERCENTILES) {
            row.append(' ').append(ms(r.latencyMs(p))).append(" |");
        }
        row.append(String.format(Locale.ROOT, " %,d | %s | %.1f / %.1f | %d | %.1f | %s |", r.unseen(),
                r.windowDelaysMs().length == 0 ? "–"
                        : String.format(Locale.ROOT, "%,.0f / %,.0f (%d)", r.windowDelayMs(50), r.windowDelayMs(100),
                                r.windowDelaysMs().length),
                r.cpuFedSeconds(), r.cpuSeconds(), r.peakRssMib(), r.load(), r.note()));
        return row.toString();
    }

    private static String backlogHeader() {
        return "| engine | job | lines | lines/s, start to exit | lines/s, first to last count | CPU s | peak RSS MiB | load | note |\n"
                + "|---|---|--:|--:|--:|--:|--:|--:|---|";
    }

    private static String backlogRow(RunResult r) {
        return String.format(Locale.ROOT, "| %s | %s | %,d | %s | %s | %.1f | %d | %.1f | %s |", r.engine(), r.job(), r.lines(),
                rate(r.achievedRate()), rate(r.processingRate()), r.cpuSeconds(), r.peakRssMib(), r.load(), r.note());
    }

    private static String rate(double rate) {
        return Double.isNaN(rate) ? "–" : String.format(Locale.ROOT, "%,.0f", rate);
    }

    static String ms(double ms) {
        if (Double.isNaN(ms)) {
            return "–";
        }
        return ms < 10 ? String.format(Locale.ROOT, "%.2f", ms) : String.format(Locale.ROOT, "%,.0f", ms);
    }

    /** Writes compare.md and the plots. */
    void write(Machine after, double seconds) throws IOException {
        Files.createDirectories(out);
        List<String> plots = new ArrayList<>();
        for (String job : jobs(live)) {
            for (double rate : new TreeSet<>(live.stream().filter(r -> r.job().equals(job)).map(RunResult::rate).toList())) {
                plots.add(cdf(job, rate));
            }
            plots.add(p99(job));
        }
        if (!backlog.isEmpty()) {
            plots.add(backlogChart());
        }
        StringBuilder md = new StringBuilder();
        md.append("# stormwatch vs Spark: latency, sustained rate, backlog\n\n");
        md.append("Produced by `bin/stormwatch compare` (this file and the PNGs beside it are rewritten by each run). How it\n"
                + "measures — clocks, what \"visible\" means per engine, warm-up, drops and stragglers: [METHOD.md](" + methodLink() + ").\n\n");
        md.append(String.format(Locale.ROOT, "- Machine: %d cores (%s), %,d MiB; %s.%n", before.cores(), before.cpu(),
                before.memoryMib(), before.java()));
        md.append(String.format(Locale.ROOT, "- Load average (1, 5, 15 min): %s at the start (%s), %s at the end; the machine"
                + " is shared with other builds; each row's `load` is the 1-minute load average when that run ended (2 cores:"
                + " above 2, the engines waited for a core).%n", before.loadAverage(), before.at(), after.loadAverage()));
        md.append("- Versions: Storm " + pomProperty("pom.xml", "storm.version") + ", Spark "
                + pomProperty("spark/pom.xml", "spark.version") + " (local[2]).\n");
        md.append(String.format(Locale.ROOT, "- Settings: every engine its own JVM, `%s`, on the machine's %d cores; warm-up %d s then"
                + " %d s measured per live run; the whole comparison took %.0f s.%n%n", heap, before.cores(), warmupMillis / 1000,
                durationMillis / 1000, seconds));
        md.append("Engines:\n\n");
        for (Engine engine : Engine.values()) {
            md.append("- `").append(engine.label).append("`: ").append(engine.description).append('\n');
        }
        md.append("- `batch` (backlog only): `bin/stormwatch batch --json`, the oracle, one pass over the file\n\n");
        md.append("## Headline against the issue's targets\n\n").append(headline()).append('\n');
        md.append("## Live runs: per-line latency (line written to the socket → visible in the running count)\n\n");
        md.append(liveHeader()).append('\n');
        live.forEach(r -> md.append(liveRow(r)).append('\n'));
        md.append("\n## Backlog: one generated file, as fast as each engine goes\n\n");
        if (backlog.isEmpty()) {
            md.append("Not run (`--backlog-lines 0`).\n");
        } else {
            md.append("Median over each engine's runs (the runs go in rounds, every engine once per round; failed runs"
                    + " left out):\n\n");
            md.append("| engine | job | runs | lines/s, start to exit | lines/s, first to last count |\n|---|---|--:|--:|--:|\n");
            medians(backlog).forEach(m -> md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s |%n", m.engine(),
                    m.job(), m.runs(), rate(m.startToExit()), rate(m.firstToLast()))));
            md.append("\nEvery run, in the order run:\n\n");
            md.append(backlogHeader()).append('\n');
            backlog.forEach(r -> md.append(backlogRow(r)).append('\n'));
        }
        md.append("\n## Plots\n\n");
        for (String plot : plots) {
            md.append("![").append(plot).append("](").append(plot).append(")\n\n");
        }
        Files.writeString(out.resolve("compare.md"), md);
        System.out.println();
        System.out.println(headline());
        System.out.println("written: " + out.resolve("compare.md") + " and " + plots.size() + " plots");
    }

    private static double target(Double target) {
        return target == null ? Double.POSITIVE_INFINITY : target;
    }

    /** p99 ratios of stormwatch against each engine at each rate, and the backlog ratio, against the targets. */
    String headline() {
        Map<String, Double> targets = new LinkedHashMap<>();
        targets.put("dstream-1s", 500.0);
        targets.put("structured", 90.0);
        targets.put("continuous", 5.0);
        StringBuilder text = new StringBuilder();
        for (RunResult storm : live.stream().filter(r -> r.engine().equals(Engine.STORMWATCH.label)).toList()) {
            for (RunResult other : live.stream().filter(r -> r.job().equals(storm.job()) && r.rate() == storm.rate()
                    && !r.engine().equals(storm.engine())).toList()) {
                Double target = targets.get(other.engine());
                String goal = target == null ? "" : String.format(Locale.ROOT, "target ≥ %.0f×: ", target);
                if (other.latencyNanos().length == 0) {
                    // No ratio can be formed: say what happened instead of calling it met or not.
                    text.append(String.format(Locale.ROOT, "- %s at %,.0f lines/s: p99 %s ms vs %s: no measured line visible before it was stopped (%s)%s%n",
                            storm.job(), storm.rate(), ms(storm.latencyMs(99)), other.engine(), other.note(),
                            target == null ? "" : " — " + goal + "no figure"));
                    continue;
                }
                double ratio = other.latencyMs(99) / storm.latencyMs(99);
                // An engine that fell behind showed only its earlier lines: the later ones waited longer, so its
                // p99 over what it showed, and the ratio, are lower bounds.
                String judged = ratio >= target(target) ? "met" : other.bounded() ? "**not met**" : "**not met** by this lower bound";
                text.append(String.format(Locale.ROOT, "- %s at %,.0f lines/s: p99 %s ms vs %s %s ms → %s%,.1f× lower%s%s%n",
                        storm.job(), storm.rate(), ms(storm.latencyMs(99)), other.engine(), ms(other.latencyMs(99)),
                        other.bounded() ? "" : "at least ", ratio,
                        other.bounded() ? "" : " (" + other.engine() + " not sustained: its p99 is over the lines it showed;"
                                + " the lines it never showed waited longer)",
                        target == null ? "" : " (" + goal + judged + ")"));
            }
        }
        List<BacklogMedian> medians = medians(backlog);
        for (String job : jobs(backlog)) {
            BacklogMedian storm = medians.stream().filter(m -> m.job().equals(job) && m.engine().equals(Engine.STORMWATCH.label))
                    .findFirst().orElse(null);
            BacklogMedian best = medians.stream().filter(m -> m.job().equals(job) && Engine.byLabelOrNull(m.engine()) != null
                    && Engine.byLabelOrNull(m.engine()).isSpark())
                    .max((a, b) -> Double.compare(a.startToExit(), b.startToExit())).orElse(null);
            if (storm != null && best != null) {
                double ratio = storm.startToExit() / best.startToExit();
                text.append(String.format(Locale.ROOT, "- %s backlog, start to exit: stormwatch %s lines/s vs Spark's best"
                        + " (%s) %s lines/s → %.2f× (target ≥ 2×: %s)%s%n", job, rate(storm.startToExit()), best.engine(),
                        rate(best.startToExit()), ratio, ratio >= 2 ? "met" : "**not met**",
                        storm.runs() > 1 || best.runs() > 1 ? String.format(Locale.ROOT, "; medians of %d and %d runs",
                                storm.runs(), best.runs()) : ""));
            }
        }
        return text.toString();
    }

    private String cdf(String job, double rate) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title(String.format(Locale.ROOT, "%s at %,.0f lines/s: per-line latency CDF", job, rate))
                .xAxisTitle("latency, ms (log scale)").yAxisTitle("fraction of lines").build();
        chart.getStyler().setXAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.InsideNW)
                .setMarkerSize(0);
        chart.getStyler().setYAxisDecimalPattern("0.0");
        chart.getStyler().setYAxisTickMarkSpacingHint(60);
        for (RunResult r : live) {
            if (r.job().equals(job) && r.rate() == rate && r.latencyNanos().length > 0) {
                int points = Math.min(400, r.latencyNanos().length);
                double[] x = new double[points];
                double[] y = new double[points];
                for (int i = 0; i < points; i++) {
                    double q = (i + 1) / (double) points;
                    x[i] = Math.max(0.001, Latency.percentile(r.latencyNanos(), q * 100) / 1e6);
                    y[i] = q;
                }
                chart.addSeries(r.engine(), x, y).setMarker(SeriesMarkers.NONE);
            }
        }
        String name = String.format(Locale.ROOT, "latency-cdf-%s-%.0f.png", job, rate);
        if (chart.getSeriesMap().isEmpty()) {
            return name + " (no data)";
        }
        BitmapEncoder.saveBitmap(chart, out.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        return name;
    }

    private String p99(String job) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(job + ": per-line p99 latency against rate")
                .xAxisTitle("input rate, lines/s").yAxisTitle("p99 latency, ms (log scale)").build();
        chart.getStyler().setYAxisLogarithmic(true).setLegendPosition(Styler.LegendPosition.OutsideE);
        Map<String, List<RunResult>> byEngine = new LinkedHashMap<>();
        live.stream().filter(r -> r.job().equals(job) && r.latencyNanos().length > 0)
                .forEach(r -> byEngine.computeIfAbsent(r.engine(), e -> new ArrayList<>()).add(r));
        byEngine.forEach((engine, runs) -> chart.addSeries(engine,
                runs.stream().mapToDouble(RunResult::rate).toArray(),
                runs.stream().mapToDouble(r -> Math.max(0.001, r.latencyMs(99))).toArray()));
        String name = "p99-vs-rate-" + job + ".png";
        if (!byEngine.isEmpty()) {
            BitmapEncoder.saveBitmap(chart, out.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        }
        return name;
    }

    private String backlogChart() throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(900).height(560).title("Backlog: lines/s on one file")
                .xAxisTitle("engine").yAxisTitle("lines/s").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        List<BacklogMedian> done = medians(backlog);
        List<String> labels = done.stream().map(m -> m.engine() + " / " + m.job()).toList();
        chart.addSeries("start to exit (median)", labels, done.stream().map(m -> (Number) m.startToExit()).toList());
        chart.addSeries("first to last count (median)", labels,
                done.stream().map(m -> (Number) (Double.isNaN(m.firstToLast()) ? 0.0 : m.firstToLast())).toList());
        String name = "backlog-lines-per-second.png";
        if (!done.isEmpty()) {
            BitmapEncoder.saveBitmap(chart, out.resolve(name).toString(), BitmapEncoder.BitmapFormat.PNG);
        }
        return name;
    }

    /** One engine's backlog runs on one job: how many finished, and the medians of their rates (NaN for none). */
    record BacklogMedian(String engine, String job, int runs, double startToExit, double firstToLast) {}

    /** Per job and engine, in the order first run, the medians of the backlog runs that finished. */
    static List<BacklogMedian> medians(List<RunResult> backlog) {
        Map<List<String>, List<RunResult>> byRun = new LinkedHashMap<>();
        backlog.forEach(r -> byRun.computeIfAbsent(List.of(r.job(), r.engine()), k -> new ArrayList<>()).add(r));
        List<BacklogMedian> medians = new ArrayList<>();
        byRun.forEach((key, runs) -> {
            double[] startToExit = runs.stream().mapToDouble(RunResult::achievedRate).filter(v -> !Double.isNaN(v)).toArray();
            double[] firstToLast = runs.stream().mapToDouble(RunResult::processingRate).filter(v -> !Double.isNaN(v)).toArray();
            if (startToExit.length > 0) {
                medians.add(new BacklogMedian(key.get(1), key.get(0), startToExit.length, Bench.median(startToExit),
                        firstToLast.length == 0 ? Double.NaN : Bench.median(firstToLast)));
            }
        });
        return medians;
    }

    private static List<String> jobs(List<RunResult> results) {
        return results.stream().map(RunResult::job).distinct().toList();
    }

    private static String pomProperty(String pom, String property) {
        Path root = Path.of(System.getProperty("stormwatch.home", "."));
        try {
            Matcher m = Pattern.compile("<" + Pattern.quote(property) + ">([^<]+)<").matcher(Files.readString(root.resolve(pom)));
            return m.find() ? m.group(1) : "?";
        } catch (IOException e) {
            return "?";
        }
    }

    static double[] sortedCopy(double[] values) {
        double[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    /** The link to METHOD.md (in {@code topologies/results/}) from wherever this report is written. */
    private String methodLink() {
        Path root = Path.of(System.getProperty("stormwatch.home", ".")).toAbsolutePath().normalize();
        Path method = root.resolve("topologies/results/METHOD.md");
        return out.toAbsolutePath().normalize().relativize(method).toString().replace('\\', '/');
    }
}
