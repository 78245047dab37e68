package io.stormwatch.storm.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * {@link RedisRetry#call}: a Redis still away while getting ready for a retry (the restaging of a delete reads the
 * key) is one more failed attempt, not an exception out of the call — out of a bolt it would halt the worker.
 */
class RedisRetryTest {

    @Test
    void aConnectionFailureWhileGettingReadyForARetryIsRetriedToo() {
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger preparations = new AtomicInteger();
        RedisRetry retry = new RedisRetry(RedisRetryTest.class, "test Redis");

        String result = retry.call(() -> {
            if (attempts.incrementAndGet() == 1) {
                throw new JedisConnectionException("refused");
            }
            return "done";
        }, () -> {
            if (preparations.incrementAndGet() == 1) {
                throw new JedisConnectionException("still refused");
            }
        });

        assertThat(result).isEqualTo("done");
        assertThat(attempts).hasValue(2);
        assertThat(preparations).hasValue(2);
    }
}
