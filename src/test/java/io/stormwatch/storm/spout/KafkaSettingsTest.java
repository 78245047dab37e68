package io.stormwatch.storm.spout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.kafka.spout.FirstPollOffsetStrategy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** How {@code stormwatch.kafka.*} keys and the environment become the Kafka source's settings. */
class KafkaSettingsTest {

    @Test
    void defaultsNameTheGroupAfterTheTopology() {
        KafkaSettings settings = KafkaSettings.fromConfig(Map.of(Config.TOPOLOGY_NAME, "log-analytics"), Map.of());
        assertThat(settings.group()).isEqualTo("stormwatch-log-analytics");
        assertThat(settings.firstPoll()).isEqualTo(FirstPollOffsetStrategy.UNCOMMITTED_EARLIEST);
        assertThat(settings.pollTimeoutMs()).isEqualTo(50);
        assertThat(settings.commitPeriodMs()).isEqualTo(1_000);
        assertThat(settings.refreshMs()).isEqualTo(2_000);
        assertThat(settings.consumer()).containsEntry("allow.auto.create.topics", "false")
                .containsEntry("default.api.timeout.ms", "5000").containsEntry("request.timeout.ms", "5000");
    }

    @Test
    void keysAndConsumerPropertiesArePassedThroughAndSecretsComeFromTheEnvironment() {
        Map<String, Object> conf = new HashMap<>();
        conf.put(KafkaSettings.GROUP, "dashboards");
        conf.put(KafkaSettings.FIRST_POLL, "latest");
        conf.put(KafkaSettings.POLL_TIMEOUT_MS, "250");
        conf.put(KafkaSettings.COMMIT_PERIOD_MS, 2_000);
        conf.put(KafkaSettings.MAX_UNCOMMITTED, "1_000");
        conf.put(KafkaSettings.REFRESH_MS, 10_000L);
        conf.put("stormwatch.kafka.consumer.security.protocol", "SASL_SSL");
        conf.put("stormwatch.kafka.consumer.sasl.mechanism", "SCRAM-SHA-512");
        conf.put("stormwatch.kafka.consumer.default.api.timeout.ms", 30_000);
        conf.put("stormwatch.kafka.consumer.request.timeout.ms", 30_000);
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"s3cret\";";
        Map<String, String> env = Map.of("STORMWATCH_KAFKA_SASL_JAAS_CONFIG", jaas,
                "STORMWATCH_KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit");

        KafkaSettings settings = KafkaSettings.fromConfig(conf, env);

        assertThat(settings.group()).isEqualTo("dashboards");
        assertThat(settings.firstPoll()).isEqualTo(FirstPollOffsetStrategy.LATEST);
        assertThat(settings.pollTimeoutMs()).isEqualTo(250);
        assertThat(settings.commitPeriodMs()).isEqualTo(2_000);
        assertThat(settings.maxUncommitted()).isEqualTo(1_000);
        assertThat(settings.refreshMs()).isEqualTo(10_000);
        assertThat(settings.consumer()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("default.api.timeout.ms", "30000")
                .containsEntry("sasl.jaas.config", jaas).containsEntry("ssl.truststore.password", "changeit");
        assertThat(settings.toString()).doesNotContain("s3cret").doesNotContain("changeit").contains("SASL_SSL");

        // The submitter puts the secrets into the topology config, unless the config has them already.
        assertThat(KafkaSettings.secrets(Map.of("stormwatch.kafka.consumer.ssl.truststore.password", "x"), env))
                .containsOnlyKeys("stormwatch.kafka.consumer.sasl.jaas.config");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "stormwatch.kafka.first.poll | sometimes | EARLIEST, LATEST",
        "stormwatch.kafka.poll.timeout.ms | soon | must be a whole number",
        "stormwatch.kafka.commit.period.ms | 0 | must be positive",
        "stormwatch.kafka.group | ' ' | is empty",
        "stormwatch.kafka.consumer.enable.auto.commit | true | committed once their lines are acked",
        "stormwatch.kafka.consumer.group.id | g | use stormwatch.kafka.group",
        "stormwatch.kafka.consumer.bootstrap.servers | h:1 | from the source spec"})
    void badValuesAreRefusedNamingTheKey(String key, String value, String message) {
        assertThatThrownBy(() -> KafkaSettings.fromConfig(Map.of(key, value), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key).hasMessageContaining(message);
    }
}
