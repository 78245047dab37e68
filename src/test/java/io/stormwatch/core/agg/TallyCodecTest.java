package io.stormwatch.core.agg;

import static io.stormwatch.core.agg.Tallies.INTS;
import static io.stormwatch.core.agg.Tallies.SCHEMA;
import static io.stormwatch.core.agg.Tallies.STRINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins down {@link TallyCodec}: {@code decode(encode(t))} equals {@code t} for any content (extreme cells,
 * cells at their identity, negative and large int keys, empty and non-ASCII string keys, huge counts) and
 * has the job's very schema; the bytes are canonical (equal tallies, however built, give equal bytes) and
 * follow the documented layout; {@code mergeInto}, {@code subtractFrom} and {@code cells} act as the same
 * operation on the decoded tally; and any input {@code encode} did not produce — random bytes, truncations,
 * corruptions — fails with an {@link IllegalArgumentException} and never with another exception.
 */
class TallyCodecTest {

    private static final TallySchema BASE = TallySchema.builder().build();

    // ---- round trip ----

    @Property
    void decodingGivesBackTheEncodedTally(@ForAll("anyTallies") Tally tally) {
        Tally decoded = TallyCodec.decode(TallyCodec.encode(tally));

        assertThat(decoded).isEqualTo(tally);
        assertThat(decoded.schema()).isSameAs(SCHEMA);
    }

