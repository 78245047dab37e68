package io.stormwatch.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OffsetSetTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0 1 2 3           | [0..3]         | ++++",
        "3 2 1 0           | [0..3]         | ++++",
        "0 2 1             | [0..2]         | +++",    // a filled gap joins both neighbours
        "0 10 5 4 6        | [0, 4..6, 10]  | +++++",
        "0 1 1 0           | [0..1]         | ++--",   // replays are refused
        "0 57 131 57       | [0, 57, 131]   | +++-",   // byte offsets: one range per line
        "5 3 4 9 8 7 6     | [3..9]         | +++++++",
        "-2 -1 0 1         | [-2..1]        | ++++",
    })
    void addsAndCompacts(String offsets, String expected, String outcomes) {
        OffsetSet set = new OffsetSet();
        StringBuilder actual = new StringBuilder();
        for (String offset : offsets.trim().split("\\s+")) {
            actual.append(set.add(Long.parseLong(offset)) ? '+' : '-');
        }
        assertThat(actual.toString()).isEqualTo(outcomes);
        assertThat(set).hasToString(expected);
    }

    @Test
    void aMillionSequenceNumbersTakeOneRange() {
        OffsetSet set = new OffsetSet();
        for (long i = 0; i < 1_000_000; i++) {
            set.add(i);
        }
        assertThat(set.rangeCount()).isOne();
        assertThat(set.size()).isEqualTo(1_000_000);
    }

    @Test
    void copiesAreIndependent() {
        OffsetSet set = new OffsetSet();
        set.add(1);
        OffsetSet copy = set.copy();
        copy.add(2);
        assertThat(set.contains(2)).isFalse();
        assertThat(copy).isNotEqualTo(set);
        set.add(2);
        assertThat(copy).isEqualTo(set).hasSameHashCodeAs(set);
    }

    @Test
    void survivesJavaSerialization() throws Exception {
        OffsetSet set = new OffsetSet();
        for (long offset : new long[] {0, 1, 2, 10, 20, 21}) {
            set.add(offset);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(set);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            assertThat(in.readObject()).isEqualTo(set);
        }
    }

    /** Whatever the order and repetitions, the set behaves like a {@code TreeSet} and stays compact. */
    @Property
    void behavesLikeASetOfLongs(@ForAll @Size(max = 300) List<@LongRange(min = -50, max = 200) Long> offsets) {
        OffsetSet set = new OffsetSet();
        TreeSet<Long> model = new TreeSet<>();
        for (long offset : offsets) {
            assertThat(set.add(offset)).isEqualTo(model.add(offset));
        }
        for (long probe = -52; probe <= 202; probe++) {
            assertThat(set.contains(probe)).isEqualTo(model.contains(probe));
        }
        assertThat(set.size()).isEqualTo(model.size());
        assertThat(set.rangeCount()).isEqualTo(runs(model));
    }

    /** Two sets built from the same offsets in any order are equal. */
    @Property
    void orderDoesNotMatter(@ForAll @Size(max = 100) List<@LongRange(min = 0, max = 60) Long> offsets) {
        OffsetSet forward = new OffsetSet();
        OffsetSet backward = new OffsetSet();
        offsets.forEach(forward::add);
        List<Long> reversed = new ArrayList<>(offsets);
        java.util.Collections.reverse(reversed);
        reversed.forEach(backward::add);
        assertThat(forward).isEqualTo(backward).hasSameHashCodeAs(backward);
    }

    private static int runs(TreeSet<Long> values) {
        int runs = 0;
        Long previous = null;
        for (long value : values) {
            if (previous == null || value != previous + 1) {
                runs++;
            }
            previous = value;
        }
        return runs;
    }
}
