package io.stormwatch.core.totals;

import static io.stormwatch.core.agg.Tallies.INTS;
import static io.stormwatch.core.agg.Tallies.SCHEMA;
import static io.stormwatch.core.agg.Tallies.STRINGS;
import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.agg.Tallies;
import io.stormwatch.core.agg.Tallies.Event;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.totals.RunningTotals.Changes;
import io.stormwatch.core.totals.CountedRanges.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins down {@link RunningTotals}: each block range of a source is counted once ({@code COUNTED}, then
 * {@code REPEAT}; a block overlapping counted lines only in part is {@code PARTLY_COUNTED} and not counted);
 * a checkpoint writes exactly the keys that changed, with the totals' current values, plus the cells and the
 * changed sources' ranges — so its size follows the change, not the million keys already there; loading the
 * entries a sequence of checkpoints left in a key-value state rebuilds the live totals and ranges; a retired
 * source is remembered for its grace period and then deleted; keys that are not the totals' own are ignored.
 */
class RunningTotalsTest {

    private static final long GRACE = 1_000;

    /** One block {@code [offset, nextOffset)} of a source, counted with a tally of one record. */
    private record Block(String source, long offset, long nextOffset, Outcome expected) {}

    static Stream<Arguments> blockSequences() {
        return Stream.of(
                Arguments.of("a new block, then again",
                        List.of(new Block("a", 0, 100, Outcome.COUNTED), new Block("a", 0, 100, Outcome.REPEAT))),
                Arguments.of("a line inside a counted block is a repeat",
                        List.of(new Block("a", 0, 100, Outcome.COUNTED), new Block("a", 40, 60, Outcome.REPEAT))),
                Arguments.of("blocks cut elsewhere: partly counted",
                        List.of(new Block("a", 0, 100, Outcome.COUNTED), new Block("a", 50, 150, Outcome.PARTLY_COUNTED),
                                new Block("a", 100, 150, Outcome.COUNTED))),
                Arguments.of("a block over a gap and counted ranges on both sides",
                        List.of(new Block("a", 0, 100, Outcome.COUNTED), new Block("a", 200, 300, Outcome.COUNTED),
                                new Block("a", 50, 250, Outcome.PARTLY_COUNTED), new Block("a", 100, 200, Outcome.COUNTED),
                                new Block("a", 0, 300, Outcome.REPEAT))),
                Arguments.of("out of order, touching and with gaps",
                        List.of(new Block("a", 200, 300, Outcome.COUNTED), new Block("a", 0, 100, Outcome.COUNTED),
                                new Block("a", 300, 301, Outcome.COUNTED), new Block("a", 100, 200, Outcome.COUNTED),
                                new Block("a", 150, 160, Outcome.REPEAT))),
                Arguments.of("sources are separate",
                        List.of(new Block("a", 0, 100, Outcome.COUNTED), new Block("b", 0, 100, Outcome.COUNTED),
                                new Block("b", 0, 100, Outcome.REPEAT))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blockSequences")
    void countsEachBlockRangeOnce(String name, List<Block> blocks) {
        RunningTotals totals = new RunningTotals(SCHEMA, GRACE);
        long counted = 0;
        for (Block block : blocks) {
            Outcome outcome = totals.add(block.source(), block.offset(), block.nextOffset(), oneRecord("/" + block.offset()));

            assertThat(outcome).as("%s", block).isEqualTo(block.expected());
            counted += outcome == Outcome.COUNTED ? 1 : 0;
            assertThat(totals.totals().records()).isEqualTo(counted);
        }
    }

    @Test
    void aBlockIsCountedWithAllItsTallies() {
        RunningTotals totals = new RunningTotals(SCHEMA, GRACE);
        Tally pane1 = Tallies.tally(List.of(new Event(5, 200, "/a", null)));
        Tally pane2 = Tallies.tally(List.of(new Event(7, 404, "/a", null)));
        Tally rest = Tallies.tally(List.of(new Event(0, 0, null, "empty")));

        totals.add("a", 0, 30, pane1, pane2, rest);

        assertThat(totals.totals()).isEqualTo(pane1.copy().merge(pane2).merge(rest));
    }

    @Test
    void aCheckpointWritesTheChangedKeysWithTheirTotalsTheCellsAndTheChangedSourcesRanges() {
        RunningTotals totals = new RunningTotals(SCHEMA, GRACE);
        totals.add("old", 0, 10, Tallies.tally(List.of(new Event(1, 200, "/a", null), new Event(1, 200, "/c", null))));
        totals.checkpoint(0);

        totals.add("new", 0, 20, Tallies.tally(List.of(new Event(2, 404, "/a", null), new Event(3, 404, "/b", null))));
        totals.add("new", 20, 25, Tallies.tally(List.of(new Event(0, 0, null, "too-long"))));
        totals.add("old", 0, 10, Tallies.tally(List.of(new Event(1, 500, "/replayed", null)))); // a repeat: no change
        Changes changes = totals.checkpoint(0);

        OffsetSet newRanges = new OffsetSet();
        newRanges.add(0, 25);
        assertThat(changes.puts()).containsOnlyKeys("t", "t1:404", "t2:/a", "t2:/b", "t0:too-long", "o:new");
        assertThat(changes.puts()).containsEntry("t1:404", 2L).containsEntry("t2:/a", 2L).containsEntry("t2:/b", 1L)
                .containsEntry("t0:too-long", 1L).containsEntry("o:new", newRanges);
        assertThat((long[]) changes.puts().get("t")).containsExactly(totals.totals().cells());
        assertThat(changes.deletes()).isEmpty();
    }

    @Test
    void nothingChangedGivesAnEmptyCheckpoint() {
        RunningTotals totals = new RunningTotals(SCHEMA, GRACE);
        assertThat(totals.checkpoint(0).isEmpty()).isTrue();

        totals.add("a", 0, 10, oneRecord("/a"));
        assertThat(totals.checkpoint(0).isEmpty()).isFalse();

        totals.add("a", 0, 10, oneRecord("/a"));
        totals.add("a", 5, 15, oneRecord("/a"));
        assertThat(totals.checkpoint(0).isEmpty()).isTrue();
    }

    @Test
    void aCheckpointIsProportionalToTheChangeNotToTheKeysHeld() {
        int held = 1_000_000;
        RunningTotals totals = new RunningTotals(SCHEMA, GRACE);
        totals.load(millionKeys(held));
        assertThat(totals.totals().keyCount()).isEqualTo(held);
        assertThat(totals.checkpoint(0).isEmpty()).isTrue(); // loading changes nothing

        for (int block = 0; block < 10; block++) {
            Tally tally = SCHEMA.newTally();
            for (int k = 0; k < 5; k++) {
                int key = block * 5 + k;
                tally.countRecord();
                tally.count(STRINGS, key % 2 == 0 ? "/k" + key : "/new" + key); // even keys were loaded, odd ones are new
            }
            totals.add("s" + block % 3, block * 100L, block * 100L + 100, tally);
        }
        Changes changes = totals.checkpoint(0);

        assertThat(changes.puts()).hasSize(50 + 1 + 3).containsOnlyKeys(expectedKeys());
        assertThat(changes.puts()).containsEntry("t2:/k0", 1L + 7).containsEntry("t2:/k48", 1L + 15)
                .containsEntry("t2:/new1", 1L);
        assertThat((long[]) changes.puts().get("t")).containsExactly(totals.totals().cells());
        assertThat(totals.totals().records()).isEqualTo(held + 50);
        assertThat(changes.deletes()).isEmpty();
    }

    /** The cells, the 50 keys touched and the 3 sources' ranges. */
    private static List<String> expectedKeys() {
        List<String> keys = new ArrayList<>(List.of("t", "o:s0", "o:s1", "o:s2"));
        for (int key = 0; key < 50; key++) {
            keys.add(key % 2 == 0 ? "t2:/k" + key : "t2:/new" + key);
        }
        return keys;
    }

    /** Entries of a state of {@code n} endpoint keys {@code /k<i>} counted {@code i % 10 + 7} times, and cells of {@code n} records; streamed. */
    private static Iterator<Map.Entry<String, Object>> millionKeys(int n) {
        return new Iterator<>() {
            int i = -1;

            @Override
            public boolean hasNext() {
                return i < n;
            }

            @Override
            public Map.Entry<String, Object> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                i++;
                if (i == n) {
                    return Map.entry("t", new long[] {n, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
                }
                return Map.entry("t2:/k" + i, (Object) (long) (i % 10 + 7));
            }
        };
    }

    @Test
    void aRetiredSourceIsRememberedForItsGracePeriodThenDeleted() {
        RunningTotals totals = new RunningTotals(SCHEMA, GRACE);
        totals.add("done.log", 0, 100, oneRecord("/a"));
        totals.add("open.log", 0, 100, oneRecord("/a"));
        totals.checkpoint(0);

        totals.retire("done.log", 5_000);
        Changes beforeGrace = totals.checkpoint(5_999);

        assertThat(beforeGrace.deletes()).isEmpty();
        assertThat(beforeGrace.puts()).as("the retirement is kept, for a restart within the grace period")
                .containsEntry("r:done.log", 5_000L);
        assertThat(totals.add("done.log", 0, 100, oneRecord("/a"))).isEqualTo(Outcome.REPEAT);
        assertThat(totals.sourceCount()).isEqualTo(2);

        totals.add("done.log", 100, 200, oneRecord("/b")); // still counted while retiring
        Changes atGrace = totals.checkpoint(6_000);

        assertThat(atGrace.deletes()).containsExactly("o:done.log", "r:done.log");
        assertThat(atGrace.puts()).doesNotContainKey("o:done.log").containsKey("t2:/b");
        assertThat(totals.sourceCount()).isEqualTo(1);
        assertThat(totals.checkpoint(7_000).isEmpty()).isTrue();
        // the ranges are forgotten: a replay now would count again, which is why there is a grace period
        assertThat(totals.add("done.log", 0, 100, oneRecord("/a"))).isEqualTo(Outcome.COUNTED);
        assertThat(totals.add("open.log", 0, 100, oneRecord("/a"))).isEqualTo(Outcome.REPEAT);
    }

    @Test
    void retiringASourceNeverCountedOrRetiringTwiceChangesNothing() {
        RunningTotals totals = new RunningTotals(SCHEMA, GRACE);
        totals.add("a", 0, 100, oneRecord("/a"));
        totals.checkpoint(0);

        totals.retire("unknown", 0);
        totals.retire("a", 0);
        totals.retire("a", 900); // the first retirement's clock counts

        assertThat(totals.checkpoint(999).puts()).containsOnlyKeys("r:a");
        assertThat(totals.checkpoint(1_000).deletes()).containsExactly("o:a", "r:a");
    }

    @Test
    void aRestartWithinTheGracePeriodStillForgetsTheSourceWhenItEnds() {
        RunningTotals before = new RunningTotals(SCHEMA, GRACE);
        before.add("done.log", 0, 100, oneRecord("/a"));
        before.retire("done.log", 5_000);
        Map<String, Object> state = new HashMap<>();
        apply(before.checkpoint(5_500), state);

        RunningTotals after = new RunningTotals(SCHEMA, GRACE);
        after.load(state.entrySet().iterator());
        assertThat(after.add("done.log", 0, 100, oneRecord("/a"))).isEqualTo(Outcome.REPEAT);
        apply(after.checkpoint(6_000), state);

        assertThat(state).doesNotContainKeys("o:done.log", "r:done.log");
        assertThat(after.sourceCount()).isZero();
    }

    static Stream<Arguments> foreignKeys() {
        return Stream.of("progress", "", "x:1", "tally", "total", "T1:a", "tx:1", "t1", "t2023-report", "t1x:2",
                "t9:x", "offsets", "o").map(Arguments::of);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @MethodSource("foreignKeys")
    void loadIgnoresKeysThatAreNotTheTotals(String foreignKey) {
        RunningTotals live = new RunningTotals(SCHEMA, GRACE);
        live.add("a", 0, 100, Tallies.tally(List.of(new Event(1, 200, "/a", null), new Event(0, 0, null, "empty"))));
        Map<String, Object> state = new HashMap<>();
        apply(live.checkpoint(0), state);
        state.put(foreignKey, "not ours");

        RunningTotals loaded = new RunningTotals(SCHEMA, GRACE);
        loaded.load(state.entrySet().iterator());

        assertThat(loaded.totals()).isEqualTo(live.totals());
        assertThat(loaded.add("a", 0, 100, oneRecord("/a"))).isEqualTo(Outcome.REPEAT);
    }

    @Test
    void loadReplacesEverythingAndLeavesNothingChanged() {
        RunningTotals live = new RunningTotals(SCHEMA, GRACE);
        live.add("a", 0, 100, oneRecord("/a"));
        Map<String, Object> state = new HashMap<>();
        apply(live.checkpoint(0), state);
        live.add("b", 0, 100, oneRecord("/b"));

        live.load(state.entrySet().iterator());

        assertThat(live.totals()).isEqualTo(oneRecord("/a"));
        assertThat(live.sourceCount()).isEqualTo(1);
        assertThat(live.checkpoint(0).isEmpty()).isTrue();
        assertThat(live.add("b", 0, 100, oneRecord("/b"))).isEqualTo(Outcome.COUNTED);
    }

    // ---- checkpoints rebuild the live totals ----

    sealed interface Op permits AddBlock, Checkpoint, Retire {}

    /** A block of source {@code s<source>} at {@code [offset, offset + length)}. */
    record AddBlock(int source, long offset, long length, Tally tally) implements Op {}

    /** A checkpoint {@code advance} ms after the previous operation. */
    record Checkpoint(long advance) implements Op {}

    record Retire(int source) implements Op {}

    @Property(tries = 300)
    void loadingTheEntriesOfTheCheckpointsRebuildsTheLiveTotals(@ForAll("ops") List<Op> ops) {
        RunningTotals live = new RunningTotals(SCHEMA, GRACE);
        Map<String, Object> state = new HashMap<>();
        List<AddBlock> added = new ArrayList<>();
        long now = 0;
        List<Op> withFinalCheckpoint = new ArrayList<>(ops);
        withFinalCheckpoint.add(new Checkpoint(0));
        for (Op op : withFinalCheckpoint) {
            if (op instanceof AddBlock block) {
                live.add("s" + block.source(), block.offset(), block.offset() + block.length(), block.tally());
                added.add(block);
            } else if (op instanceof Retire retire) {
                live.retire("s" + retire.source(), now);
            } else {
                now += ((Checkpoint) op).advance();
                apply(live.checkpoint(now), state);

                RunningTotals loaded = new RunningTotals(SCHEMA, GRACE);
                loaded.load(state.entrySet().iterator());
                assertThat(loaded.totals()).isEqualTo(live.totals());
                assertThat(loaded.sourceCount()).isEqualTo(live.sourceCount());
            }
        }
        // The counted ranges came back too: every block ever added meets the same fate in both.
        RunningTotals loaded = new RunningTotals(SCHEMA, GRACE);
        loaded.load(state.entrySet().iterator());
        for (AddBlock block : added) {
            String source = "s" + block.source();
            long next = block.offset() + block.length();
            assertThat(loaded.add(source, block.offset(), next, block.tally()))
                    .isEqualTo(live.add(source, block.offset(), next, block.tally()));
        }
        assertThat(loaded.totals()).isEqualTo(live.totals());
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> add = Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.longs().between(0, 40).map(o -> o * 10),
                        Arbitraries.of(5L, 10L, 20L, 30L), Tallies.countedTallies())
                .as(AddBlock::new);
        Arbitrary<Op> checkpoint = Arbitraries.of(0L, 10L, 500L, 1_000L).map(Checkpoint::new);
        Arbitrary<Op> retire = Arbitraries.integers().between(0, 4).map(Retire::new);
        return Arbitraries.frequencyOf(Tuple.of(6, add), Tuple.of(2, checkpoint), Tuple.of(1, retire)).list().ofMaxSize(40);
    }

    private static void apply(Changes changes, Map<String, Object> state) {
        state.putAll(changes.puts());
        changes.deletes().forEach(state::remove);
    }

    private static Tally oneRecord(String endpoint) {
        Tally tally = SCHEMA.newTally();
        tally.countRecord();
        tally.count(STRINGS, endpoint);
        tally.count(INTS, 200);
        return tally;
    }
}
