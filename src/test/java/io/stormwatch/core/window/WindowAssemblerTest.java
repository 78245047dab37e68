package io.stormwatch.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.job.BlockCounter;
import io.stormwatch.testing.EventJob;
import io.stormwatch.testing.WindowOracle;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The event-time window engine — {@link BlockSplitter} cutting blocks by pane in parse tasks, the
 * {@link Sequencer} restoring each spout task's order, the {@link WindowAssembler} deciding lateness and
 * sliding windows — against {@link WindowOracle}, the line-by-line definition: for any input, any block
 * boundaries, any number of parse tasks, any delivery order and replays (whole or line by line), the
 * windows and late counts are exactly the definition's.
 */
class WindowAssemblerTest {

    private static final long T0 = 1_700_000_000_000L;

    /** What the listener saw, in order. */
    private static final class Collected implements WindowAssembler.Listener {
        final List<WindowOracle.Window> windows = new ArrayList<>();
        long lateLines;
        final Map<Long, Long> lateReportedIn = new TreeMap<>();

        @Override
        public void window(long start, long end, Tally tally, long late) {
            windows.add(new WindowOracle.Window(start, end, tally.copy(), late));
        }

        @Override
        public void late(String source, long[] offsets, long[] times, long reportedIn) {
            lateLines += offsets.length;
            lateReportedIn.merge(reportedIn, (long) offsets.length, Long::sum);
        }
    }

