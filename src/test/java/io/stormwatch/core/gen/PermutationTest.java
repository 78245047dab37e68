package io.stormwatch.core.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PermutationTest {

    @Property(tries = 200)
    void isABijectionOfItsRange(@ForAll @IntRange(min = 1, max = 5_000) int size, @ForAll long seed) {
        Permutation permutation = new Permutation(size, seed);
        BitSet seen = new BitSet(size);
        for (int i = 0; i < size; i++) {
            long image = permutation.apply(i);
            assertThat(image).isBetween(0L, size - 1L);
            seen.set((int) image);
        }
        assertThat(seen.cardinality()).isEqualTo(size);
    }

    @Test
    void theLargestSizeWorksAndIsDeterministic() {
        Permutation permutation = new Permutation(Integer.MAX_VALUE, 9);
        Permutation again = new Permutation(Integer.MAX_VALUE, 9);

        for (long i : new long[] {0, 1, 1L << 30, Integer.MAX_VALUE - 1L}) {
            assertThat(permutation.apply(i)).isBetween(0L, Integer.MAX_VALUE - 1L).isEqualTo(again.apply(i));
        }
        assertThat(new Permutation(1_000, 1).apply(7)).isNotEqualTo(new Permutation(1_000, 2).apply(7));
    }

    @Test
    void refusesWhatIsOutOfRange() {
        assertThatThrownBy(() -> new Permutation(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Permutation(10, 1).apply(10)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new Permutation(10, 1).apply(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
