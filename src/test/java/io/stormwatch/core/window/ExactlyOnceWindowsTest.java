package io.stormwatch.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.job.BlockCounter;
import io.stormwatch.testing.EventJob;
import io.stormwatch.testing.WindowOracle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link ExactlyOnceWindows} under the failures of a Storm topology, modelled: blocks delivered in any order,
 * some twice; checkpoints that write the engine's changes to a state and acknowledge the blocks done since the
 * previous one; rollbacks and crashes that go back to the last checkpoint, after which every block not
 * acknowledged comes again, line by line (as a spout replays a failed block); spout tasks restarted alone (a
 * killed worker) while the engine goes on, which lose some of what they had in flight and read their lines
 * again from the first one not acknowledged, in a new epoch; a sink that keeps only the first
 * copy of a window. The windows written must be exactly the line-by-line definition's ({@link WindowOracle}).
 */
class ExactlyOnceWindowsTest {

    private static final long T0 = 1_700_000_000_000L;

    /** A delivery: a block, or a single-line part of one, of a channel. */
    private record Delivery(int id, int channel, BlockPosition position, String[] lines, long[] offsets, long next) {}

    /** The windows a sink wrote: the first copy of each, in end order. */
    private static final class Sink implements WindowAssembler.Listener {
        final List<WindowOracle.Window> written = new ArrayList<>();
        long lastEnd = Long.MIN_VALUE;

        @Override
        public void window(long start, long end, Tally tally, long late) {
            if (end > lastEnd) {
                written.add(new WindowOracle.Window(start, end, tally.copy(), late));
                lastEnd = end;
            }
        }

        @Override
        public void late(String source, long[] offsets, long[] times, long reportedIn) {}
    }

    /** The Storm side: what is in flight, what was done since the last checkpoint, the committed state. */
    private static final class Topology implements ExactlyOnceWindows.Handles<Delivery> {
        final List<Delivery> inFlight = new ArrayList<>();
        final Set<Delivery> doneSinceCheckpoint = new HashSet<>();
        final Set<Delivery> acked = new HashSet<>();
        final List<Delivery> refused = new ArrayList<>();
        final Map<String, Object> committed = new HashMap<>();
        /** Deliveries failed: a tuple tree fails once, and an ack of it (of a copy delivered twice) goes nowhere. */
        final Set<Delivery> failed = new HashSet<>();
        /** Each channel's running spout task's epoch: only its acks reach it (those of a past run go nowhere). */
        final Map<Integer, Long> spoutEpochs = new HashMap<>();

        @Override
        public void done(Delivery handle) {
            doneSinceCheckpoint.add(handle);
        }

        @Override
        public void refused(Delivery handle) {
            refused.add(handle);
            failed.add(handle);
        }
    }

