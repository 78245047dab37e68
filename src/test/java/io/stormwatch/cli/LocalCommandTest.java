package io.stormwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.storm.topology.StormwatchConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code local}'s own decisions before any cluster starts: configuration errors and which outputs it uses. */
class LocalCommandTest {

    @Test
    void aMalformedOverrideIsOneLineAndExitCode2() {
        CliRun run = CliRun.of("local", "log-analytics", "--source", "file:data/access-sample.log", "-c", "nokey");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly("stormwatch local: expected key=value, got 'nokey'");
    }

    @Test
    void aMissingConfigFileIsOneLineAndExitCode2() {
        CliRun run = CliRun.of("local", "log-analytics", "--source", "file:data/access-sample.log", "--conf", "/nonexistent.yaml");

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err().lines()).containsExactly("stormwatch local: config file /nonexistent.yaml: no such file");
    }

    @Test
    void outputFlagsWinOverTheConfigAndTheConfigIsUsedWithoutThem() {
        Map<String, Object> conf = Map.of(StormwatchConfig.OUTPUTS, "log, jsonl:/from/conf,redis://h:6379");

        assertThat(LocalCommand.chosenOutputs(List.of("jsonl:/from/flag"), conf)).containsExactly("jsonl:/from/flag");
        assertThat(LocalCommand.chosenOutputs(List.of(), conf)).containsExactly("jsonl:/from/conf", "redis://h:6379");
        assertThat(LocalCommand.chosenOutputs(List.of(), Map.of())).isEmpty();
    }
}
