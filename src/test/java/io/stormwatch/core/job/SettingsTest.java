package io.stormwatch.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.window.WindowSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SettingsTest {

    static Stream<Arguments> windows() {
        return Stream.of(
                // job, configuration → window (ms): the configuration wins, then the job's defaults, then the engine's
                Arguments.of("log-analytics", Map.of(), new WindowSpec(30_000, 10_000, 5_000)),
                Arguments.of("top-urls", Map.of(), new WindowSpec(300_000, 1_000, 5_000)),
                Arguments.of("hashtags", Map.of(), new WindowSpec(300_000, 1_000, 5_000)),
                Arguments.of("word-count", Map.of(), new WindowSpec(1_000, 1_000, 0)),
                Arguments.of("top-urls", Map.of(Settings.WINDOW_SLIDE, "5s"), new WindowSpec(300_000, 5_000, 5_000)),
                Arguments.of("log-analytics", Map.of(Settings.WINDOW_LENGTH, "1m", Settings.WINDOW_LAG, "0s"),
                        new WindowSpec(60_000, 10_000, 0)));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("windows")
    void windowLayersConfigurationOverJobOverEngine(String job, Map<String, Object> conf, WindowSpec expected) {
        assertThat(Settings.window(Jobs.fromConfig(job, Map.of()), conf)).isEqualTo(expected);
    }

    @Test
    void windowOfAConfigurationAloneTakesTheEngineDefaults() {
        Map<String, Object> conf = new HashMap<>();
        conf.put(Settings.WINDOW_LENGTH, "2m");
        assertThat(Settings.window(conf)).isEqualTo(new WindowSpec(120_000, 10_000, 5_000));
    }

    @Test
    void aWindowThatDoesNotParseSaysWhich() {
        assertThatThrownBy(() -> Settings.window(Map.of(Settings.WINDOW_SLIDE, "soon")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("soon");
    }
}