    static Stream<Arguments> edgeTallies() {
        Tally extremes = SCHEMA.newTally();
        extremes.restoreCells(new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1, Long.MIN_VALUE, Long.MAX_VALUE});
        extremes.count(INTS, Integer.MIN_VALUE, Long.MAX_VALUE);
        extremes.count(INTS, Integer.MAX_VALUE, 1);
        extremes.count(INTS, -1, 3);
        extremes.count(STRINGS, "", 1);
        extremes.count(STRINGS, "\u0000", 2);
        extremes.count(STRINGS, "é日本🙂", 3);
        extremes.count(STRINGS, "🙂🙂", 4);
        extremes.count(STRINGS, "x".repeat(300), 5);
        extremes.count(TallySchema.REJECT_REASONS, "too-long", 6);
        Tally identityCells = SCHEMA.newTally();
        identityCells.count(STRINGS, "/only-keys");
        Tally sharedPrefixes = SCHEMA.newTally();
        for (String key : List.of("10.0.0.1", "10.0.0.12", "10.0.0.123", "10.0.0.2", "10.0.0", "1", "2")) {
            sharedPrefixes.count(STRINGS, key);
        }
        return Stream.of(
                Arguments.of("nothing counted", SCHEMA.newTally()),
                Arguments.of("extreme cells, keys and counts", extremes),
                Arguments.of("every cell at its identity, with keys", identityCells),
                Arguments.of("keys sharing prefixes", sharedPrefixes),
                Arguments.of("the smallest schema", BASE.newTally()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("edgeTallies")
    void edgeCasesRoundTrip(String name, Tally tally) {
        assertThat(TallyCodec.decode(TallyCodec.encode(tally))).isEqualTo(tally);
    }

    // ---- canonical, layout ----

    @Property
    void theSameContentInAnyInsertionOrderGivesTheSameBytes(@ForAll("entries") List<Tuple.Tuple3<Integer, Object, Long>> entries,
            @ForAll Random random) {
        List<Tuple.Tuple3<Integer, Object, Long>> shuffled = new ArrayList<>(entries);
        Collections.shuffle(shuffled, random);

        assertThat(TallyCodec.encode(build(shuffled))).isEqualTo(TallyCodec.encode(build(entries)));
    }

    @Property
    void equalTalliesBuiltByDifferentMergesGiveTheSameBytes(@ForAll("tallies") Tally a, @ForAll("tallies") Tally b,
            @ForAll("tallies") Tally c) {
        byte[] left = TallyCodec.encode(a.copy().merge(b).merge(c));
        byte[] right = TallyCodec.encode(c.copy().merge(b.copy().merge(a)));

        assertThat(left).isEqualTo(right);
    }

    @Test
    void theBytesFollowTheDocumentedLayout() {
        Tally empty = BASE.newTally();
        Tally oneReject = BASE.newTally();
        oneReject.countRejected("a");

        // version 1; 2 cells: SUM SUM; 1 dimension: STRING; cell mask 0; dimension 0 has 0 entries
        assertThat(TallyCodec.encode(empty)).containsExactly(1, 2, 0, 0, 1, 1, 0, 0);
        // cell mask 0b10, rejected = zig-zag(1) = 2; 1 entry: 0 bytes shared, 1 more, 'a', count 1
        assertThat(TallyCodec.encode(oneReject)).containsExactly(1, 2, 0, 0, 1, 1, 2, 2, 1, 0, 1, 'a', 1);
    }

    @Test
    void aKeyExtendingThePreviousOneCostsTheSharedLengthTheRestAndItsCount() {
        Tally one = BASE.newTally();
        one.countRejected("10.0.0.1");
        Tally two = one.copy();
        two.countRejected("10.0.0.12");

        // shared 8, 1 more, '2', count 1 (and the rejected cell's value, 1 → 2, stays one byte)
        assertThat(TallyCodec.encode(two).length - TallyCodec.encode(one).length).isEqualTo(4);
    }

    // ---- operations straight on bytes ----

    @Property
    void mergeIntoActsAsMergeOfTheDecodedTally(@ForAll("anyTallies") Tally target, @ForAll("anyTallies") Tally other) {
        Tally expected = target.copy().merge(other);

        Tally result = TallyCodec.mergeInto(TallyCodec.encode(other), target);

        assertThat(result).isSameAs(target).isEqualTo(expected);
    }

    @Property
    void subtractFromActsAsSubtractOfTheDecodedTally(@ForAll("tallies") Tally a, @ForAll("tallies") Tally b) {
        Tally target = a.copy().merge(b);
        Tally expected = target.copy().subtract(b);

        Tally result = TallyCodec.subtractFrom(TallyCodec.encode(b), target);

        assertThat(result).isSameAs(target).isEqualTo(expected);
    }

    @Property
    void cellsReadsTheCellsAlone(@ForAll("anyTallies") Tally tally) {
        assertThat(TallyCodec.cells(TallyCodec.encode(tally))).containsExactly(tally.cells());
    }

    @Test
    void bytesOfAnotherSchemaDoNotMergeIntoATally() {
        Tally other = BASE.newTally();
        other.countRejected("empty");
        Tally target = SCHEMA.newTally();
        target.countRecord();

        assertThatThrownBy(() -> TallyCodec.mergeInto(TallyCodec.encode(other), target))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TallyCodec.subtractFrom(TallyCodec.encode(other), target))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(target.records()).isEqualTo(1);
        assertThat(target.rejected()).isZero();
    }

    // ---- bad input ----

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("no bytes", new byte[0]),
                Arguments.of("another version", new byte[] {2, 2, 0, 0, 1, 1, 0, 0}),
                Arguments.of("a varint longer than 10 bytes", new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1}),
                Arguments.of("no common cells", new byte[] {1, 0, 1, 1, 0, 0}),
                Arguments.of("an unknown cell kind", new byte[] {1, 2, 0, 3, 1, 1, 0, 0}),
                Arguments.of("an unknown key type", new byte[] {1, 2, 0, 0, 1, 2, 0, 0}),
                Arguments.of("a mask naming a cell the shape does not have", new byte[] {1, 2, 0, 0, 1, 1, 4, 0, 0}),
                Arguments.of("bytes after the end", new byte[] {1, 2, 0, 0, 1, 1, 0, 0, 0}),
                Arguments.of("a key sharing more than the previous key", new byte[] {1, 2, 0, 0, 1, 1, 0, 1, 1, 0, 1}),
                Arguments.of("a key longer than the input", new byte[] {1, 2, 0, 0, 1, 1, 0, 1, 0, 5, 'a', 1}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void inputEncodeDidNotProduceFailsWithIllegalArgument(String name, byte[] bytes) {
        assertThatThrownBy(() -> TallyCodec.decode(bytes)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TallyCodec.mergeInto(bytes, BASE.newTally())).isInstanceOf(IllegalArgumentException.class);
    }

    @Property
    void everyTruncationFailsWithIllegalArgument(@ForAll("anyTallies") Tally tally, @ForAll @IntRange(min = 0, max = 10_000) int cut) {
        byte[] encoded = TallyCodec.encode(tally);
        byte[] truncated = Arrays.copyOf(encoded, cut % encoded.length);

        assertThatThrownBy(() -> TallyCodec.decode(truncated)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TallyCodec.mergeInto(truncated, SCHEMA.newTally())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TallyCodec.subtractFrom(truncated, tally.copy())).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 2_000)
    void randomBytesFailWithIllegalArgumentOrDecode(@ForAll("garbage") byte[] bytes) {
        onlyIllegalArgument(() -> TallyCodec.decode(bytes));
        onlyIllegalArgument(() -> TallyCodec.mergeInto(bytes, SCHEMA.newTally()));
        onlyIllegalArgument(() -> TallyCodec.cells(bytes));
    }

    @Property(tries = 2_000)
    void corruptedEncodingsFailWithIllegalArgumentOrDecode(@ForAll("anyTallies") Tally tally,
            @ForAll @IntRange(min = 0, max = 10_000) int at, @ForAll byte value) {
        byte[] corrupted = TallyCodec.encode(tally);
        corrupted[at % corrupted.length] = value;

        onlyIllegalArgument(() -> TallyCodec.decode(corrupted));
        onlyIllegalArgument(() -> TallyCodec.mergeInto(corrupted, SCHEMA.newTally()));
        onlyIllegalArgument(() -> TallyCodec.cells(corrupted));
    }

    /** Runs {@code decoding}; it may succeed or throw an {@link IllegalArgumentException}, nothing else. */
    private static void onlyIllegalArgument(Runnable decoding) {
        try {
            decoding.run();
        } catch (IllegalArgumentException expected) {
            // bad input, reported as documented
        }
    }

    /** Random bytes, half of them behind a valid shape header (so that the body parser sees them). */
    @Provide
    Arbitrary<byte[]> garbage() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        byte[] header = Arrays.copyOf(TallyCodec.encode(SCHEMA.newTally()), 11); // version and shape of SCHEMA
        return Arbitraries.oneOf(random, random.map(body -> {
            byte[] bytes = Arrays.copyOf(header, header.length + body.length);
            System.arraycopy(body, 0, bytes, header.length, body.length);
            return bytes;
        }));
    }

