package io.stormwatch.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.job.statuscodes.StatusCodes;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins down {@link Jobs}: the names it knows, that each name gives the job of that name configured from the
 * {@code stormwatch.*} keys, and the message for a name it does not know.
 */
class JobsTest {

    @Test
    void knowsEveryJob() {
        assertThat(Jobs.NAMES).contains("log-analytics", "status-codes", "top-urls", "word-count", "hashtags");
    }

    @ParameterizedTest
    @MethodSource("io.stormwatch.core.job.Jobs#names")
    void eachNameGivesTheJobOfThatName(String name) {
        assertThat(Jobs.fromConfig(name, Map.of()).name()).isEqualTo(name);
    }

    @Test
    void theJobIsConfiguredFromTheStormwatchKeys() {
        Map<String, Object> conf = Map.of("stormwatch.format", "common", "stormwatch.max.line.length", 500,
                "stormwatch.stats.clients.over", "3", "stormwatch.stats.top.endpoints", 5);

        assertThat(Jobs.fromConfig("log-analytics", conf)).isEqualTo(new LogAnalytics("common", 500, 3, 5));
        assertThat(Jobs.fromConfig("status-codes", conf)).isEqualTo(new StatusCodes("common", 500));
    }

    @Test
    void anUnknownNameIsRefusedWithTheKnownOnes() {
        assertThatThrownBy(() -> Jobs.fromConfig("no-such-job", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown job 'no-such-job'; known: " + String.join(", ", Jobs.NAMES));
    }

    @Test
    void aBadSettingIsRefused() {
        assertThatThrownBy(() -> Jobs.fromConfig("status-codes", Map.of("stormwatch.max.line.length", "lots")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stormwatch.max.line.length");
    }
}
