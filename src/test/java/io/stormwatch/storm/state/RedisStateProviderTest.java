package io.stormwatch.storm.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stormwatch.testing.CapturedLog;
import io.stormwatch.testing.RedisServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Property;
import org.apache.storm.Config;
import org.apache.storm.redis.state.RedisKeyValueStateProvider;
import org.apache.storm.state.KeyValueState;
import org.apache.storm.state.StateFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Against two real redis-servers that require a password, one plain-text and one TLS-only. State is made
 * the way a worker makes it, through Storm's {@link StateFactory} with the entries of
 * {@link StateBackends#redis}.
 *
 * <p>The provider trusts TLS servers through the JVM's default trust store, as in production: this class
 * points {@code javax.net.ssl.trustStore} at the test server's certificate before any TLS connection (the
 * JVM reads it once, at the first; surefire runs each test class in a JVM of its own) and restores it after.
 */
class RedisStateProviderTest {

    private static final String PASSWORD = "provider-secret";
    private static final String WRONG_PASSWORD = "not-the-provider-secret";
    private static final String NAMESPACE = "totals-1";

    private static RedisServer plain;
    private static RedisServer tls;
    private static RedisServer.SystemTrust trust;

    @BeforeAll
    static void startRedis() throws IOException {
        plain = RedisServer.start(PASSWORD);
        tls = RedisServer.startTls(PASSWORD);
        trust = tls.trustInThisJvm();
    }

    @AfterAll
    static void stopRedis() {
        if (trust != null) {
            trust.close();
        }
        if (tls != null) {
            tls.close();
        }
        if (plain != null) {
            plain.close();
        }
    }

    @Test
    void committedStateReadsBackFromANewStateWithPasswordAndDatabase() {
        Map<String, Object> backend = StateBackends.redis(new RedisEndpoint(plain.host(), plain.port(), PASSWORD, 3, false, 2000));
        flush(plain, 3);

        KeyValueState<String, Object> written = state(backend);
        written.put("stats", 42L);
        written.put("offsets/a.log", List.of(1L, 2L));
        written.prepareCommit(1);
        written.commit(1);
        written.put("uncommitted", "lost on rollback");
        written.prepareCommit(2);

        KeyValueState<String, Object> restarted = state(backend);
        restarted.rollback();
        assertThat(restarted.get("stats")).isEqualTo(42L);
        assertThat(restarted.get("offsets/a.log")).isEqualTo(List.of(1L, 2L));
        assertThat(restarted.get("uncommitted")).isNull();
        try (Jedis jedis = plain.client()) {
            jedis.select(3);
            assertThat(jedis.exists(NAMESPACE)).as("storm-redis's hash <namespace> in database 3").isTrue();
        }
    }

    @Test
    void committedStateReadsBackOverTls() {
        Map<String, Object> backend = StateBackends.redis(new RedisEndpoint(tls.host(), tls.port(), PASSWORD, 0, true, 2000));
        flush(tls, 0);

        KeyValueState<String, Object> written = state(backend);
        written.put("stats", "over TLS");
        written.prepareCommit(1);
        written.commit(1);

        assertThat(state(backend).get("stats")).isEqualTo("over TLS");
        try (Jedis jedis = tls.client()) {
            assertThat(jedis.hlen(NAMESPACE)).isEqualTo(1);
        }
    }

    @Test
    void aTlsCertificateThatDoesNotNameTheHostIsRefused() {
        // The test certificate names 127.0.0.1 only; localhost reaches the same server under another name.
        Map<String, Object> backend = StateBackends.redis(new RedisEndpoint("localhost", tls.port(), PASSWORD, 0, true, 2000));

        assertThat(catchThrowable(() -> state(backend)))
                .hasStackTraceContaining("Cannot create the Redis state '" + NAMESPACE + "' at rediss://***@localhost:")
                .hasStackTraceContaining("No name matching localhost found");
    }

    @Test
    void tlsToAPlainTextServerFailsClearly() {
        Map<String, Object> backend = StateBackends.redis(new RedisEndpoint(plain.host(), plain.port(), PASSWORD, 0, true, 500));

        assertThat(catchThrowable(() -> state(backend)))
                .hasStackTraceContaining("Cannot create the Redis state '" + NAMESPACE + "' at rediss://***@127.0.0.1:" + plain.port() + "/0");
    }