    /** Entries (dimension, key, count) of a tally, keys unique per dimension. */
    @Provide
    Arbitrary<List<Tuple.Tuple3<Integer, Object, Long>>> entries() {
        Arbitrary<Tuple.Tuple3<Integer, Object, Long>> ints = Combinators.combine(Tallies.intKeys(), Tallies.counts(1 << 20))
                .as((key, n) -> Tuple.of(INTS, key, n));
        Arbitrary<Tuple.Tuple3<Integer, Object, Long>> strings = Combinators.combine(Tallies.strings(), Tallies.counts(1 << 20))
                .as((key, n) -> Tuple.of(STRINGS, key, n));
        Arbitrary<Tuple.Tuple3<Integer, Object, Long>> reasons = Combinators.combine(Tallies.strings(), Tallies.counts(1 << 20))
                .as((key, n) -> Tuple.of(TallySchema.REJECT_REASONS, key, n));
        return Arbitraries.oneOf(ints, strings, reasons).list().ofMaxSize(30)
                .uniqueElements(e -> Tuple.of(e.get1(), e.get2()));
    }

    private static Tally build(List<Tuple.Tuple3<Integer, Object, Long>> entries) {
        Tally tally = SCHEMA.newTally();
        for (Tuple.Tuple3<Integer, Object, Long> e : entries) {
            if (e.get2() instanceof Integer key) {
                tally.count(e.get1(), key, e.get3());
            } else {
                tally.count(e.get1(), (String) e.get2(), e.get3());
            }
        }
        return tally;
    }

    @Provide
    Arbitrary<Tally> tallies() {
        return Tallies.countedTallies();
    }

    @Provide
    Arbitrary<Tally> anyTallies() {
        return Tallies.anyTallies(Long.MAX_VALUE);
    }
}
