package io.stormwatch.storm.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.topology.Outputs;
import io.stormwatch.storm.topology.StormwatchConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Outputs}, here beside the sinks it makes, so that it can look at their package-private settings. */
class OutputsTest {

    private static final WindowSpec WINDOW = WindowSpec.parse("30s", "10s", "5s");

    @Test
    void eachOutputBecomesASinkWithItsComponentId(@TempDir Path tmp) {
        Map<String, ResultSink> sinks = Outputs.sinks("log, jsonl:" + tmp + ",redis://127.0.0.1:6379/2,jsonl:" + tmp.resolve("b"),
                io.stormwatch.core.job.statuscodes.StatusCodes.fromConfig(Map.of()), WINDOW, Map.of());

        assertThat(sinks).containsOnlyKeys("sink-log", "sink-jsonl", "sink-redis", "sink-jsonl-2");
        assertThat(sinks.get("sink-log")).isInstanceOf(LogSink.class);
        assertThat(sinks.get("sink-jsonl")).hasToString("json-lines " + tmp.toAbsolutePath());
        assertThat(sinks.get("sink-jsonl-2")).hasToString("json-lines " + tmp.resolve("b").toAbsolutePath());
        RedisSink redis = (RedisSink) sinks.get("sink-redis");
        assertThat(redis.keyPrefix()).isEqualTo("stormwatch:status-codes");
        assertThat(redis.windowTtl()).isEqualTo(Duration.ofMinutes(2));
    }

    @ParameterizedTest
    @CsvSource({"5s, 60", "15s, 60", "16s, 64", "30s, 120", "1h, 14400"})
    void aWindowsRedisKeysLiveFourWindowLengthsAndAtLeastAMinute(String length, long seconds) {
        WindowSpec window = WindowSpec.parse(length, length, "0s");
        assertThat(Outputs.windowTtl(window)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void redisKeysOfEachJobHaveTheirOwnPrefix() {
        assertThat(Outputs.redisKeyPrefix("log-analytics")).isEqualTo("stormwatch:log-analytics");
        assertThat(Outputs.redisKeyPrefix("word-count")).isEqualTo("stormwatch:word-count");
        assertThatThrownBy(() -> Outputs.redisKeyPrefix("a:b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Outputs.redisKeyPrefix("two words")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRedisPasswordComesFromTheEnvironmentAndIsNotShown() {
        Map<String, ResultSink> sinks = Outputs.sinks("rediss://redis.example:6380/1", LogAnalytics.defaults(), WINDOW,
                Map.of(StormwatchConfig.REDIS_PASSWORD_ENV, "pa55word"));

        assertThat(sinks.get("sink-redis")).hasToString("redis rediss://***@redis.example:6380/1 prefix stormwatch:log-analytics");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " , ", "kafka://x", "jsonl:", "redis://:6379", "redis://user:pw@host:6379", "logs",
        "progress:", "progress:host", "progress:host:0", "progress:host:x"})
    void aBadSpecIsRejected(String spec) {
        assertThatThrownBy(() -> Outputs.sinks(spec, LogAnalytics.defaults(), WINDOW, Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aProgressOutputIsASinkForWindowsAndNamesTheHook() {
        Map<String, ResultSink> sinks = Outputs.sinks("log,progress:127.0.0.1:9000", LogAnalytics.defaults(), WINDOW, Map.of());

        assertThat(sinks).containsOnlyKeys("sink-log", "sink-progress");
        assertThat(sinks.get("sink-progress")).isInstanceOf(ProgressSink.class).hasToString("progress:127.0.0.1:9000");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "-", value = {
        "progress:127.0.0.1:9000|true", "log, progress:h:1|true", "log,jsonl:out|false", "-|false", "jsonl:progress:x|false",
    })
    void aProgressOutputIsRecognised(String spec, boolean progress) {
        assertThat(Outputs.hasProgress(spec)).isEqualTo(progress);
    }
}
