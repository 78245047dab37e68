package io.stormwatch.bench;

import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.core.log.AccessLogFormats;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.log.ParseResult;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.window.Pane;
import io.stormwatch.core.window.WindowResult;
import io.stormwatch.storm.bolt.TupleTypes;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.ObjectName;
import org.apache.storm.Config;
import org.apache.storm.serialization.KryoValuesDeserializer;
import org.apache.storm.serialization.KryoValuesSerializer;
import org.apache.storm.utils.Utils;

/**
 * Does a 1 h window sliding every second, at 100,000 lines/s, fit a 512 MB heap? The window bolt holds one
 * pane per slide, 3,600 of them, each the {@link LogStats} of one second of traffic: 100,000 lines.
 *
 * <p>Method. Generating and parsing 360 M lines would take far too long, so {@code --distinct} panes (default
 * 8) are built from real data — 100,000 lines each from {@link LogGenerator} (its cardinality: 2,000
 * clients, 300 endpoints, a dozen status codes), a different seed each, parsed by the real parser and
 * counted by {@link LogStats#add} — and the window's panes are copies of them made by a round trip through
 * Storm's Kryo tuple serialization with the topology's registrations, exactly as a pane tuple arriving from
 * another worker is rebuilt. So no two panes share their encoded statistics (a pane keeps its {@link LogStats}
 * encoded by {@link io.stormwatch.core.stats.LogStatsCodec}), as in the running bolt. Panes are held
 * in a list as the window holds their tuples; Storm's own per-tuple wrapper (well under 1 KB a pane) is left
 * out. Used heap is read after a full GC every {@value #STEP} panes; if the heap would be 90 % full before
 * all panes are held, the figures that did fit are extrapolated (linearly: each pane costs the same) and the
 * class histogram at that point shows what dominates. Finally, when every pane fits, the window is merged
 * ({@link WindowResult#merge}, best of {@value #MERGE_RUNS}), as the bolt does every slide.
 *
 * <pre>
 * bin/bench-topology memory [--panes N] [--distinct N] [--lines-per-pane N]    (runs with -Xmx512m)
 * </pre>
 */
public final class PaneMemoryBenchmark {

    private static final int STEP = 100;
    private static final long SLIDE_MILLIS = 1_000;
    private static final int MERGE_RUNS = 3;

    private PaneMemoryBenchmark() {}

