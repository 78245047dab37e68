package io.stormwatch.core.agg;

import static io.stormwatch.core.agg.Tallies.INTS;
import static io.stormwatch.core.agg.Tallies.MAX;
import static io.stormwatch.core.agg.Tallies.MIN;
import static io.stormwatch.core.agg.Tallies.SCHEMA;
import static io.stormwatch.core.agg.Tallies.STRINGS;
import static io.stormwatch.core.agg.Tallies.SUM;
import static io.stormwatch.core.agg.Tallies.tally;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.agg.Tallies.Event;
import io.stormwatch.core.agg.TallySchema.KeyType;
import io.stormwatch.core.agg.TallySchema.Kind;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins down {@link TallySchema} (interned: equal shapes are one instance, also after Java serialization;
 * every shape starts with records, rejected and reject reasons) and {@link Tally}: a commutative monoid under
 * {@code merge} with {@code newTally()} as identity, counting a concatenation equals merging the counts of
 * its parts, {@code subtract} undoes {@code merge} for sums and keyed counts (keys reaching 0 vanish) and
 * leaves minima and maxima alone, {@code copy} is independent, equality is by schema and content, and
 * tallies of different shapes never combine.
 */
class TallyTest {

    // ---- schema ----

    @Test
    void equalShapesAreOneInstance() {
        TallySchema built = TallySchema.builder().sum().min().max().intKeys().stringKeys().build();
        TallySchema fromArrays = TallySchema.of(
                new Kind[] {Kind.SUM, Kind.SUM, Kind.SUM, Kind.MIN, Kind.MAX},
                new KeyType[] {KeyType.STRING, KeyType.INT, KeyType.STRING});

        assertThat(built).isSameAs(SCHEMA).isSameAs(fromArrays);
        assertThat(TallySchema.builder().build()).isSameAs(TallySchema.builder().build())
                .isNotSameAs(TallySchema.builder().sum().build());
        assertThat(TallySchema.builder().intKeys().build()).isNotSameAs(TallySchema.builder().stringKeys().build());
    }

