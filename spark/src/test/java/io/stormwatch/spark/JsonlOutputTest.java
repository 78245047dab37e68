package io.stormwatch.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.probe.ProgressMessage;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --output}: {@code jsonl:DIR}, optionally with the compare probe's {@code progress:HOST:PORT}. */
class JsonlOutputTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "out|-|-",
        "out,progress:127.0.0.1:9000|127.0.0.1|9000",
        "a/b,progress:localhost:1|localhost|1",
    })
    void parses(String rest, String host, Integer port) {
        JsonlOutput output = JsonlOutput.parse("jsonl:" + tmp.resolve(rest));
        String dir = rest.contains(",") ? rest.substring(0, rest.indexOf(',')) : rest;
        assertThat(output.dir()).isEqualTo(tmp.resolve(dir));
        assertThat(output.progress()).isEqualTo(host == null ? null : new ProgressMessage.Address(host, port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "jsonl:", "progress:127.0.0.1:9000", "log", "jsonl:out,log", "jsonl:out,progress:h",
        "jsonl:out,progress:h:0"})
    void refusesTheRest(String spec) {
        assertThatThrownBy(() -> JsonlOutput.parse(spec.replace("out", tmp.resolve("out").toString())))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