    @Test
    void aWrongPasswordFailsWithoutShowingAnyPassword() {
        Map<String, Object> backend = StateBackends.redis(new RedisEndpoint(plain.host(), plain.port(), WRONG_PASSWORD, 0, false, 2000));
        Throwable failure;
        String logged;
        try (CapturedLog log = CapturedLog.attach(Level.WARN, "")) {
            failure = catchThrowable(() -> state(backend));
            logged = log.text();
        }

        assertThat(failure).hasStackTraceContaining("Cannot create the Redis state '" + NAMESPACE + "' at redis://***@127.0.0.1:"
                + plain.port() + "/0").hasStackTraceContaining("WRONGPASS");
        assertThat(logged).as("what Storm and the provider logged")
                .contains("Cannot create the Redis state '" + NAMESPACE + "'").contains("WRONGPASS");
        assertThat(List.of(stackTrace(failure), logged)).allSatisfy(text ->
                assertThat(text).doesNotContain(WRONG_PASSWORD).doesNotContain(PASSWORD).doesNotContain(Config.TOPOLOGY_STATE_PROVIDER_CONFIG + "="));
    }

    @Test
    void stateWrittenByStormRedisProviderReadsBackHereAndTheOtherWayRound() {
        RedisEndpoint endpoint = new RedisEndpoint(plain.host(), plain.port(), PASSWORD, 4, false, 2000);
        Map<String, Object> ours = StateBackends.redis(endpoint);
        Map<String, Object> stormRedis = Map.of(
                Config.TOPOLOGY_STATE_PROVIDER, RedisKeyValueStateProvider.class.getName(),
                Config.TOPOLOGY_STATE_PROVIDER_CONFIG, "{\"jedisPoolConfig\":{\"host\":\"" + plain.host() + "\",\"port\":"
                        + plain.port() + ",\"timeout\":2000,\"database\":4,\"password\":\"" + PASSWORD + "\"}}");
        flush(plain, 4);

        KeyValueState<String, Object> byStormRedis = state(stormRedis);
        byStormRedis.put("written-by", "storm-redis");
        byStormRedis.prepareCommit(1);
        byStormRedis.commit(1);
        KeyValueState<String, Object> byUs = state(ours);
        assertThat(byUs.get("written-by")).isEqualTo("storm-redis");

        byUs.put("written-by", "stormwatch");
        byUs.put("count", 7L);
        byUs.prepareCommit(2);
        byUs.commit(2);
        KeyValueState<String, Object> readByStormRedis = state(stormRedis);
        assertThat(readByStormRedis.get("written-by")).isEqualTo("stormwatch");
        assertThat(readByStormRedis.get("count")).isEqualTo(7L);
    }

    @Test
    void theConfigurationRoundTripsEveryField() {
        RedisEndpoint withEverything = new RedisEndpoint("redis.internal", 6380, "pw", 2, true, 1500);
        RedisEndpoint withDefaults = RedisEndpoint.of("h", 6379);

        assertThat(RedisStateProvider.endpoint(RedisStateProvider.providerConfig(withEverything))).isEqualTo(withEverything);
        assertThat(RedisStateProvider.endpoint(RedisStateProvider.providerConfig(withDefaults))).isEqualTo(withDefaults);
        assertThat(RedisStateProvider.endpoint("{\"host\":\"h\"}")).as("every field but host has a default").isEqualTo(withDefaults);
    }

    @Test
    void badConfigurationIsRefusedByFieldNameWithoutItsValues() {
        assertThatThrownBy(() -> RedisStateProvider.endpoint(null)).hasMessageContaining("missing");
        assertThatThrownBy(() -> RedisStateProvider.endpoint("{\"host\":\"h\",\"passwd\":\"" + PASSWORD + "\"}"))
                .hasMessageContaining("unknown field \"passwd\"").message().doesNotContain(PASSWORD);
        assertThatThrownBy(() -> RedisStateProvider.endpoint("{\"host\":\"h\",\"password\":" + PASSWORD + "}"))
                .hasMessageContaining("not valid JSON (line 1, column").message().doesNotContain(PASSWORD);
        assertThatThrownBy(() -> RedisStateProvider.endpoint("{\"host\":\"h\",\"port\":\"6379\"}"))
                .hasMessageContaining("\"port\" must be an integer");
        assertThatThrownBy(() -> RedisStateProvider.endpoint("{\"port\":6379}")).hasMessageContaining("\"host\" must be a string");
    }

    @Test
    void aMissingConfigurationFailsTheStateNamingTheKey() {
        Map<String, Object> conf = Map.of(Config.TOPOLOGY_STATE_PROVIDER, RedisStateProvider.class.getName());

        assertThat(catchThrowable(() -> state(conf))).hasStackTraceContaining(
                "Cannot create the Redis state '" + NAMESPACE + "': bad " + Config.TOPOLOGY_STATE_PROVIDER_CONFIG + ": missing");
    }

    private static KeyValueState<String, Object> state(Map<String, Object> backend) {
        return TaskStates.totalsState(NAMESPACE, backend);
    }

    private static void flush(RedisServer redis, int database) {
        try (Jedis jedis = redis.client()) {
            jedis.select(database);
            jedis.flushDB();
        }
    }

    private static String stackTrace(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
