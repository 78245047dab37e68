package io.stormwatch.bench;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallyCodec;
import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.core.job.Views;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.log.AccessLogFormats;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.log.ParseResult;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.core.window.LateLines;
import io.stormwatch.core.window.PanePartial;
import io.stormwatch.core.window.WindowAssembler;
import io.stormwatch.core.window.WindowSpec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import javax.management.ObjectName;

/**
 * A 1 h window sliding every second at 100,000 lines/s (3,600 panes of 100,000 lines each) through the window
 * bolt's engine ({@link WindowAssembler}, whose {@code SlidingTally} keeps panes encoded beyond 16 of them), in a
 * {@code -Xmx512m} JVM: the heap the window holds, and the CPU cost of one slide against a 30 s and a 10 s window
 * sliding every second (the claim: a slide costs the same whatever the window's length).
 *
 * <p>Method. {@code --distinct} panes (default 8) are counted from real data — 100,000 lines each from
 * {@link LogGenerator} (2,000 clients, 300 endpoints, a dozen status codes), a different seed each, parsed by the
 * real parser and counted into the job's tally — and fed to the assembler in turn, one counted block per pane
 * whose event time closes that pane: each {@code accept} merges the block into a fresh pane (as the window bolt
 * does with the blocks of one second), closes it and slides the window by one (add the new pane, take out the one
 * that left, recompute minima and maxima, hand the window over). The listener renders each window's JSON, as the
 * window bolt does ({@code Views.windowJsonText}). Used heap is read after a full GC every {@value #STEP} panes;
 * if the heap would be 90 % full the figures that fit are extrapolated. Then {@code --slides} more panes are
 * timed (thread CPU time): the whole {@code accept}, the rendering inside it, and, measured apart, merging one
 * pane's block into an empty pane.
 *
 * <pre>
 * bin/bench-topology memory [--panes N] [--distinct N] [--lines-per-pane N] [--slides N]   (runs with -Xmx512m)
 * </pre>
 */
public final class WindowMemoryBenchmark {

    private static final int STEP = 300;
    private static final long SLIDE = 1_000;
    /** Pane ends start here: a multiple of the slide. */
    private static final long BASE = 1_711_843_200_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private WindowMemoryBenchmark() {}

    public static void main(String[] args) {
        Bench.runAndExit(() -> benchmark(args));
    }

