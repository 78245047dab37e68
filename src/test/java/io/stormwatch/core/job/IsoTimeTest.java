package io.stormwatch.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link IsoTime} writes exactly what {@link Instant#toString()} writes, for every millisecond. */
class IsoTimeTest {

    @Property(tries = 5000)
    void writesWhatInstantWrites(@ForAll @LongRange(min = -70_000_000_000_000L, max = 300_000_000_000_000L) long millis) {
        assertThat(IsoTime.format(millis)).isEqualTo(Instant.ofEpochMilli(millis).toString());
    }

    @Property(tries = 2000)
    void writesTheSameIntoJson(@ForAll @LongRange(min = -70_000_000_000_000L, max = 300_000_000_000_000L) long millis) {
        assertThat(JsonText.text(json -> IsoTime.writeField(json, "t", millis)))
                .isEqualTo("{\"t\":\"" + Instant.ofEpochMilli(millis) + "\"}");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 999, 1_000, -1, 1_711_843_230_000L, 1_711_843_230_250L, 86_399_999, 86_400_000,
            -62_167_219_200_000L, -62_167_219_200_001L, 253_402_300_799_999L, 253_402_300_800_000L,
            Long.MAX_VALUE / 1_000, Long.MIN_VALUE / 1_000,
            951_782_400_000L, 951_868_799_999L, -2_203_977_600_000L, -2_203_891_200_000L, 4_107_542_400_000L,
            -11_670_998_400_000L, -62_130_499_200_000L, -62_130_499_200_001L, 253_402_214_400_000L})
    // leap days (2000, 1600, year 0), 1900 and 2100 without one, the first and last days of 0000-9999
    void edgesOfDaysAndYears(long millis) {
        assertThat(IsoTime.format(millis)).isEqualTo(Instant.ofEpochMilli(millis).toString());
    }
}
