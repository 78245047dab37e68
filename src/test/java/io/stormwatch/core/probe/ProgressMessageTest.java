package io.stormwatch.core.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The progress protocol: what parses, to what, and what is refused. */
class ProgressMessageTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "n 0|n|0",
        "n 1|n|1",
        "n 123456789012|n|123456789012",
        "w 1711843230000|w|1711843230000",
        "w -5|w|-5",
    })
    void parses(String line, char kind, long value) {
        ProgressMessage message = ProgressMessage.parse(line);
        assertThat(message).isEqualTo(new ProgressMessage(kind, value));
        assertThat(message.text()).isEqualTo(line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "n", "n ", "n1", "x 1", "n 1.5", "n 1 ", " n 1", "N 1", "w abc", "n 99999999999999999999"})
    void refusesAnythingElse(String line) {
        assertThatThrownBy(() -> ProgressMessage.parse(line)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a progress message");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "progress:127.0.0.1:9999|127.0.0.1|9999",
        "progress:localhost:1|localhost|1",
        "progress:::1:65535|::1|65535",
    })
    void parsesAddresses(String spec, String host, int port) {
        assertThat(ProgressMessage.address(spec)).isEqualTo(new ProgressMessage.Address(host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"progress:", "progress:host", "progress:host:", "progress::80", "progress:h:0",
        "progress:h:65536", "progress:h:x", "jsonl:/tmp", "progress"})
    void refusesOtherAddresses(String spec) {
        assertThatThrownBy(() -> ProgressMessage.address(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("progress:HOST:PORT");
    }
}