    @Test
    void aSchemaReadBackFromJavaSerializationIsTheInternedInstance() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(SCHEMA);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isSameAs(SCHEMA);
        }
    }

    @Test
    void theBuilderPutsTheCommonCellsAndDimensionFirst() {
        assertThat(SCHEMA.cellCount()).isEqualTo(5);
        assertThat(List.of(SCHEMA.kind(0), SCHEMA.kind(1), SCHEMA.kind(2), SCHEMA.kind(3), SCHEMA.kind(4)))
                .containsExactly(Kind.SUM, Kind.SUM, Kind.SUM, Kind.MIN, Kind.MAX);
        assertThat(List.of(SCHEMA.keyType(0), SCHEMA.keyType(1), SCHEMA.keyType(2)))
                .containsExactly(KeyType.STRING, KeyType.INT, KeyType.STRING);
    }

    static Stream<Arguments> badShapes() {
        return Stream.of(
                Arguments.of("no cells", new Kind[0], new KeyType[] {KeyType.STRING}),
                Arguments.of("records not a sum", new Kind[] {Kind.MIN, Kind.SUM}, new KeyType[] {KeyType.STRING}),
                Arguments.of("rejected not a sum", new Kind[] {Kind.SUM, Kind.MAX}, new KeyType[] {KeyType.STRING}),
                Arguments.of("no reject reasons", new Kind[] {Kind.SUM, Kind.SUM}, new KeyType[0]),
                Arguments.of("int reject reasons", new Kind[] {Kind.SUM, Kind.SUM}, new KeyType[] {KeyType.INT}),
                Arguments.of("64 cells", Collections.nCopies(64, Kind.SUM).toArray(new Kind[0]), new KeyType[] {KeyType.STRING}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badShapes")
    void shapesWithoutTheCommonStartOrWithTooManyCellsAreRefused(String name, Kind[] kinds, KeyType[] keyTypes) {
        assertThatThrownBy(() -> TallySchema.of(kinds, keyTypes)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sixtyThreeCellsAreAllowed() {
        Kind[] kinds = Collections.nCopies(63, Kind.SUM).toArray(new Kind[0]);

        assertThat(TallySchema.of(kinds, new KeyType[] {KeyType.STRING}).cellCount()).isEqualTo(63);
    }

    // ---- counting ----

    @Test
    void aNewTallyHoldsEveryKindsIdentityAndNoKeys() {
        Tally tally = SCHEMA.newTally();

        assertThat(tally.cells()).containsExactly(0, 0, 0, Long.MAX_VALUE, Long.MIN_VALUE);
        assertThat(tally.keyCount()).isZero();
        assertThat(tally.isEmpty()).isTrue();
    }

    @Test
    void countsRecordsRejectionsCellsAndKeys() {
        Tally tally = tally(List.of(
                new Event(5, 404, "/a", null),
                new Event(-2, 70_000, "/a", null),
                new Event(0, 0, null, "too-long"),
                new Event(9, -3, "日本", null)));

        assertThat(tally.records()).isEqualTo(3);
        assertThat(tally.rejected()).isEqualTo(1);
        assertThat(tally.cells()).containsExactly(3, 1, 12, -2, 9);
        assertThat(tally.<String>dim(TallySchema.REJECT_REASONS).toMap()).containsOnly(Map.entry("too-long", 1L));
        assertThat(tally.<Integer>dim(INTS).toMap()).containsOnly(Map.entry(404, 1L), Map.entry(70_000, 1L), Map.entry(-3, 1L));
        assertThat(tally.<String>dim(STRINGS).toMap()).containsOnly(Map.entry("/a", 2L), Map.entry("日本", 1L));
        assertThat(tally.keyCount()).isEqualTo(6);
        assertThat(tally.isEmpty()).isFalse();
    }

    @Test
    void cellsReturnsACopy() {
        Tally tally = SCHEMA.newTally();

        tally.cells()[SUM] = 42;

        assertThat(tally.cell(SUM)).isZero();
    }

    // ---- monoid ----

    @Property
    void theNewTallyIsTheIdentity(@ForAll("tallies") Tally a) {
        assertThat(a.copy().merge(SCHEMA.newTally())).isEqualTo(a);
        assertThat(SCHEMA.newTally().merge(a)).isEqualTo(a);
    }

    @Property
    void mergeIsAssociative(@ForAll("tallies") Tally a, @ForAll("tallies") Tally b, @ForAll("tallies") Tally c) {
        assertThat(a.copy().merge(b).merge(c)).isEqualTo(a.copy().merge(b.copy().merge(c)));
    }

    @Property
    void mergeIsCommutative(@ForAll("tallies") Tally a, @ForAll("tallies") Tally b) {
        assertThat(a.copy().merge(b)).isEqualTo(b.copy().merge(a));
    }

    @Property
    void theTallyOfAConcatenationIsTheMergeOfTheTalliesOfItsParts(@ForAll("events") List<Event> a,
            @ForAll("events") List<Event> b) {
        List<Event> whole = new ArrayList<>(a);
        whole.addAll(b);

        assertThat(tally(a).merge(tally(b))).isEqualTo(tally(whole));
    }

    @Property
    void mergeLeavesItsArgumentUntouched(@ForAll("tallies") Tally a, @ForAll("tallies") Tally b) {
        Tally other = b.copy();

        a.copy().merge(other).count(STRINGS, "/changed");

        assertThat(other).isEqualTo(b);
    }

    @Property
    void theLawsHoldForAnyContent(@ForAll("anyTallies") Tally a, @ForAll("anyTallies") Tally b,
            @ForAll("anyTallies") Tally c) {
        assertThat(a.copy().merge(b)).isEqualTo(b.copy().merge(a));
        assertThat(a.copy().merge(b).merge(c)).isEqualTo(a.copy().merge(b.copy().merge(c)));
        assertThat(a.copy().merge(SCHEMA.newTally())).isEqualTo(a);
    }

    // ---- subtract ----

    @Property
    void subtractUndoesMergeForSumsAndKeysAndLeavesMinimaAndMaxima(@ForAll("tallies") Tally a, @ForAll("tallies") Tally b) {
        Tally merged = a.copy().merge(b);

        Tally back = merged.copy().subtract(b);

        Tally expected = a.copy();
        long[] cells = expected.cells();
        cells[MIN] = merged.cell(MIN);
        cells[MAX] = merged.cell(MAX);
        expected.restoreCells(cells);
        assertThat(back).isEqualTo(expected);
    }

    @Test
    void keysTakenOutCompletelyVanish() {
        Tally a = tally(List.of(new Event(1, 200, "/a", null)));
        Tally b = tally(List.of(new Event(2, 404, "/b", null), new Event(0, 0, null, "empty")));

        Tally back = a.copy().merge(b).subtract(b);

        assertThat(back.<Integer>dim(INTS).toMap()).containsOnlyKeys(200);
        assertThat(back.<String>dim(STRINGS).toMap()).containsOnlyKeys("/a");
        assertThat(back.<String>dim(TallySchema.REJECT_REASONS).isEmpty()).isTrue();
        assertThat(back.keyCount()).isEqualTo(2);
        assertThat(back.cell(MAX)).isEqualTo(2); // untouched: subtract cannot take a maximum out
    }

    @Test
    void subtractingWhatWasNeverMergedFails() {
        Tally a = tally(List.of(new Event(1, 200, "/a", null)));
        Tally never = tally(List.of(new Event(1, 200, "/never", null)));

        assertThatThrownBy(() -> a.subtract(never)).isInstanceOf(IllegalStateException.class);
    }

    // ---- copy, equality, restoreCells ----

    @Property
    void aCopyIsEqualAndIndependent(@ForAll("tallies") Tally a) {
        Tally original = a.copy();
        Tally copy = original.copy();

        copy.countRecord();
        copy.count(INTS, 999);
        copy.count(STRINGS, "/new");
        copy.min(MIN, Long.MIN_VALUE);

        assertThat(original).isEqualTo(a);
        assertThat(copy).isNotEqualTo(a);
    }

    static Stream<Arguments> oneChange() {
        return Stream.<Arguments>of(
                Arguments.of("a record", (Consumer<Tally>) Tally::countRecord),
                Arguments.of("a rejection", (Consumer<Tally>) t -> t.countRejected("empty")),
                Arguments.of("a sum", (Consumer<Tally>) t -> t.sum(SUM, 1)),
                Arguments.of("a minimum", (Consumer<Tally>) t -> t.min(MIN, 0)),
                Arguments.of("a maximum", (Consumer<Tally>) t -> t.max(MAX, 100)),
                Arguments.of("an int key", (Consumer<Tally>) t -> t.count(INTS, 200)),
                Arguments.of("another int key", (Consumer<Tally>) t -> t.count(INTS, 201)),
                Arguments.of("a string key", (Consumer<Tally>) t -> t.count(STRINGS, "/b")),
                Arguments.of("a reject reason alone", (Consumer<Tally>) t -> t.count(TallySchema.REJECT_REASONS, "empty")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("oneChange")
    void talliesDifferWhenAnyCellOrKeyDiffers(String name, Consumer<Tally> change) {
        Tally base = tally(List.of(new Event(7, 200, "/a", null)));
        Tally changed = base.copy();

        change.accept(changed);

        assertThat(changed).isNotEqualTo(base);
        assertThat(base.copy()).isEqualTo(base).hasSameHashCodeAs(base);
    }

    @Test
    void talliesOfDifferentSchemasAreNeverEqualEvenWhenEmpty() {
        assertThat(TallySchema.builder().build().newTally()).isNotEqualTo(TallySchema.builder().intKeys().build().newTally());
        assertThat(SCHEMA.newTally()).isEqualTo(SCHEMA.newTally());
    }

    @Test
    void restoreCellsSetsEveryCell() {
        Tally source = tally(List.of(new Event(7, 200, "/a", null), new Event(-3, 200, "/a", null)));
        Tally target = SCHEMA.newTally();

        target.restoreCells(source.cells());

        assertThat(target.cells()).containsExactly(source.cells());
        assertThat(target.keyCount()).isZero();
    }

    @Test
    void restoreCellsRefusesTheWrongNumberOfCells() {
        Tally tally = SCHEMA.newTally();

        assertThatThrownBy(() -> tally.restoreCells(new long[4])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected 5 cells, got 4");
        assertThat(tally).isEqualTo(SCHEMA.newTally());
    }

    // ---- shapes do not mix ----

    @Test
    void talliesOfDifferentSchemasDoNotCombine() {
        Tally ours = tally(List.of(new Event(1, 200, "/a", null)));
        Tally theirs = TallySchema.builder().sum().min().max().stringKeys().intKeys().build().newTally();
        theirs.countRecord();

        assertThatThrownBy(() -> ours.merge(theirs)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("different shapes");
        assertThatThrownBy(() -> ours.subtract(theirs)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ours).isEqualTo(tally(List.of(new Event(1, 200, "/a", null))));
    }

    @Provide
    Arbitrary<Tally> tallies() {
        return Tallies.countedTallies();
    }

    @Provide
    Arbitrary<Tally> anyTallies() {
        return Tallies.anyTallies(Long.MAX_VALUE);
    }

    @Provide
    Arbitrary<List<Event>> events() {
        return Tallies.events().list().ofMaxSize(30);
    }
}
