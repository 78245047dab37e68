package io.stormwatch.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Matching line stamps to progress counts, nearest-rank percentiles, and the bounded-latency rule. */
class LatencyTest {

    static Stream<Arguments> matches() {
        return Stream.of(
                // lines sent at 0, 10, 20, 30; counts arrive: 2 at 15, 4 at 40 → lines 0,1 seen at 15, lines 2,3 at 40
                Arguments.of(new long[] {0, 10, 20, 30}, new long[] {15, 40}, new long[] {2, 4}, 0, 4,
                        new long[] {15, 5, 20, 10}),
                // only the measured range [2, 4)
                Arguments.of(new long[] {0, 10, 20, 30}, new long[] {15, 40}, new long[] {2, 4}, 2, 4, new long[] {20, 10}),
                // a count that overshoots covers every line up to it
                Arguments.of(new long[] {0, 10, 20}, new long[] {25}, new long[] {100}, 0, 3, new long[] {25, 15, 5}),
                // lines never counted are -1 (unseen)
                Arguments.of(new long[] {0, 10, 20}, new long[] {12}, new long[] {1}, 0, 3, new long[] {12, -1, -1}),
                // no progress at all
                Arguments.of(new long[] {0, 10}, new long[] {}, new long[] {}, 0, 2, new long[] {-1, -1}),
                // counts one at a time
                Arguments.of(new long[] {0, 10, 20}, new long[] {1, 11, 21}, new long[] {1, 2, 3}, 0, 3, new long[] {1, 1, 1}));
    }

    @ParameterizedTest
    @MethodSource("matches")
    void matchesEachLineToTheFirstCountThatHoldsIt(long[] writes, long[] arrivalNanos, long[] counts, int from, int to,
            long[] expected) {
        assertThat(Latency.perLine(writes, new ProgressReceiver.Arrivals(arrivalNanos, counts), from, to)).containsExactly(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // values 1..10: nearest rank ceil(p/100 × n)
        "50|5", "90|9", "99|10", "99.9|10", "100|10", "10|1", "1|1", "55|6",
    })
    void percentilesAreNearestRank(double p, double expected) {
        long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(Latency.percentile(sorted, p)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "50|1000", "99|1000", "99.9|1000", "99.91|1001", "100|1001",
    })
    void tailPercentilesOfManyValues(double p, double expected) {
        long[] sorted = new long[10_000];
        Arrays.fill(sorted, 1000);
        Arrays.fill(sorted, 9_990, 10_000, 1001);
        assertThat(Latency.percentile(sorted, p)).isEqualTo(expected);
    }

    static Stream<Arguments> bounds() {
        long ms = 1_000_000;
        long[] flat = new long[400];
        Arrays.fill(flat, 5 * ms);
        long[] growing = new long[400];
        for (int i = 0; i < growing.length; i++) {
            growing[i] = i * 10 * ms; // a queue that grows: 0 to 4 s
        }
        long[] slowButSteady = new long[400];
        Arrays.fill(slowButSteady, 900 * ms);
        long[] oneUnseen = flat.clone();
        oneUnseen[200] = -1;
        return Stream.of(Arguments.of(flat, true), Arguments.of(growing, false), Arguments.of(slowButSteady, true),
                Arguments.of(oneUnseen, false), Arguments.of(new long[] {1, 2, 3}, false));
    }

    @ParameterizedTest
    @MethodSource("bounds")
    void boundedWhenTheLastQuarterIsNoWorseThanTheFirst(long[] latencies, boolean bounded) {
        assertThat(Latency.bounded(latencies)).isEqualTo(bounded);
    }
}
