package io.stormwatch.core.agg;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Tallies for the tests of the aggregation core: one schema with a cell of every kind and both key types,
 * and jqwik arbitraries of tallies of it — counted from events in small domains (so that keys collide
 * across tallies, as in real panes), or with any content (extreme cells, cells at their identity, negative
 * and large int keys, empty and non-ASCII string keys).
 */
public final class Tallies {

    /** Cells: records, rejected, a sum, a minimum, a maximum; dimensions: reject reasons, int keys, string keys. */
    public static final TallySchema SCHEMA = TallySchema.builder().sum().min().max().intKeys().stringKeys().build();
    public static final int SUM = 2;
    public static final int MIN = 3;
    public static final int MAX = 4;
    public static final int INTS = 1;
    public static final int STRINGS = 2;

    private Tallies() {}

    /** One counted line: a record with a value, an int key and a string key, or a rejection (reason non-null). */
    public record Event(long value, int intKey, String stringKey, String rejectReason) {

        public void countInto(Tally tally) {
            if (rejectReason != null) {
                tally.countRejected(rejectReason);
                return;
            }
            tally.countRecord();
            tally.sum(SUM, value);
            tally.min(MIN, value);
            tally.max(MAX, value);
            tally.count(INTS, intKey);
            tally.count(STRINGS, stringKey);
        }
    }

    /** The tally of {@code events}, counted in order. */
    public static Tally tally(List<Event> events) {
        Tally tally = SCHEMA.newTally();
        events.forEach(e -> e.countInto(tally));
        return tally;
    }

    /** Lines from small domains: keys collide across lists. */
    public static Arbitrary<Event> events() {
        Arbitrary<Event> records = Combinators.combine(
                        Arbitraries.longs().between(-1_000, 1_000_000),
                        Arbitraries.of(200, 304, 404, 500, -1, 70_000),
                        Arbitraries.of("/", "/a", "/ab", "/é", "", "日本"))
                .as((value, code, key) -> new Event(value, code, key, null));
        Arbitrary<Event> rejects = Arbitraries.of("empty", "too-long", "malformed")
                .map(reason -> new Event(0, 0, null, reason));
        return Arbitraries.frequencyOf(Tuple.of(4, records), Tuple.of(1, rejects));
    }

    /** Tallies counted from up to 30 events of {@link #events()}. */
    public static Arbitrary<Tally> countedTallies() {
        return events().list().ofMaxSize(30).map(Tallies::tally);
    }

    /**
     * Tallies with any content: every cell any long (often its identity or an extreme), keys over the whole
     * int range and strings of any code points (no lone surrogates), each counted 1 to {@code maxCount} times.
     */
    public static Arbitrary<Tally> anyTallies(long maxCount) {
        Arbitrary<long[]> cells = cellValues().array(long[].class).ofSize(SCHEMA.cellCount());
        Arbitrary<List<Tuple.Tuple2<String, Long>>> reasons = Combinators.combine(strings(), counts(maxCount))
                .as(Tuple::of).list().ofMaxSize(4);
        Arbitrary<List<Tuple.Tuple2<Integer, Long>>> ints = Combinators.combine(intKeys(), counts(maxCount))
                .as(Tuple::of).list().ofMaxSize(20);
        Arbitrary<List<Tuple.Tuple2<String, Long>>> strings = Combinators.combine(strings(), counts(maxCount))
                .as(Tuple::of).list().ofMaxSize(20);
        return Combinators.combine(cells, reasons, ints, strings).as((c, r, i, s) -> {
            Tally tally = SCHEMA.newTally();
            tally.restoreCells(c);
            r.forEach(e -> tally.count(TallySchema.REJECT_REASONS, e.get1(), e.get2()));
            i.forEach(e -> tally.count(INTS, e.get1(), e.get2()));
            s.forEach(e -> tally.count(STRINGS, e.get1(), e.get2()));
            return tally;
        });
    }

    /** Cell values: identities, extremes, zero and anything else. */
    public static Arbitrary<Long> cellValues() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, 1L)),
                Tuple.of(3, Arbitraries.longs()));
    }

    /** Int keys over the whole range, often small, negative or at the ends. */
    public static Arbitrary<Integer> intKeys() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.integers().between(-3, 600)),
                Tuple.of(1, Arbitraries.of(Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, 1023, 1024)),
                Tuple.of(2, Arbitraries.integers()));
    }

    /** Strings of ASCII, Latin-1, CJK, emoji (supplementary) and control code points; often empty or sharing prefixes. */
    public static Arbitrary<String> strings() {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between('a', 'c')),
                Tuple.of(2, Arbitraries.integers().between(0, 0x7F)),
                Tuple.of(1, Arbitraries.integers().between(0xA0, 0xFF)),
                Tuple.of(1, Arbitraries.integers().between(0x4E00, 0x4E10)),
                Tuple.of(1, Arbitraries.integers().between(0x1F600, 0x1F64F)),
                Tuple.of(1, Arbitraries.of(0xFFFD, 0xFEFF, 0x10FFFF)));
        return codePoints.list().ofMaxSize(6).map(cps -> {
            StringBuilder sb = new StringBuilder();
            cps.forEach(sb::appendCodePoint);
            return sb.toString();
        });
    }

    /** Counts from 1 to {@code maxCount}, often at the ends. */
    public static Arbitrary<Long> counts(long maxCount) {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(1, Math.min(maxCount, 1_000))),
                Tuple.of(1, Arbitraries.of(1L, maxCount)),
                Tuple.of(1, Arbitraries.longs().between(1, maxCount)));
    }
}
