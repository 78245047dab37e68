package io.stormwatch.core.agg;

import static io.stormwatch.core.agg.Tallies.MAX;
import static io.stormwatch.core.agg.Tallies.MIN;
import static io.stormwatch.core.agg.Tallies.SCHEMA;
import static io.stormwatch.core.agg.Tallies.STRINGS;
import static io.stormwatch.core.agg.Tallies.tally;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.agg.Tallies.Event;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * Pins down {@link SlidingTally}: after any sequence of {@code add} (panes with increasing ends) and
 * {@code evictThrough}, {@code window()} equals a fresh merge of the panes still held — minima and maxima
 * included, though a subtraction cannot take them out — and {@code late()} is the sum of their late
 * counts; evicting everything and adding again starts afresh; a pane is taken as it was when added.
 */
class SlidingTallyTest {

    /** One step: add a pane {@code gap} after the newest end, or evict through a time relative to the held ends. */
    sealed interface Step permits Add, Evict {}

    record Add(long gap, Tally pane, long late) implements Step {}

    /** Evicts through {@code newest end − back}; a negative {@code back} is past the newest end. */
    record Evict(long back) implements Step {}

    private record Held(long end, Tally pane, long late) {}

    @Property(tries = 300)
    void theWindowIsTheMergeOfThePanesStillHeld(@ForAll("steps") List<Step> steps) {
        SlidingTally sliding = new SlidingTally(SCHEMA);
        Deque<Held> model = new ArrayDeque<>();
        long newest = 0;
        for (Step step : steps) {
            if (step instanceof Add add) {
                long end = (model.isEmpty() ? newest : model.peekLast().end) + add.gap();
                sliding.add(end, add.pane(), add.late());
                model.addLast(new Held(end, add.pane().copy(), add.late()));
                newest = end;
            } else {
                long through = newest - ((Evict) step).back();
                sliding.evictThrough(through);
                model.removeIf(held -> held.end() <= through);
            }

            Tally expected = SCHEMA.newTally();
            model.forEach(held -> expected.merge(held.pane()));
            assertThat(sliding.window()).isEqualTo(expected);
            assertThat(sliding.late()).isEqualTo(model.stream().mapToLong(Held::late).sum());
            assertThat(sliding.paneCount()).isEqualTo(model.size());
            assertThat(sliding.isEmpty()).isEqualTo(model.isEmpty());
            assertThat(sliding.newestEnd()).isEqualTo(model.isEmpty() ? Long.MIN_VALUE : model.peekLast().end());
        }
    }

    @Test
    void theDocumentedExample() {
        SlidingTally sliding = new SlidingTally(SCHEMA);

        sliding.add(10, records(3), 0);
        sliding.add(20, records(1), 0);
        sliding.add(30, records(2), 0);
        assertThat(sliding.window().records()).isEqualTo(6);

        sliding.evictThrough(10);
        assertThat(sliding.window().records()).isEqualTo(3);

        sliding.add(40, records(5), 0);
        assertThat(sliding.window().records()).isEqualTo(8);
    }

    @Test
    void minimaAndMaximaAreRecomputedFromThePanesLeft() {
        SlidingTally sliding = new SlidingTally(SCHEMA);
        sliding.add(10, tally(List.of(new Event(-50, 200, "/a", null), new Event(900, 200, "/a", null))), 0);
        sliding.add(20, tally(List.of(new Event(5, 200, "/b", null))), 0);
        sliding.add(30, tally(List.of(new Event(7, 200, "/b", null))), 0);

        sliding.evictThrough(10);

        assertThat(sliding.window().cell(MIN)).isEqualTo(5);
        assertThat(sliding.window().cell(MAX)).isEqualTo(7);
        assertThat(sliding.window().<String>dim(STRINGS).toMap()).containsOnlyKeys("/b");

        sliding.evictThrough(25);

        assertThat(sliding.window().cell(MIN)).isEqualTo(7);
    }

    @Test
    void evictingEverythingThenAddingStartsAfresh() {
        SlidingTally sliding = new SlidingTally(SCHEMA);
        sliding.add(10, tally(List.of(new Event(1, 200, "/a", null))), 2);
        sliding.add(20, tally(List.of(new Event(2, 404, "/b", null))), 1);

        sliding.evictThrough(1_000);

        assertThat(sliding.isEmpty()).isTrue();
        assertThat(sliding.window()).isEqualTo(SCHEMA.newTally());
        assertThat(sliding.late()).isZero();

        Tally pane = tally(List.of(new Event(3, 500, "/c", null)));
        sliding.add(5, pane, 4); // earlier than the panes evicted: the window holds nothing to follow

        assertThat(sliding.window()).isEqualTo(pane);
        assertThat(sliding.late()).isEqualTo(4);
    }

    @Test
    void aPaneChangedAfterItWasAddedIsTakenAsItWasWhenAdded() {
        SlidingTally sliding = new SlidingTally(SCHEMA);
        Tally first = tally(List.of(new Event(1, 200, "/a", null)));
        Tally second = tally(List.of(new Event(2, 200, "/b", null)));
        sliding.add(10, first, 0);
        sliding.add(20, second, 0);

        first.count(STRINGS, "/added-later");
        first.max(MAX, 1_000);
        sliding.evictThrough(10);

        assertThat(sliding.window()).isEqualTo(second);
    }

    @Test
    void panesMustComeInIncreasingOrderOfTheirEnds() {
        SlidingTally sliding = new SlidingTally(SCHEMA);
        sliding.add(20, records(1), 0);

        assertThatThrownBy(() -> sliding.add(20, records(1), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sliding.add(10, records(1), 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(sliding.window().records()).isEqualTo(1);
    }

    @Test
    void aSchemaOfSumsAloneSlidesToo() {
        TallySchema sums = TallySchema.builder().stringKeys().build();
        SlidingTally sliding = new SlidingTally(sums);
        Tally a = sums.newTally();
        a.countRecord();
        a.count(1, "x");
        Tally b = sums.newTally();
        b.countRejected("empty");
        sliding.add(10, a, 0);
        sliding.add(20, b, 0);

        sliding.evictThrough(10);

        assertThat(sliding.window()).isEqualTo(b);
    }

    private static Tally records(int n) {
        Tally tally = SCHEMA.newTally();
        for (int i = 0; i < n; i++) {
            tally.countRecord();
        }
        return tally;
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Tally> panes = Arbitraries.oneOf(Tallies.countedTallies(), Tallies.anyTallies(1L << 40));
        Arbitrary<Step> add = Combinators.combine(Arbitraries.longs().between(1, 30), panes, Arbitraries.longs().between(0, 5))
                .as(Add::new);
        // back: 0 evicts through the newest end (everything), negative past it, larger values keep some panes
        Arbitrary<Step> evict = Arbitraries.longs().between(-5, 120).map(Evict::new);
        return Arbitraries.frequencyOf(Tuple.of(3, add), Tuple.of(1, evict)).list().ofMaxSize(40);
    }
}
