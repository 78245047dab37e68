package io.stormwatch.core.agg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins down {@link Counts}: a multiset with equality by content, whose {@code subtract} undoes {@code add}
 * exactly (keys reaching 0 disappear, going below 0 fails and changes nothing), whose {@code top(k)} is
 * {@code sortedByCountDesc} cut to {@code k} (ties by key order) for any content, and whose {@code over}
 * keeps the entries strictly above the threshold in the same order.
 */
class CountsTest {

    private static final Comparator<String> NATURAL = Comparator.naturalOrder();

    @Test
    void countsWhatWasAddedAndAnswersZeroForTheRest() {
        Counts<String> counts = of("a", 2, "b", 1);
        counts.increment("a");
        counts.add("c", 5);

        assertThat(counts.toMap()).containsOnly(Map.entry("a", 3L), Map.entry("b", 1L), Map.entry("c", 5L));
        assertThat(counts.get("missing")).isZero();
        assertThat(counts.size()).isEqualTo(3);
    }

    @Test
    void subtractingACountToZeroForgetsTheKey() {
        Counts<String> counts = of("a", 3, "b", 1);

        counts.subtract("a", 2);
        counts.subtract("b", 1);

        assertThat(counts.toMap()).containsOnly(Map.entry("a", 1L));
        assertThat(counts).isEqualTo(of("a", 1)).hasSameHashCodeAs(of("a", 1));
    }