    private static void benchmark(String[] args) throws Exception {
        int panes = 3_600;
        int distinct = 8;
        int linesPerPane = 100_000;
        int slides = 300;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--panes" -> panes = Integer.parseInt(args[++i].replace("_", ""));
                case "--distinct" -> distinct = Integer.parseInt(args[++i]);
                case "--lines-per-pane" -> linesPerPane = Integer.parseInt(args[++i].replace("_", ""));
                case "--slides" -> slides = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: [--panes N] [--distinct N] [--lines-per-pane N] [--slides N]");
            }
        }
        System.out.printf(Locale.ROOT, "== memory: a %,d s window sliding every 1 s, panes of %,d generated lines (%,d lines/s)%n",
                panes, linesPerPane, linesPerPane);
        System.out.println(Bench.machine());

        Tally[] tallies = new Tally[distinct];
        AccessLogParser parser = AccessLogFormats.parser(AccessLogFormats.COMBINED);
        for (int d = 0; d < distinct; d++) {
            LogStats stats = new LogStats();
            LogGenerator generator = new LogGenerator(new LogGenerator.Options(linesPerPane, 1000 + d,
                    LogGenerator.Format.COMBINED, 0.0, LogGenerator.DEFAULT_START.plusSeconds(d)));
            while (generator.hasNext()) {
                if (parser.parse(generator.next().text()) instanceof ParseResult.Parsed parsed) {
                    stats.add(parsed.record());
                }
            }
            tallies[d] = stats.tally();
        }
        LogStats sample = LogStats.of(tallies[0]);
        System.out.printf(Locale.ROOT, "a pane: %,d keys (%,d clients, %,d endpoints, %,d status codes), %,d bytes encoded%n",
                tallies[0].keyCount(), sample.clients().size(), sample.endpoints().size(), sample.responseCodes().size(),
                TallyCodec.encode(tallies[0]).length);

        Views views = LogAnalytics.defaults().views();
        Window hour = new Window(new WindowSpec(panes * SLIDE, SLIDE, 0), views, tallies);
        long baseline = usedAfterGc();
        long max = Runtime.getRuntime().maxMemory();
        Bench.Table growth = new Bench.Table("panes held", "used heap after GC", "per pane");
        long used = baseline;
        int held = 0;
        boolean full = false;
        for (int i = 0; i < panes && !full; i++) {
            hour.accept(i);
            if ((i + 1) % STEP == 0 || i + 1 == panes) {
                used = usedAfterGc();
                held = hour.assembler.windowPanes();
                growth.row(Bench.count(held), Bench.mb(used), kb((used - baseline) / held));
                full = used + (used - baseline) / held * STEP > max * 0.9;
            }
        }
        long perPane = (used - baseline) / held;
        boolean stoppedEarly = held < panes;
        System.out.println();
        growth.print(System.out);
        String histogram = classHistogram(12);

        Bench.Table cost = new Bench.Table("window", "panes", "accept per slide p50", "p90", "of which rendering JSON p50",
                "merging the pane's block p50", "slide itself (accept − render − merge) p50", "window records");
        if (!stoppedEarly) {
            hour.measure(panes, slides, cost, "1 h / 1 s (encoded panes)");
        }
        for (int length : new int[] {30, 10}) {
            Window shorter = new Window(new WindowSpec(length * SLIDE, SLIDE, 0), views, tallies);
            for (int i = 0; i < length + slides; i++) { // fill, then as many slides as measured, to warm up
                shorter.accept(i);
            }
            shorter.measure(length + slides, slides, cost, length + " s / 1 s" + (length > 16 ? " (encoded panes)" : " (panes as they are)"));
        }

        long needed = baseline + perPane * panes;
        Bench.Table summary = new Bench.Table("figure", "value");
        summary.row("max heap (-Xmx)", Bench.mb(max));
        summary.row("heap before panes (JVM, classes, sample data)", Bench.mb(baseline));
        summary.row("per pane (" + Bench.count(linesPerPane) + " lines)", kb(perPane));
        summary.row("panes held", Bench.count(held) + (stoppedEarly ? " (then the heap was 90 % full)" : ""));
        summary.row(Bench.count(panes) + " panes" + (stoppedEarly ? " (extrapolated)" : ""), Bench.mb(perPane * panes));
        summary.row("heap needed for the window", Bench.mb(needed));
        summary.row("fits " + Bench.mb(max) + "?", needed <= max ? "yes, " + Bench.mb(max - needed) + " to spare"
                : "NO, short by " + Bench.mb(needed - max));
        System.out.println();
        summary.print(System.out);
        System.out.println();
        System.out.printf(Locale.ROOT, "CPU per slide (thread CPU time, %d slides each, window full):%n", slides);
        cost.print(System.out);
        System.out.println();
        System.out.println("class histogram with " + Bench.count(held) + " panes held (jcmd GC.class_histogram):");
        System.out.println(histogram);
    }

    /** A window fed one pane per accept, its listener rendering each window and timing the rendering. */
    private static final class Window implements WindowAssembler.Listener {
        final WindowSpec spec;
        final Views views;
        final Tally[] tallies;
        final WindowAssembler assembler;
        long renderNanos;
        long lastRecords;
        int windows;

        Window(WindowSpec spec, Views views, Tally[] tallies) {
            this.spec = spec;
            this.views = views;
            this.tallies = tallies;
            this.assembler = new WindowAssembler(spec, LogStats.SCHEMA, this, Long.MAX_VALUE, 0);
        }

        /** Pane {@code i}: one block holding a whole pane, whose event time closes it. */
        void accept(int i) {
            long end = BASE + (i + 1) * SLIDE;
            Tally pane = tallies[i % tallies.length];
            PanePartial partial = new PanePartial(end, pane, new long[] {i}, new long[] {end});
            assembler.accept(new BlockPanes(0, BlockPosition.whole(0, i), "bench", i, i + 1, SLIDE, 0, end,
                    new PanePartial[] {partial}, LogStats.SCHEMA.newTally(), LateLines.NONE), 0);
        }

        void measure(int from, int slides, Bench.Table table, String label) {
            long[] accept = new long[slides];
            long[] render = new long[slides];
            long[] merge = new long[slides];
            for (int s = 0; s < slides; s++) {
                renderNanos = 0;
                long t0 = THREADS.getCurrentThreadCpuTime();
                accept(from + s);
                accept[s] = THREADS.getCurrentThreadCpuTime() - t0;
                render[s] = renderNanos;
                Tally empty = LogStats.SCHEMA.newTally();
                long m0 = THREADS.getCurrentThreadCpuTime();
                empty.merge(tallies[(from + s) % tallies.length]);
                merge[s] = THREADS.getCurrentThreadCpuTime() - m0;
            }
            long[] slide = new long[slides];
            for (int s = 0; s < slides; s++) {
                slide[s] = accept[s] - render[s] - merge[s];
            }
            Arrays.sort(accept);
            Arrays.sort(render);
            Arrays.sort(merge);
            Arrays.sort(slide);
            table.row(label, assembler.windowPanes(), Bench.micros(Bench.quantile(accept, 0.5)),
                    Bench.micros(Bench.quantile(accept, 0.9)), Bench.micros(Bench.quantile(render, 0.5)),
                    Bench.micros(Bench.quantile(merge, 0.5)), Bench.micros(Bench.quantile(slide, 0.5)),
                    Bench.count(lastRecords));
        }

        @Override
        public void window(long start, long end, Tally tally, long late) {
            long t0 = THREADS.getCurrentThreadCpuTime();
            String json = views.windowJsonText(start, end, tally, late);
            renderNanos += THREADS.getCurrentThreadCpuTime() - t0;
            lastRecords = tally.records();
            windows += json.isEmpty() ? 0 : 1;
        }

        @Override
        public void late(String source, long[] offsets, long[] times, long reportedIn) {}
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The top rows of the live-object histogram, from the same diagnostic command jcmd uses. */
    private static String classHistogram(int rows) throws Exception {
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {new String[0]}, new String[] {String[].class.getName()});
        String[] lines = histogram.split("\n");
        StringBuilder top = new StringBuilder();
        for (int i = 0; i < Math.min(lines.length, rows + 2); i++) {
            top.append(lines[i]).append('\n');
        }
        return top.append(lines[lines.length - 1]).toString();
    }

    private static String kb(long bytes) {
        return String.format(Locale.ROOT, "%,.0f KB", bytes / 1024.0);
    }
}
