package io.stormwatch.core.totals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OffsetSetTest {

    /** A line {@code [offset, nextOffset)}. */
    private record Line(long offset, long nextOffset) {}

    /** {@code count} consecutive lines from {@code start}, each 1 to 200 bytes long, each touching the next. */
    private static List<Line> consecutiveLines(long start, int count, Random random) {
        List<Line> lines = new ArrayList<>(count);
        long offset = start;
        for (int i = 0; i < count; i++) {
            long next = offset + 1 + random.nextInt(200);
            lines.add(new Line(offset, next));
            offset = next;
        }
        return lines;
    }

    /**
     * Adds the lines {@code a-b} in order; {@code +} means add returned true (counted), {@code -} false
     * (already counted).
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0-57 57-131 131-200          | {[0, 200)}                     | +++",   // in order: one range
        "131-200 57-131 0-57          | {[0, 200)}                     | +++",   // backwards: one range
        "0-57 131-200 57-131          | {[0, 200)}                     | +++",   // a filled gap joins both neighbours
        "0-57 131-200                 | {[0, 57), [131, 200)}          | ++",    // a gap is a second range
        "100-110 0-10 50-60 10-20     | {[0, 20), [50, 60), [100, 110)} | ++++", // joins only its left neighbour
        "100-110 50-60 40-50          | {[40, 60), [100, 110)}         | +++",   // joins only its right neighbour
        "0-57 0-57                    | {[0, 57)}                      | +-",    // a replay is refused
        "0-57 57-131 0-57 57-131      | {[0, 131)}                     | ++--",  // so is one inside a merged range
        "0-57 50-60                   | {[0, 57)}                      | +-",    // a partial overlap counts as seen
        "0-57 131-200 50-140          | {[0, 57), [131, 200)}          | ++-",   // even across a gap
        "10-20 0-30                   | {[10, 20)}                     | +-",    // or around a counted line
        "10-20 0-10 20-30             | {[0, 30)}                      | +++",   // touching is not overlapping
        "0-1 1-2 2-3 3-4              | {[0, 4)}                       | ++++",  // sequence numbers
    })
    void addsCoalescesAndRefusesOverlaps(String lines, String expected, String outcomes) {
        OffsetSet set = new OffsetSet();
        StringBuilder actual = new StringBuilder();
        for (String line : lines.trim().split("\\s+")) {
            String[] bounds = line.split("-");
            actual.append(set.add(Long.parseLong(bounds[0]), Long.parseLong(bounds[1])) ? '+' : '-');
        }
        assertThat(actual.toString()).isEqualTo(outcomes);
        assertThat(set).hasToString(expected);
    }

    @Test
    void aPartialOverlapLeavesTheSetUnchangedAndIsToldApartByCovers() {
        OffsetSet set = new OffsetSet();
        set.add(0, 57);
        set.add(131, 200);
        OffsetSet before = set.copy();

        assertThat(set.add(50, 60)).isFalse();
        assertThat(set).isEqualTo(before);
        assertThat(set.covers(50, 60)).as("partial overlap").isFalse();
        assertThat(set.covers(0, 57)).as("a repeat").isTrue();
        assertThat(set.covers(10, 20)).as("inside a range").isTrue();
        assertThat(set.covers(131, 201)).isFalse();
        assertThat(set.covers(57, 131)).as("the gap").isFalse();
        assertThat(set.covers(5, 5)).as("empty").isFalse();
    }

    @Test
    void negativeAndHugeOffsetsAreJustNumbers() {
        OffsetSet set = new OffsetSet();
        assertThat(set.add(-10, -5)).isTrue();
        assertThat(set.add(-5, 0)).isTrue();
        assertThat(set.add(Long.MAX_VALUE - 10, Long.MAX_VALUE)).isTrue();
        assertThat(set.add(Long.MIN_VALUE, Long.MIN_VALUE + 1)).isTrue();
        assertThat(set).hasToString("{[" + Long.MIN_VALUE + ", " + (Long.MIN_VALUE + 1) + "), [-10, 0), ["
                + (Long.MAX_VALUE - 10) + ", " + Long.MAX_VALUE + ")}");
    }

    @Test
    void anEmptyOrInvertedLineIsRefused() {
        OffsetSet set = new OffsetSet();
        assertThatThrownBy(() -> set.add(5, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> set.add(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThat(set.rangeCount()).isZero();
    }

    @Test
    void aMillionLinesReadInOrderTakeOneRange() {
        OffsetSet set = new OffsetSet();
        long offset = 0;
        for (int i = 0; i < 1_000_000; i++) {
            long next = offset + 80 + i % 97;
            assertThat(set.add(offset, next)).isTrue();
            offset = next;
        }
        assertThat(set.rangeCount()).isOne();
        assertThat(set).hasToString("{[0, " + offset + ")}");
    }

    @Test
    void copiesAreIndependent() {
        OffsetSet set = new OffsetSet();
        set.add(0, 10);
        OffsetSet copy = set.copy();
        copy.add(10, 20);
        assertThat(set.covers(10, 20)).isFalse();
        assertThat(copy).isNotEqualTo(set);
        set.add(10, 20);
        assertThat(copy).isEqualTo(set).hasSameHashCodeAs(set);
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        OffsetSet set = new OffsetSet();
        for (long[] line : new long[][] {{0, 10}, {10, 25}, {40, 41}, {100, 180}, {300, 301}, {301, 302}}) {
            set.add(line[0], line[1]);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(set);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(set).hasToString("{[0, 25), [40, 41), [100, 180), [300, 302)}");
        }
    }

    /** Lines of one source arriving in any order end as one range; each counts once, and its repeats never. */
    @Property
    void anyArrivalOrderOfContiguousLinesCoalescesToOneRange(@ForAll @IntRange(min = 1, max = 300) int count,
            @ForAll @LongRange(min = -1_000, max = 1_000_000) long start, @ForAll long seed) {
        Random random = new Random(seed);
        List<Line> lines = consecutiveLines(start, count, random);
        List<Line> arrivals = new ArrayList<>(lines);
        Collections.shuffle(arrivals, random);

        OffsetSet set = new OffsetSet();
        for (Line line : arrivals) {
            assertThat(set.add(line.offset(), line.nextOffset())).as("first time %s", line).isTrue();
            assertThat(set.add(line.offset(), line.nextOffset())).as("again %s", line).isFalse();
        }
        assertThat(set.rangeCount()).isOne();
        assertThat(set).hasToString("{[" + start + ", " + lines.get(count - 1).nextOffset() + ")}");
        for (Line line : lines) {
            assertThat(set.add(line.offset(), line.nextOffset())).as("replay of %s", line).isFalse();
        }
    }

    /**
     * Whatever lines of a source arrive, repeated or not, in any order: {@code add} is true exactly the first
     * time, a counted line is covered, and the ranges are the maximal runs of touching counted lines.
     */
    @Property
    void detectsEveryDuplicateAndStaysCompact(
            @ForAll @Size(max = 400) List<@IntRange(min = 0, max = 59) Integer> arrivals, @ForAll long seed) {
        List<Line> lines = consecutiveLines(0, 60, new Random(seed));
        boolean[] counted = new boolean[lines.size()];
        OffsetSet set = new OffsetSet();
        for (int index : arrivals) {
            Line line = lines.get(index);
            assertThat(set.add(line.offset(), line.nextOffset())).as("line %d", index).isEqualTo(!counted[index]);
            counted[index] = true;
        }
        int runs = 0;
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            assertThat(set.covers(line.offset(), line.nextOffset())).as("line %d", i).isEqualTo(counted[i]);
            if (counted[i] && (i == 0 || !counted[i - 1])) {
                runs++;
            }
        }
        assertThat(set.rangeCount()).isEqualTo(runs);
    }

    /** Two sets built from the same lines in any order are equal. */
    @Property
    void orderDoesNotMatter(@ForAll @Size(max = 100) List<@IntRange(min = 0, max = 39) Integer> arrivals,
            @ForAll long seed) {
        List<Line> lines = consecutiveLines(0, 40, new Random(seed));
        OffsetSet forward = new OffsetSet();
        OffsetSet backward = new OffsetSet();
        arrivals.forEach(i -> forward.add(lines.get(i).offset(), lines.get(i).nextOffset()));
        List<Integer> reversed = new ArrayList<>(arrivals);
        Collections.reverse(reversed);
        reversed.forEach(i -> backward.add(lines.get(i).offset(), lines.get(i).nextOffset()));
        assertThat(forward).isEqualTo(backward).hasSameHashCodeAs(backward);
    }
}