    @Property(tries = 200)
    void windowsAreExactlyTheDefinitionsThroughCheckpointsRollbacksCrashesAndReplays(
            @ForAll("seeds") long seed,
            @ForAll @IntRange(min = 1, max = 3) int channels) {
        Random random = new Random(seed);
        long slide = new long[] {1_000, 2_000, 5_000}[random.nextInt(3)];
        WindowSpec spec = new WindowSpec(slide * new int[] {1, 2, 3, 6}[random.nextInt(4)], slide,
                new long[] {0, 500, 2_000, 5_000}[random.nextInt(4)]);
        EventJob job = new EventJob();
        BlockCounter<EventJob.Event> counter = new BlockCounter<>(job, spec, 1000);

        List<List<EventJob.Event>> records = new ArrayList<>();
        List<List<String>> channelLines = new ArrayList<>();
        Topology storm = new Topology();
        int[] ids = {0};
        for (int c = 0; c < channels; c++) {
            List<String> lines = WindowAssemblerTest.lines(random, 1 + random.nextInt(300));
            records.add(WindowAssemblerTest.records(job, lines));
            channelLines.add(lines);
            storm.inFlight.addAll(cut(storm, random, 100 + c, 7, lines, 0, ids));
        }
        int[] epochs = new int[channels];

        Sink sink = new Sink();
        ExactlyOnceWindows<Delivery> engine = newEngine(spec, sink, storm, channels);
        int crashes = 0;
        int spoutRestarts = 0;
        // The epoch of each channel's last block the engine took since it last went back to a checkpoint.
        Map<Integer, Long> engineEpochs = new HashMap<>();
        while (!storm.inFlight.isEmpty()) {
            Delivery d = storm.inFlight.remove(random.nextInt(storm.inFlight.size()));
            if (random.nextInt(30) == 0) {
                storm.inFlight.add(d); // delivered twice
            }
            engineEpochs.put(d.channel(), d.position().epoch());
            engine.offer(counter.count(d.channel(), d.position(), "source-" + d.channel(), d.lines(), d.offsets(), d.next())
                    .panes(), d, 0);
            storm.refused.forEach(r -> storm.inFlight.addAll(parts(r, ids)));
            storm.refused.clear();
            int dice = random.nextInt(100);
            if (dice < 10) {
                checkpoint(engine, storm);
            } else if (dice >= 97 && spoutRestarts < 3
                    && storm.spoutEpochs.get(d.channel()).equals(engineEpochs.get(d.channel()))) {
                // A spout task restarted alone (its worker killed) while the engine goes on: of what the task had in
                // flight some is lost and some still arrives, and its new epoch reads its lines again from the first
                // one not acked — what was waiting behind a lost block included. (Once the engine knows the task's
                // run: epochs are told apart, not ordered — see Sequencer.)
                spoutRestarts++;
                int channel = d.channel();
                int restarted = channel - 100;
                storm.inFlight.removeIf(lost -> lost.channel() == channel && random.nextBoolean());
                storm.inFlight.addAll(cut(storm, random, channel, 8 + epochs[restarted]++, channelLines.get(restarted),
                        firstNotAcked(storm, channel), ids));
            } else if (dice < 13 && crashes++ < 5) {
                // A rollback (the same engine) or a crash (a new one): back to the last checkpoint; every block not
                // acknowledged by it comes again, line by line.
                if (random.nextBoolean()) {
                    // A crash: what the old engine held is gone with it (its blocks waiting behind gaps too).
                    List<Delivery> waiting = engine.load(storm.committed, 0);
                    storm.inFlight.addAll(waiting);
                    engine = newEngine(spec, sink, storm, channels);
                }
                engineEpochs.clear();
                List<Delivery> replay = new ArrayList<>(engine.load(storm.committed, 0));
                replay.addAll(storm.doneSinceCheckpoint);
                replay.addAll(storm.inFlight);
                // Only running spout tasks replay: a past run's blocks are gone with it (its lines are read again).
                replay.removeIf(r -> r.position().epoch() != storm.spoutEpochs.get(r.channel()));
                storm.doneSinceCheckpoint.clear();
                storm.inFlight.clear();
                // A spout task restarted too (a new epoch): it forgets what it had sent, and reads its lines again
                // from the first one not acked, cut into other blocks — some partly in the windows already.
                int restarted = random.nextInt(3) == 0 ? random.nextInt(channels) : -1;
                if (restarted >= 0) {
                    int channel = 100 + restarted;
                    replay.removeIf(r -> r.channel() == channel);
                    storm.inFlight.addAll(cut(storm, random, channel, 8 + epochs[restarted]++, channelLines.get(restarted),
                            firstNotAcked(storm, channel), ids));
                }
                // Everything not acked: what was done since the checkpoint, what waited, what was in flight.
                for (Delivery sent : allSent(storm, replay)) {
                    storm.inFlight.addAll(sent.lines().length > 1 ? parts(sent, ids) : List.of(sent));
                }
            }
        }
        engine.finishAll(0);

        WindowOracle.Result oracle = WindowOracle.eventTime(records, EventJob.SCHEMA, EventJob::add,
                EventJob.Event::time, spec.lengthMillis(), spec.slideMillis(), spec.lagMillis());
        assertThat(sink.written).extracting(WindowOracle.Window::end).containsExactlyElementsOf(oracle.windows().keySet());
        for (WindowOracle.Window window : sink.written) {
            assertThat(window).as("window ending %d", window.end()).isEqualTo(oracle.windows().get(window.end()));
        }
    }

    @Test
    void aCheckpointWritesOnlyWhatChangedAndForgetsPanesThatLeftTheWindow() {
        WindowSpec spec = new WindowSpec(20_000, 10_000, 0);
        Topology storm = new Topology();
        ExactlyOnceWindows<Delivery> engine = newEngine(spec, new Sink(), storm, 1);
        BlockCounter<EventJob.Event> counter = new BlockCounter<>(new EventJob(), spec, 1000);
        long[] times = {1_000, 2_000, 15_000, 25_000, 45_000};
        for (int i = 0; i < times.length; i++) {
            engine.offer(counter.count(100, BlockPosition.whole(1, i), "s", new String[] {EventJob.line(T0 + times[i], "k")},
                    new long[] {i}, i + 1).panes(), null, 0);
            Map<String, Object> puts = new HashMap<>();
            List<String> deletes = new ArrayList<>();
            engine.checkpoint(0, puts, deletes);
            long paneEnd = spec.paneEnd(T0 + times[i]);
            assertThat(puts).as("line %d", i).containsKeys("p:" + paneEnd, "o:s", "s:100")
                    .doesNotContainKey("p:" + (paneEnd - 20_000));
            if (i == 4) {
                assertThat(deletes).as("panes that left the window").isNotEmpty().allMatch(key -> key.startsWith("p:"));
            }
        }
        Map<String, Object> puts = new HashMap<>();
        engine.checkpoint(0, puts, new ArrayList<>());
        assertThat(puts).as("nothing changed").isEmpty();
    }

