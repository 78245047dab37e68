package io.stormwatch.bench;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.core.window.LateLines;
import io.stormwatch.core.window.PanePartial;
import io.stormwatch.core.window.WindowAssembler;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.testing.EventJob;
import java.util.List;
import java.util.Locale;
import org.apache.storm.windowing.WaterMarkEvent;
import org.apache.storm.windowing.WatermarkTimeEvictionPolicy;
import org.apache.storm.windowing.WatermarkTimeTriggerPolicy;
import org.apache.storm.windowing.WindowLifecycleListener;
import org.apache.storm.windowing.WindowManager;

/**
 * Why the window bolt is not Storm's {@code BaseWindowedBolt}: the cost of a backfill's windows in Storm's
 * own windowing engine ({@code WindowManager} with the event-time trigger and eviction policies that
 * {@code BaseWindowedBolt.withTimestampField} sets up), against ours ({@code WindowAssembler}), on the same
 * input — one summary per 10 s pane of a log that spans {@code days}, fed as a backfill feeds them, a
 * watermark after every {@code batch} panes (the old design: panes into a {@code BaseWindowedBolt} whose
 * watermark ran every 200 ms while thousands of panes arrived in between). No cluster: the engines alone, in
 * one thread. Windows 30 s sliding by 10 s.
 *
 * <pre>
 * bin/bench-topology storm-windowing [--days 1,3,10,30] [--batch 1000]
 * </pre>
 */
public final class StormWindowingCost {

    private static final long SLIDE = 10_000;
    private static final long LENGTH = 30_000;
    private static final long T0 = 1_711_843_200_000L;

    public static void main(String[] args) {
        String days = "1,3,10,30";
        int batch = 1_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--days" -> days = args[++i];
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "; usage: [--days 1,3,10,30] [--batch N]");
            }
        }
        System.out.printf(Locale.ROOT, "machine: %d cores, load average %.2f, heap %d MB max%n",
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "%6s %9s %9s %12s %12s %8s%n", "days", "panes", "windows", "storm ms", "ours ms", "ratio");
        for (String d : days.split(",")) {
            int day = Integer.parseInt(d.trim());
            long panes = day * 86_400_000L / SLIDE;
            storm(panes, batch); // warm-up of both, untimed
            ours(panes, batch);
            long[] storm = storm(panes, batch);
            long[] ours = ours(panes, batch);
            System.out.printf(Locale.ROOT, "%6d %9d %9d %12.0f %12.0f %8.0f%n", day, panes, storm[1],
                    storm[0] / 1e6, ours[0] / 1e6, (double) storm[0] / ours[0]);
            if (storm[1] != ours[1]) {
                System.out.println("  (windows differ: storm " + storm[1] + ", ours " + ours[1] + ")");
            }
        }
    }

    /** Nanoseconds and windows fired, Storm's engine. */
    private static long[] storm(long panes, int batch) {
        long[] windows = {0};
        WindowManager<Long> manager = new WindowManager<>(new WindowLifecycleListener<>() {
            @Override
            public void onExpiry(List<Long> events) {}

            @Override
            public void onActivation(List<Long> events, List<Long> newEvents, List<Long> expired, Long referenceTime) {
                windows[0]++;
            }
        });
        WatermarkTimeEvictionPolicy<Long> eviction = new WatermarkTimeEvictionPolicy<>((int) LENGTH, 0);
        WatermarkTimeTriggerPolicy<Long> trigger = new WatermarkTimeTriggerPolicy<>(SLIDE, manager, eviction, manager);
        manager.setEvictionPolicy(eviction);
        manager.setTriggerPolicy(trigger);
        trigger.start();
        long start = System.nanoTime();
        for (long p = 1; p <= panes; p++) {
            long end = T0 + p * SLIDE;
            manager.add(end, end);
            if (p % batch == 0 || p == panes) {
                manager.add(new WaterMarkEvent<>(p == panes ? end + LENGTH : end));
            }
        }
        return new long[] {System.nanoTime() - start, windows[0]};
    }

    /** Nanoseconds and windows emitted, ours: each pane a one-record block, closed by its own watermark. */
    private static long[] ours(long panes, int batch) {
        long[] windows = {0};
        WindowSpec spec = new WindowSpec(LENGTH, SLIDE, 0);
        WindowAssembler assembler = new WindowAssembler(spec, EventJob.SCHEMA, new WindowAssembler.Listener() {
            @Override
            public void window(long start, long end, Tally tally, long late) {
                windows[0]++;
            }

            @Override
            public void late(String source, long[] offsets, long[] times, long reportedIn) {}
        }, Long.MAX_VALUE, 0);
        long start = System.nanoTime();
        for (long p = 1; p <= panes; p++) {
            long end = T0 + p * SLIDE;
            Tally tally = EventJob.SCHEMA.newTally();
            EventJob.add(new EventJob.Event(end, "k"), tally);
            assembler.accept(new BlockPanes(0, BlockPosition.whole(0, p), "s", p, p + 1, SLIDE, 0, end,
                    new PanePartial[] {new PanePartial(end, tally, new long[] {p}, new long[] {end})},
                    EventJob.SCHEMA.newTally(), LateLines.NONE), 0);
        }
        assembler.finishAll();
        return new long[] {System.nanoTime() - start, windows[0]};
    }
}
