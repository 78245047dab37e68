package io.stormwatch.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Item {@code i} is due {@code i / rate} s after the pacer's start; rate 0 means every item is due now. */
class PacerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // rate, index, due after (ms)
        "1000|0|0", "1000|500|500", "1000|2000|2000", "100|250|2500", "10000|10000|1000", "0.5|1|2000",
    })
    void itemsAreDueAtIndexOverRate(double rate, long index, long dueMillis) {
        long before = System.nanoTime();
        Pacer pacer = new Pacer(rate);
        long left = pacer.nanosUntil(index);
        long elapsed = System.nanoTime() - before;
        long due = TimeUnit.MILLISECONDS.toNanos(dueMillis);
        // between the pacer's start and now only `elapsed` can have passed
        assertThat(left).isBetween(due - elapsed, due);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 1_000_000, Long.MAX_VALUE / 2})
    void rateZeroIsAlwaysDue(long index) {
        assertThat(new Pacer(0).nanosUntil(index)).isZero();
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1, Double.NaN})
    void refusesNegativeRates(double rate) {
        assertThatThrownBy(() -> new Pacer(rate)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5})
    void awaitReturnsOnceDue(int index) throws InterruptedException {
        Pacer pacer = new Pacer(100); // one item every 10 ms
        pacer.await(index, () -> false);
        assertThat(pacer.nanosUntil(index)).isLessThanOrEqualTo(0);
    }
}