    @Test
    void aRetiredSourceIsForgottenAfterTheGracePeriod() {
        WindowSpec spec = new WindowSpec(10_000, 10_000, 0);
        Topology storm = new Topology();
        ExactlyOnceWindows<Delivery> engine = new ExactlyOnceWindows<>(true,
                new WindowAssembler(spec, EventJob.SCHEMA, new Sink(), Long.MAX_VALUE, 0), 1_000_000, 60_000, storm);
        engine.expect(List.of(100));
        BlockCounter<EventJob.Event> counter = new BlockCounter<>(new EventJob(), spec, 1000);
        java.util.function.IntFunction<BlockPanes> line = i -> counter.count(100, BlockPosition.whole(1, i), "done.log",
                new String[] {EventJob.line(T0 + i * 1_000L, "k")}, new long[] {i}, i + 1).panes();
        engine.offer(line.apply(0), null, 0);
        engine.offer(line.apply(1), null, 0);
        engine.checkpoint(0, new HashMap<>(), new ArrayList<>());

        engine.retire("done.log", 1_000);
        Map<String, Object> puts = new HashMap<>();
        List<String> deletes = new ArrayList<>();
        engine.checkpoint(1_000, puts, deletes);
        assertThat(puts).as("the retirement itself is kept, for a restart within the grace").containsKey("r:done.log");
        assertThat(deletes).isEmpty();
        assertThat(storm.refused).isEmpty();

        deletes.clear();
        engine.checkpoint(61_000, new HashMap<>(), deletes);
        assertThat(deletes).as("after the grace period").containsExactlyInAnyOrder("o:done.log", "r:done.log");
    }

    private static ExactlyOnceWindows<Delivery> newEngine(WindowSpec spec, Sink sink, Topology storm, int channels) {
        ExactlyOnceWindows<Delivery> engine = new ExactlyOnceWindows<>(true,
                new WindowAssembler(spec, EventJob.SCHEMA, sink, Long.MAX_VALUE, 0), 1_000_000, 0, storm);
        List<Integer> expected = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            expected.add(100 + c);
        }
        engine.expect(expected);
        return engine;
    }

    private static void checkpoint(ExactlyOnceWindows<Delivery> engine, Topology storm) {
        Map<String, Object> puts = new HashMap<>();
        List<String> deletes = new ArrayList<>();
        engine.checkpoint(0, puts, deletes);
        deletes.forEach(storm.committed::remove);
        storm.committed.putAll(puts);
        storm.doneSinceCheckpoint.stream()
                .filter(d -> d.position().epoch() == storm.spoutEpochs.get(d.channel()) && !storm.failed.contains(d))
                .forEach(storm.acked::add);
        storm.doneSinceCheckpoint.clear();
    }

    /**
     * A spout task's blocks of {@code lines} from line {@code from} on, cut at random, in epoch {@code epoch}: the
     * task's run from now on.
     */
    private static List<Delivery> cut(Topology storm, Random random, int channel, long epoch, List<String> lines, int from,
            int[] ids) {
        storm.spoutEpochs.put(channel, epoch);
        List<Delivery> blocks = new ArrayList<>();
        int seq = 0;
        while (from < lines.size()) {
            int to = Math.min(lines.size(), from + 1 + random.nextInt(random.nextBoolean() ? 3 : 40));
            long[] offsets = new long[to - from];
            for (int i = 0; i < offsets.length; i++) {
                offsets[i] = from + i;
            }
            blocks.add(new Delivery(ids[0]++, channel, BlockPosition.whole(epoch, seq++),
                    lines.subList(from, to).toArray(new String[0]), offsets, to));
            from = to;
        }
        return blocks;
    }

    /** The first line of {@code channel} not in an acknowledged delivery: where a Kafka spout resumes. */
    private static int firstNotAcked(Topology storm, int channel) {
        Set<Long> acked = new HashSet<>();
        for (Delivery d : storm.acked) {
            if (d.channel() == channel) {
                for (long offset = d.offsets()[0]; offset < d.next(); offset++) {
                    acked.add(offset);
                }
            }
        }
        int first = 0;
        while (acked.contains((long) first)) {
            first++;
        }
        return first;
    }

    /** Every delivery ever made that is not acknowledged, once each (whole blocks and parts alike). */
    private static List<Delivery> allSent(Topology storm, List<Delivery> notAcked) {
        List<Delivery> unique = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        for (Delivery d : notAcked) {
            if (!storm.acked.contains(d) && seen.add(d.id())) {
                unique.add(d);
            }
        }
        return unique;
    }

    /** A block emitted again line by line: parts of its position, as a spout replays a failed block. */
    private static List<Delivery> parts(Delivery block, int[] ids) {
        int n = block.lines().length;
        if (!block.position().isWhole()) {
            return List.of(block);
        }
        List<Delivery> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long end = i + 1 < n ? block.offsets()[i + 1] : block.next();
            parts.add(new Delivery(ids[0]++, block.channel(), block.position().part(i, n), new String[] {block.lines()[i]},
                    new long[] {block.offsets()[i]}, end));
        }
        return parts;
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<Long> seeds() {
        return net.jqwik.api.Arbitraries.longs();
    }
}