    @Test
    void theClassCommentsWorkedExample() {
        WindowSpec spec = new WindowSpec(20_000, 10_000, 5_000);
        Collected out = new Collected();
        WindowAssembler assembler = new WindowAssembler(spec, EventJob.SCHEMA, out, Long.MAX_VALUE, 0);
        BlockCounter<EventJob.Event> counter = new BlockCounter<>(new EventJob(), spec, 1000);
        long[][] blocks = {{12, 19}, {31}, {14, 28}, {36}};
        long offset = 0;
        for (int seq = 0; seq < blocks.length; seq++) {
            String[] lines = new String[blocks[seq].length];
            long[] offsets = new long[lines.length];
            for (int i = 0; i < lines.length; i++) {
                lines[i] = EventJob.line(blocks[seq][i] * 1000, "k");
                offsets[i] = offset++;
            }
            assembler.accept(counter.count(0, BlockPosition.whole(1, seq), "s", lines, offsets, offset).panes(), 0);
            if (seq == 1) {
                assertThat(out.windows).extracting(WindowOracle.Window::end).containsExactly(20_000L);
            }
        }
        assertThat(out.windows).extracting(WindowOracle.Window::end).containsExactly(20_000L, 30_000L);
        assembler.finishAll();

        assertThat(out.windows).extracting(WindowOracle.Window::start, WindowOracle.Window::end,
                w -> w.tally().records(), WindowOracle.Window::late)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0L, 20_000L, 2L, 0L),
                        org.assertj.core.groups.Tuple.tuple(10_000L, 30_000L, 3L, 1L),
                        org.assertj.core.groups.Tuple.tuple(20_000L, 40_000L, 3L, 1L),
                        org.assertj.core.groups.Tuple.tuple(30_000L, 50_000L, 2L, 0L));
        assertThat(out.windows.get(1).tally().cell(EventJob.FIRST)).isEqualTo(12_000);
        assertThat(out.windows.get(3).tally().cell(EventJob.FIRST)).as("min recomputed after 28 s left").isEqualTo(31_000);
        assertThat(out.lateReportedIn).containsExactly(Map.entry(30_000L, 1L));
    }

    @Test
    void aMonthLongGapCostsNothingAndEmitsNoEmptyWindows() {
        WindowSpec spec = new WindowSpec(30_000, 10_000, 5_000);
        Collected out = new Collected();
        WindowAssembler assembler = new WindowAssembler(spec, EventJob.SCHEMA, out, Long.MAX_VALUE, 0);
        BlockCounter<EventJob.Event> counter = new BlockCounter<>(new EventJob(), spec, 1000);
        long month = 30L * 86_400_000;
        assembler.accept(counter.count(0, BlockPosition.whole(1, 0), "s",
                new String[] {EventJob.line(T0, "a"), EventJob.line(T0 + month, "b")}, new long[] {0, 1}, 2).panes(), 0);
        assembler.finishAll();

        assertThat(out.windows).hasSize(6).extracting(w -> w.tally().records()).containsOnly(1L);
    }

    /** A channel's lines: time moves on by up to 3 s, now and then runs back up to 15 s; a few junk lines. */
    /** The records of {@code lines} (the rejected ones left out). */
    static List<EventJob.Event> records(EventJob job, List<String> lines) {
        List<EventJob.Event> events = new ArrayList<>();
        for (String line : lines) {
            EventJob.Event event = job.newExtractor().extract(line, (reason, detail) -> {});
            if (event != null) {
                events.add(event);
            }
        }
        return events;
    }

    static List<String> lines(Random random, int count) {
        List<String> lines = new ArrayList<>();
        long time = T0 + random.nextInt(10_000);
        for (int i = 0; i < count; i++) {
            if (random.nextInt(20) == 0) {
                lines.add("junk");
                continue;
            }
            time += random.nextInt(3_000);
            long t = random.nextInt(10) == 0 ? time - random.nextInt(15_000) : time;
            lines.add(EventJob.line(t, "k" + random.nextInt(7)));
        }
        return lines;
    }

    private record Delivery(int channel, BlockPosition position, String[] lines, long[] offsets, long next) {}

    @Property(tries = 300)
    void windowsFollowTheDefinitionWhateverTheBlocksParseTasksAndDeliveryOrder(
            @ForAll("seeds") long seed,
            @ForAll @IntRange(min = 1, max = 3) int channels,
            @ForAll @IntRange(min = 1, max = 4) int parseTasks) {
        Random random = new Random(seed);
        long slide = new long[] {1_000, 2_000, 5_000}[random.nextInt(3)];
        long length = slide * new int[] {1, 2, 3, 6}[random.nextInt(4)];
        long lag = new long[] {0, 500, 2_000, 5_000}[random.nextInt(4)];
        WindowSpec spec = new WindowSpec(length, slide, lag);
        EventJob job = new EventJob();

        List<List<EventJob.Event>> records = new ArrayList<>();
        List<Delivery> blocks = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            List<String> lines = lines(random, 1 + random.nextInt(400));
            records.add(records(job, lines));
            int seq = 0;
            for (int from = 0; from < lines.size(); ) {
                int to = Math.min(lines.size(), from + 1 + random.nextInt(random.nextBoolean() ? 3 : 60));
                long[] offsets = new long[to - from];
                for (int i = 0; i < offsets.length; i++) {
                    offsets[i] = from + i;
                }
                blocks.add(new Delivery(100 + c, BlockPosition.whole(7, seq++), lines.subList(from, to).toArray(new String[0]),
                        offsets, to));
                from = to;
            }
        }
        // Parse tasks: each block goes to one, each delivers in its own order; a few blocks come twice (replays).
        List<List<Delivery>> queues = new ArrayList<>();
        for (int p = 0; p < parseTasks; p++) {
            queues.add(new ArrayList<>());
        }
        for (Delivery block : blocks) {
            queues.get(random.nextInt(parseTasks)).add(block);
            if (random.nextInt(25) == 0) {
                queues.get(random.nextInt(parseTasks)).add(block);
            }
            if (random.nextInt(25) == 0) {
                // Emitted again line by line after a failure: parts of the same position.
                int parts = block.lines().length;
                for (int i = 0; i < parts; i++) {
                    long end = i + 1 < parts ? block.offsets()[i + 1] : block.next();
                    queues.get(random.nextInt(parseTasks)).add(new Delivery(block.channel(), block.position().part(i, parts),
                            new String[] {block.lines()[i]}, new long[] {block.offsets()[i]}, end));
                }
            }
        }
        List<BlockCounter<EventJob.Event>> counters = new ArrayList<>();
        for (int p = 0; p < parseTasks; p++) {
            counters.add(new BlockCounter<>(job, spec, 1000));
        }
        Collected out = new Collected();
        WindowAssembler assembler = new WindowAssembler(spec, EventJob.SCHEMA, out, Long.MAX_VALUE, 0);
        List<Integer> expected = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            expected.add(100 + c);
        }
        assembler.expect(expected);
        Sequencer<BlockPanes> sequencer = new Sequencer<>(1_000_000);
        int[] next = new int[parseTasks];
        List<Integer> live = new ArrayList<>();
        for (int p = 0; p < parseTasks; p++) {
            if (!queues.get(p).isEmpty()) {
                live.add(p);
            }
        }
        while (!live.isEmpty()) {
            int pick = live.get(random.nextInt(live.size()));
            Delivery d = queues.get(pick).get(next[pick]++);
            if (next[pick] == queues.get(pick).size()) {
                live.remove(Integer.valueOf(pick));
            }
            BlockPanes panes = counters.get(pick).count(d.channel(), d.position(), "source-" + d.channel(), d.lines(),
                    d.offsets(), d.next()).panes();
            for (BlockPanes due : sequencer.offer(d.channel(), d.position(), panes)) {
                assembler.accept(due, 0);
            }
        }
        sequencer.drain().forEach(due -> assembler.accept(due, 0));
        assembler.finishAll();

        WindowOracle.Result oracle = WindowOracle.eventTime(records, EventJob.SCHEMA, EventJob::add,
                EventJob.Event::time, length, slide, lag);
        assertThat(out.windows).extracting(WindowOracle.Window::end).isSorted()
                .containsExactlyElementsOf(oracle.windows().keySet());
        for (WindowOracle.Window window : out.windows) {
            assertThat(window).as("window ending %d", window.end()).isEqualTo(oracle.windows().get(window.end()));
        }
        assertThat(out.lateLines).isEqualTo(oracle.lateLines());
        assertThat(assembler.lateLines()).isEqualTo(oracle.lateLines());
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() {
        return net.jqwik.api.Arbitraries.longs();
    }

    @Test
    void processingTimeTakesEveryLineOfABlockIntoThePaneOfItsArrival() {
        WindowSpec spec = new WindowSpec(2_000, 1_000, 0);
        Collected out = new Collected();
        WindowAssembler assembler = new WindowAssembler(spec, EventJob.SCHEMA, out, Long.MAX_VALUE, 0);
        BlockCounter<EventJob.Event> counter = new BlockCounter<>(new EventJob(), spec, 1000);
        // Event times far apart and one junk line: in processing time all four count where they arrive.
        BlockPanes block = counter.count(0, BlockPosition.whole(1, 0), "s", new String[] {
                EventJob.line(T0, "a"), EventJob.line(T0 - 100_000, "b"), "junk", EventJob.line(T0 + 500_000, "c")},
                new long[] {0, 1, 2, 3}, 4).panes();
        assembler.acceptAt(block, 10_500);
        assembler.advanceClock(11_000);
        assertThat(out.windows).extracting(WindowOracle.Window::end).containsExactly(11_000L);
        assertThat(out.windows.get(0).tally().records()).isEqualTo(3);
        assertThat(out.windows.get(0).tally().rejected()).isEqualTo(1);
        assembler.advanceClock(20_000);
        assertThat(out.windows).extracting(WindowOracle.Window::end).containsExactly(11_000L, 12_000L);
        assertThat(assembler.lateLines()).isZero();
    }

    @Test
    void aChannelThatGoesQuietStopsHoldingTheWatermarkAndComesBackLate() {
        WindowSpec spec = new WindowSpec(10_000, 10_000, 0);
        Collected out = new Collected();
        WindowAssembler assembler = new WindowAssembler(spec, EventJob.SCHEMA, out, 5_000, 0);
        BlockCounter<EventJob.Event> counter = new BlockCounter<>(new EventJob(), spec, 1000);
        assembler.expect(List.of(1, 2));
        assembler.accept(counter.count(1, BlockPosition.whole(1, 0), "a", new String[] {EventJob.line(15_000, "x")},
                new long[] {0}, 1).panes(), 1_000);
        assembler.accept(counter.count(2, BlockPosition.whole(1, 0), "b", new String[] {EventJob.line(5_000, "y")},
                new long[] {0}, 1).panes(), 1_000);
        assembler.accept(counter.count(1, BlockPosition.whole(1, 1), "a", new String[] {EventJob.line(45_000, "x")},
                new long[] {1}, 2).panes(), 6_000);
        assertThat(out.windows).as("channel 2 holds the watermark at 5 s").isEmpty();
        assembler.tick(8_000);
        assertThat(out.windows).as("channel 2 quiet for 7 s: the watermark follows channel 1")
                .extracting(WindowOracle.Window::end).containsExactly(10_000L, 20_000L);
        assembler.accept(counter.count(2, BlockPosition.whole(1, 1), "b", new String[] {EventJob.line(25_000, "y")},
                new long[] {1}, 2).panes(), 9_000);
        assertThat(assembler.lateLines()).as("its pane had closed while it was quiet").isEqualTo(1);
        assertThat(out.lateReportedIn).containsExactly(Map.entry(50_000L, 1L));
    }

    @Test
    void channelsASpoutNamesReleaseTheSpoutTasksExpectedAtTheStart() {
        WindowSpec spec = new WindowSpec(10_000, 10_000, 0);
        Collected out = new Collected();
        WindowAssembler assembler = new WindowAssembler(spec, EventJob.SCHEMA, out, 30_000, 0);
        BlockCounter<EventJob.Event> counter = new BlockCounter<>(new EventJob(), spec, 1000);
        assembler.expect(List.of(7, 8)); // two spout tasks, reading partitions -1 and -2
        assembler.accept(counter.count(-1, BlockPosition.whole(1, 0), "kafka:t/0", new String[] {EventJob.line(5_000, "x")},
                new long[] {0}, 1).panes(), 1_000);
        assembler.accept(counter.count(-2, BlockPosition.whole(1, 0), "kafka:t/1", new String[] {EventJob.line(25_000, "y")},
                new long[] {0}, 1).panes(), 1_000);
        assembler.accept(counter.count(-1, BlockPosition.whole(1, 1), "kafka:t/0", new String[] {EventJob.line(35_000, "x")},
                new long[] {1}, 2).panes(), 1_000);

        assertThat(out.windows).as("the partitions' watermarks (35 s, 25 s) close windows at once, not after 30 s")
                .extracting(WindowOracle.Window::end).containsExactly(10_000L);
        assertThat(assembler.lateLines()).isZero();
    }

    @Test
    void loadedBackAfterACrashItWaitsNeitherForTheSpoutTasksNorForTheIdleTimeout() {
        WindowSpec spec = new WindowSpec(10_000, 10_000, 0);
        BlockCounter<EventJob.Event> counter = new BlockCounter<>(new EventJob(), spec, 1000);
        WindowAssembler before = new WindowAssembler(spec, EventJob.SCHEMA, new Collected(), 30_000, 0);
        before.expect(List.of(7));
        before.accept(counter.count(-1, BlockPosition.whole(1, 0), "kafka:t/0", new String[] {EventJob.line(5_000, "x")},
                new long[] {0}, 1).panes(), 1_000);
        Map<String, Object> state = new java.util.HashMap<>();
        before.checkpoint(state, new ArrayList<>());

        // The worker restarts: a new bolt expects its spout task, then loads the state.
        Collected out = new Collected();
        WindowAssembler after = new WindowAssembler(spec, EventJob.SCHEMA, out, 30_000, 50_000);
        after.expect(List.of(7));
        after.load(state, 50_000);
        after.expect(List.of(7));
        after.accept(counter.count(-1, BlockPosition.whole(2, 0), "kafka:t/0", new String[] {EventJob.line(15_000, "x")},
                new long[] {1}, 2).panes(), 50_000);

        assertThat(out.windows).as("the window of the line before the crash closes at once")
                .extracting(WindowOracle.Window::end, w -> w.tally().records()).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(10_000L, 1L));
    }
}
