package io.stormwatch.storm.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stormwatch.testing.CapturedLog;
import io.stormwatch.testing.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.logging.log4j.Level;
import org.apache.storm.state.KeyValueState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Redis state through an outage of a real {@code redis-server}, frozen with SIGSTOP and let go with
 * SIGCONT: a checkpoint started while Redis is frozen waits, says so once, and completes when Redis is back,
 * with every put and delete of the transaction in it (storm-redis alone drops them when its write fails).
 */
class OutageTolerantStateTest {

    private static final String NAMESPACE = "totals-1";
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        if (redis != null) {
            redis.resume();
            redis.close();
        }
    }

    @Test
    void aCheckpointDuringAnOutageWaitsLogsItOnceAndCommitsEverythingWhenRedisIsBack() throws Exception {
        Map<String, Object> backend = StateBackends.redis(new RedisEndpoint(redis.host(), redis.port(), null, 0, false, 300));
        KeyValueState<String, Object> state = state(backend);
        state.put("a", 1L);
        state.put("gone", "soon");
        state.prepareCommit(1);
        state.commit(1);
        state.put("b", 2L);
        state.delete("gone");

        try (CapturedLog log = CapturedLog.attach(Level.WARN, OutageTolerantState.class.getName())) {
            redis.pause();
            CompletableFuture<Void> checkpoint = CompletableFuture.runAsync(() -> {
                state.prepareCommit(2);
                state.commit(2);
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> log.lines().size() == 1);
            assertThat(checkpoint).as("waiting for Redis, not failed").isNotDone();
            assertThat(log.lines()).singleElement().asString()
                    .startsWith("Redis state '" + NAMESPACE + "' at redis://" + redis.host() + ":" + redis.port())
                    .contains("is unreachable");

            redis.resume();

            await().atMost(Duration.ofSeconds(30)).until(checkpoint::isDone);
            checkpoint.join();
            assertThat(log.lines()).hasSize(2);
            assertThat(log.lines().get(1)).contains("is reachable again after").contains("nothing lost");
        }
        KeyValueState<String, Object> restarted = state(backend);
        assertThat(restarted.get("a")).isEqualTo(1L);
        assertThat(restarted.get("b")).as("put before the outage, written after it").isEqualTo(2L);
        assertThat(restarted.get("gone")).as("deleted in the same transaction").isNull();
    }

    private static KeyValueState<String, Object> state(Map<String, Object> backend) {
        return TaskStates.totalsState(NAMESPACE, backend);
    }
}
