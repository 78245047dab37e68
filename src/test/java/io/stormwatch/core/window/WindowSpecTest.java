package io.stormwatch.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WindowSpecTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "500ms, 500",
        "30s, 30000",
        "10s, 10000",
        "2m, 120000",
        "1h, 3600000",
        "1d, 86400000",
        "' 15S ', 15000",
        "0s, 0",
    })
    void parsesDurations(String text, long millis) {
        assertThat(WindowSpec.parseDuration(text)).isEqualTo(millis);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "30", "s", "-5s", "1.5s", "10 sec", "3w", "99999999999999999999s"})
    void rejectsNonDurations(String text) {
        assertThatThrownBy(() -> WindowSpec.parseDuration(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "length {0}, slide {1}, lag {2}")
    @CsvSource({
        "25000, 10000, 0",   // not a multiple of the slide
        "0, 10000, 0",
        "10000, 0, 0",
        "10000, -10000, 0",
        "30000, 10000, -1",
        "2147483000, 1000, 0", // length + slide beyond Storm's int milliseconds
    })
    void rejectsInconsistentSpecs(long length, long slide, long lag) {
        assertThatThrownBy(() -> new WindowSpec(length, slide, lag)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "event at {0} ms is in the pane ending {1}")
    @CsvSource({
        "1, 10000",
        "9999, 10000",
        "10000, 10000",   // a pane's end belongs to it: (0, 10000]
        "10001, 20000",
        "0, 0",
        "-1, 0",
        "-10000, -10000",
        "-10001, -10000",
    })
    void paneEndIsTheSmallestSlideMultipleNotBelowTheTime(long time, long paneEnd) {
        assertThat(WindowSpec.parse("30s", "10s", "0s").paneEnd(time)).isEqualTo(paneEnd);
    }
}
