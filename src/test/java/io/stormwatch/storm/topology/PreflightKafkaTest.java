package io.stormwatch.storm.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.storm.spout.KafkaSettings;
import io.stormwatch.testing.CapturedLog;
import java.net.ServerSocket;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/** The checks of a Kafka source before a run: a mistake refuses the run, a broker that is down only warns. */
class PreflightKafkaTest {

    @Test
    void aBootstrapHostThatDoesNotResolveRefusesTheRun() {
        assertThatThrownBy(() -> Preflight.source("--source kafka:nohost.invalid:9092/t", "kafka:nohost.invalid:9092/t"))
                .isInstanceOf(Preflight.Failure.class)
                .hasMessageStartingWith("--source kafka:nohost.invalid:9092/t: ")
                .hasMessageContaining("nohost.invalid");
    }

    @Test
    void aBrokerThatDoesNotAnswerIsAWarningNotAFailure() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String spec = "kafka:127.0.0.1:" + closedPort + "/access";
        try (CapturedLog log = CapturedLog.attach(Level.WARN, Preflight.class.getName())) {
            Preflight.source("--source " + spec, spec);
            assertThat(log.lines()).singleElement().asString()
                    .contains("--source " + spec + ": no Kafka broker answers at 127.0.0.1:" + closedPort)
                    .contains("the source waits for one");
        }
    }

    @Test
    void aBadKafkaSettingRefusesALocalRunNamingTheKey() {
        Map<String, Object> conf = Map.of(StormwatchConfig.SOURCE, "kafka:127.0.0.1:1/t",
                KafkaSettings.FIRST_POLL, "whenever");
        assertThatThrownBy(() -> Preflight.local(conf, Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(KafkaSettings.FIRST_POLL);
    }
}
