package io.stormwatch.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InFlightLimitTest {

    /** An ack of {@code lines} at {@code atMillis}, or (lines < 0) a reading of the limit there, expected {@code limit}. */
    private record Step(long atMillis, long lines, int limit) {
        static Step ack(long atMillis, long lines) {
            return new Step(atMillis, lines, -1);
        }

        static Step read(long atMillis, int limit) {
            return new Step(atMillis, -1, limit);
        }
    }

    static Stream<Arguments> histories() {
        // floor 16,384, ceiling 131,072, horizon 500 ms; the first call starts the first horizon
        return Stream.of(
                Arguments.of("the ceiling until a horizon has passed", List.of(
                        Step.read(0, 131_072), Step.ack(100, 5_000), Step.read(499, 131_072))),
                Arguments.of("twice the acks of the last horizon", List.of(
                        Step.read(0, 131_072), Step.ack(200, 25_000), Step.read(500, 50_000), Step.read(999, 50_000))),
                Arguments.of("back to the ceiling when the acks come fast", List.of(
                        Step.read(0, 131_072), Step.ack(200, 25_000), Step.read(500, 50_000),
                        Step.ack(700, 100_000), Step.read(1_000, 131_072))),
                Arguments.of("never under the floor", List.of(
                        Step.read(0, 131_072), Step.ack(100, 1_000), Step.read(500, 16_384))),
                Arguments.of("a horizon without acks changes nothing (idle or stalled)", List.of(
                        Step.read(0, 131_072), Step.ack(100, 20_000), Step.read(500, 40_000), Step.read(1_000, 40_000),
                        Step.read(5_000, 40_000))),
                Arguments.of("acks over a longer period count per horizon", List.of(
                        Step.read(0, 131_072), Step.ack(100, 40_000), Step.read(2_000, 20_000))),
                Arguments.of("grows by the factor acks outpace it", List.of(
                        Step.read(0, 131_072), Step.ack(100, 10_000), Step.read(500, 20_000),
                        Step.ack(600, 20_000), Step.read(1_000, 40_000), Step.ack(1_100, 40_000), Step.read(1_500, 80_000))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("histories")
    void limitFollowsTheAcks(String name, List<Step> steps) {
        InFlightLimit limit = new InFlightLimit(16_384, 131_072, 500);
        for (Step step : steps) {
            if (step.lines() >= 0) {
                limit.acked(step.lines(), step.atMillis());
            } else {
                assertThat(limit.lines(step.atMillis())).as("at %d ms", step.atMillis()).isEqualTo(step.limit());
            }
        }
    }

    @Test
    void aFixedLimitIsTheCeilingWhateverTheAcks() {
        InFlightLimit fixed = new InFlightLimit(16_384, 131_072, InFlightLimit.FIXED);
        fixed.lines(0);
        fixed.acked(10, 100);
        assertThat(fixed.lines(10_000)).isEqualTo(131_072);
    }

    @Test
    void aCeilingUnderTheFloorIsTheFloorToo() {
        InFlightLimit small = new InFlightLimit(16_384, 100, 500);
        small.lines(0);
        small.acked(1, 100);
        assertThat(small.lines(600)).isEqualTo(100);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new InFlightLimit(0, 10, 500)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InFlightLimit(1, 10, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