    static Stream<Arguments> overdrafts() {
        return Stream.of(
                Arguments.of("more than the key counts", "a", 4L),
                Arguments.of("a key never added", "z", 1L));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overdrafts")
    void subtractingMoreThanWasAddedFailsAndChangesNothing(String name, String key, long n) {
        Counts<String> counts = of("a", 3, "b", 1);

        assertThatThrownBy(() -> counts.subtract(key, n))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(key);
        assertThat(counts).isEqualTo(of("a", 3, "b", 1));
    }

    @Property
    void subtractAllUndoesAddAll(@ForAll("counts") Counts<String> base, @ForAll("counts") Counts<String> added) {
        Counts<String> counts = base.copy();
        counts.addAll(added);

        counts.subtractAll(added);

        assertThat(counts).isEqualTo(base);
        assertThat(counts.toMap()).doesNotContainValue(0L);
    }

    @Test
    void subtractAllOfWhatWasNeverAddedFails() {
        Counts<String> counts = of("a", 1);

        assertThatThrownBy(() -> counts.subtractAll(of("a", 1, "b", 1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void clearForgetsEveryKey() {
        Counts<String> counts = of("a", 1, "b", 2);

        counts.clear();

        assertThat(counts.isEmpty()).isTrue();
        assertThat(counts).isEqualTo(new Counts<String>());
        assertThat(counts.get("a")).isZero();
    }

    @Test
    void aCopyIsEqualAndIndependent() {
        Counts<String> original = of("a", 1, "b", 2);
        Counts<String> copy = original.copy();

        copy.increment("a");
        original.subtract("b", 2);

        assertThat(original).isEqualTo(of("a", 1));
        assertThat(copy).isEqualTo(of("a", 2, "b", 2));
    }

    @Test
    void equalityIsByContent() {
        assertThat(of("a", 1, "b", 2)).isEqualTo(of("b", 2, "a", 1)).hasSameHashCodeAs(of("b", 2, "a", 1));
        assertThat(of("a", 1, "b", 2)).isNotEqualTo(of("a", 1, "b", 3)).isNotEqualTo(of("a", 1))
                .isNotEqualTo(of("a", 1, "c", 2));
    }

    @Test
    void sortedByCountDescBreaksTiesByTheGivenKeyOrder() {
        Counts<String> counts = of("b", 2, "a", 2, "c", 3, "d", 1);

        assertThat(counts.sortedByCountDesc(NATURAL)).containsExactly(
                Map.entry("c", 3L), Map.entry("a", 2L), Map.entry("b", 2L), Map.entry("d", 1L));
        assertThat(counts.sortedByCountDesc(NATURAL.reversed())).containsExactly(
                Map.entry("c", 3L), Map.entry("b", 2L), Map.entry("a", 2L), Map.entry("d", 1L));
    }

    static Stream<Arguments> topCases() {
        Counts<String> counts = of("b", 2, "a", 2, "c", 3, "d", 1);
        return Stream.of(
                Arguments.of("k = 0", counts, 0, List.of()),
                Arguments.of("negative k", counts, -1, List.of()),
                Arguments.of("cut inside a tie: the smaller key stays", counts, 2,
                        List.of(Map.entry("c", 3L), Map.entry("a", 2L))),
                Arguments.of("k = size", counts, 4,
                        List.of(Map.entry("c", 3L), Map.entry("a", 2L), Map.entry("b", 2L), Map.entry("d", 1L))),
                Arguments.of("k over size", counts, 10,
                        List.of(Map.entry("c", 3L), Map.entry("a", 2L), Map.entry("b", 2L), Map.entry("d", 1L))),
                Arguments.of("empty", new Counts<String>(), 3, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topCases")
    void topKeepsTheMostFrequentFirstTiesByKey(String name, Counts<String> counts, int k, List<Map.Entry<String, Long>> expected) {
        assertThat(counts.top(k, NATURAL)).containsExactlyElementsOf(expected);
    }

    @Property
    void topIsSortedByCountDescCutToK(@ForAll("counts") Counts<String> counts, @ForAll @IntRange(min = -1, max = 14) int k,
            @ForAll boolean reversedKeys) {
        Comparator<String> order = reversedKeys ? NATURAL.reversed() : NATURAL;
        List<Map.Entry<String, Long>> sorted = counts.sortedByCountDesc(order);

        assertThat(counts.top(k, order)).containsExactlyElementsOf(sorted.subList(0, Math.max(0, Math.min(k, sorted.size()))));
    }

    static Stream<Arguments> overCases() {
        Counts<String> counts = of("b", 2, "a", 2, "c", 3, "d", 1);
        return Stream.of(
                Arguments.of("the threshold is exclusive", counts, 2L, List.of(Map.entry("c", 3L))),
                Arguments.of("ties by key", counts, 1L, List.of(Map.entry("c", 3L), Map.entry("a", 2L), Map.entry("b", 2L))),
                Arguments.of("everything over a negative threshold", counts, -1L,
                        List.of(Map.entry("c", 3L), Map.entry("a", 2L), Map.entry("b", 2L), Map.entry("d", 1L))),
                Arguments.of("nothing over the largest count", counts, 3L, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overCases")
    void overKeepsTheEntriesAboveTheThresholdMostFrequentFirst(String name, Counts<String> counts, long threshold,
            List<Map.Entry<String, Long>> expected) {
        assertThat(counts.over(threshold, NATURAL)).containsExactlyElementsOf(expected);
    }

    @Property
    void overIsSortedByCountDescFilteredByThreshold(@ForAll("counts") Counts<String> counts,
            @ForAll @LongRange(min = -1, max = 12) long threshold) {
        assertThat(counts.over(threshold, NATURAL)).containsExactlyElementsOf(
                counts.sortedByCountDesc(NATURAL).stream().filter(e -> e.getValue() > threshold).toList());
    }

    /** Up to 12 keys from a small set (so counts tie), each counted 1 to 6 times. */
    @Provide
    Arbitrary<Counts<String>> counts() {
        return Combinators.combine(Arbitraries.of("a", "b", "c", "d", "e", "f", "g", "h", "ab", ""),
                        Arbitraries.longs().between(1, 6))
                .as(Tuple::of).list().ofMaxSize(12)
                .map(entries -> {
                    Counts<String> counts = new Counts<>();
                    entries.forEach(e -> counts.add(e.get1(), e.get2()));
                    return counts;
                });
    }

    /** Counts of alternating keys and counts, e.g. {@code of("a", 2, "b", 1)}. */
    private static Counts<String> of(Object... keysAndCounts) {
        Counts<String> counts = new Counts<>();
        for (int i = 0; i < keysAndCounts.length; i += 2) {
            counts.add((String) keysAndCounts[i], ((Number) keysAndCounts[i + 1]).longValue());
        }
        return counts;
    }

    /**
     * The table against a plain map, through any mix of adds and subtracts over few keys (long probe runs,
     * keys leaving from their middle, growth), including keys whose hashes collide ("Aa" and "BB").
     */
    @Property(tries = 300)
    void behavesAsAMapThroughAddsAndRemovals(@ForAll("operations") List<Tuple.Tuple2<String, Integer>> operations) {
        Counts<String> counts = new Counts<>();
        java.util.HashMap<String, Long> model = new java.util.HashMap<>();
        for (Tuple.Tuple2<String, Integer> op : operations) {
            String key = op.get1();
            long n = op.get2();
            long had = model.getOrDefault(key, 0L);
            if (n < 0 && had + n < 0) {
                assertThatThrownBy(() -> counts.subtract(key, -n)).isInstanceOf(IllegalStateException.class);
            } else {
                if (n < 0) {
                    counts.subtract(key, -n);
                } else {
                    counts.add(key, n);
                }
                if (had + n == 0) {
                    model.remove(key);
                } else {
                    model.put(key, had + n);
                }
            }
            assertThat(counts.size()).isEqualTo(model.size());
        }
        assertThat(counts.toMap()).isEqualTo(model);
        model.forEach((key, n) -> assertThat(counts.get(key)).isEqualTo(n));
        assertThat(counts.get("absent")).isZero();
        Counts<String> rebuilt = new Counts<>();
        model.forEach(rebuilt::add);
        assertThat(counts).isEqualTo(rebuilt).hasSameHashCodeAs(rebuilt).isEqualTo(counts.copy());
    }

    @Provide
    Arbitrary<List<Tuple.Tuple2<String, Integer>>> operations() {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of("Aa", "BB", "AaAa", "BBBB", "AaBB", "BBAa"),
                Arbitraries.strings().alpha().ofMaxLength(2));
        return Combinators.combine(keys, Arbitraries.integers().between(-3, 3)).as(Tuple::of).list().ofMaxSize(400);
    }
}