    public static void main(String[] args) throws Exception {
        int panes = 3_600;
        int distinct = 8;
        int linesPerPane = 100_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--panes" -> panes = Integer.parseInt(args[++i].replace("_", ""));
                case "--distinct" -> distinct = Integer.parseInt(args[++i]);
                case "--lines-per-pane" -> linesPerPane = Integer.parseInt(args[++i].replace("_", ""));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: [--panes N] [--distinct N] [--lines-per-pane N]");
            }
        }
        System.out.printf(Locale.ROOT, "== memory: %,d panes of %,d generated lines each (1 h window, 1 s slide, %,d lines/s)%n",
                panes, linesPerPane, linesPerPane);
        System.out.println(Bench.machine());

        Config conf = new Config();
        conf.putAll(Utils.readDefaultConfig());
        TupleTypes.register(conf);
        KryoValuesSerializer serializer = new KryoValuesSerializer(conf);
        KryoValuesDeserializer deserializer = new KryoValuesDeserializer(conf);

        List<byte[]> serialized = new ArrayList<>();
        LogStats sample = null;
        AccessLogParser parser = AccessLogFormats.parser(AccessLogFormats.COMBINED);
        for (int d = 0; d < distinct; d++) {
            LogStats stats = new LogStats();
            LogGenerator generator = new LogGenerator(new LogGenerator.Options(linesPerPane, 1000 + d,
                    LogGenerator.Format.COMBINED, 0.0, Instant.parse("2024-03-31T00:00:00Z").plusSeconds(d)));
            while (generator.hasNext()) {
                if (parser.parse(generator.next().text()) instanceof ParseResult.Parsed parsed) {
                    stats.add(parsed.record());
                }
            }
            serialized.add(serializer.serialize(List.of((d + 1) * SLIDE_MILLIS, new Pane((d + 1) * SLIDE_MILLIS, stats, 0))));
            sample = stats;
        }
        System.out.printf(Locale.ROOT, "a pane: %,d clients, %,d endpoints, %,d status codes; %,d bytes as a Kryo tuple%n",
                sample.clients().size(), sample.endpoints().size(), sample.responseCodes().size(),
                serialized.get(serialized.size() - 1).length);

        long baseline = usedAfterGc();
        List<Pane> window = new ArrayList<>(panes);
        Bench.Table growth = new Bench.Table("panes held", "used heap after GC", "per pane");
        long max = Runtime.getRuntime().maxMemory();
        int measuredPanes = 0;
        long measuredUsed = baseline;
        boolean full = false;
        for (int i = 0; i < panes && !full; i++) {
            window.add((Pane) deserializer.deserialize(serialized.get(i % distinct)).get(1));
            if ((i + 1) % STEP == 0 || i + 1 == panes) {
                measuredUsed = usedAfterGc();
                measuredPanes = window.size();
                growth.row(Bench.count(measuredPanes), mb(measuredUsed), kb((measuredUsed - baseline) / measuredPanes));
                // Stop short of an OutOfMemoryError, which would leave no room to report.
                full = measuredUsed + (measuredUsed - baseline) / measuredPanes * STEP > max * 0.9;
            }
        }
        int held = window.size();
        boolean stoppedEarly = held < panes;
        long perPane = (measuredUsed - baseline) / measuredPanes;
        System.out.println();
        growth.print(System.out);
        System.out.println();

        String histogram = classHistogram(14);
        long mergeNanos = 0;
        if (!stoppedEarly) {
            mergeNanos = Long.MAX_VALUE;
            for (int run = 0; run < MERGE_RUNS; run++) {
                long start = System.nanoTime();
                WindowResult merged = WindowResult.merge(panes * SLIDE_MILLIS, panes * SLIDE_MILLIS, window);
                mergeNanos = Math.min(mergeNanos, System.nanoTime() - start);
                if (merged.stats().records() != (long) panes * linesPerPane) {
                    throw new IllegalStateException("merged window holds " + merged.stats().records() + " records");
                }
            }
        }

        long needed = baseline + perPane * panes;
        Bench.Table summary = new Bench.Table("figure", "value");
        summary.row("max heap (-Xmx)", mb(max));
        summary.row("heap before panes (JVM, Storm classes, sample data)", mb(baseline));
        summary.row("per pane (" + Bench.count(linesPerPane) + " lines)", kb(perPane));
        summary.row("panes held", Bench.count(held) + (stoppedEarly ? " (then the heap was 90 % full)" : ""));
        summary.row(Bench.count(panes) + " panes" + (stoppedEarly ? " (extrapolated)" : ""), mb(perPane * panes));
        summary.row("heap needed for the window", mb(needed));
        summary.row("fits " + mb(max) + "?", needed <= max ? "yes, " + mb(max - needed) + " to spare"
                : "NO, short by " + mb(needed - max) + " (" + String.format(Locale.ROOT, "%.1f×", needed / (double) max) + ")");
        if (mergeNanos > 0) {
            summary.row("merge of the " + Bench.count(panes) + "-pane window (every slide; best of " + MERGE_RUNS + ")",
                    Bench.millis(mergeNanos));
        }
        summary.print(System.out);
        System.out.println();
        System.out.println("class histogram with " + Bench.count(held) + " panes held (jcmd GC.class_histogram):");
        System.out.println(histogram);
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

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%,.0f MB", bytes / 1048576.0);
    }

    private static String kb(long bytes) {
        return String.format(Locale.ROOT, "%,.0f KB", bytes / 1024.0);
    }
}
