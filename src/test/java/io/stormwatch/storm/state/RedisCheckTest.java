package io.stormwatch.storm.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stormwatch.core.io.Checks;
import io.stormwatch.testing.RedisServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.Jedis;

/**
 * {@link RedisCheck} against real redis-servers: one that requires a password, one without, one TLS-only;
 * each way of getting it wrong gives its own one-line reason.
 */
class RedisCheckTest {

    private static final String PASSWORD = "check-secret";
    private static final String FROM = "$STORMWATCH_REDIS_PASSWORD";

    private static RedisServer guarded;
    private static RedisServer open;
    private static RedisServer tls;
    private static int closedPort;
    private static RedisServer.SystemTrust trust;

    @BeforeAll
    static void startRedis() throws IOException {
        guarded = RedisServer.start(PASSWORD);
        open = RedisServer.start();
        tls = RedisServer.startTls(PASSWORD);
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        // The run's connections trust a TLS server through the standard properties; so does the check.
        trust = tls.trustInThisJvm();
    }

    @AfterAll
    static void stopRedis() {
        if (trust != null) {
            trust.close();
        }
        for (RedisServer server : new RedisServer[] {guarded, open, tls}) {
            if (server != null) {
                server.close();
            }
        }
    }

    private static RedisEndpoint endpoint(String host, int port, String password, int database, boolean useTls) {
        return new RedisEndpoint(host, port, password, database, useTls, RedisEndpoint.DEFAULT_TIMEOUT_MILLIS);
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("no such host", endpoint("nohost.invalid", 6379, null, 0, false),
                        "cannot resolve host 'nohost.invalid'"),
                Arguments.of("a closed port", endpoint("127.0.0.1", closedPort, null, 0, false),
                        "cannot connect to 127.0.0.1:" + closedPort + ": connection refused"),
                Arguments.of("a wrong password", endpoint(guarded.host(), guarded.port(), "wrong", 0, false),
                        "authentication failed: wrong password (from " + FROM + ")"),
                Arguments.of("no password where one is required", endpoint(guarded.host(), guarded.port(), null, 0, false),
                        "the server requires a password: set " + FROM),
                Arguments.of("a password where none is set", endpoint(open.host(), open.port(), PASSWORD, 0, false),
                        "the server has no password, but " + FROM + " gives one"),
                Arguments.of("a database out of range", endpoint(guarded.host(), guarded.port(), PASSWORD, 99, false),
                        "database 99 cannot be selected (out of the server's range)"),
                Arguments.of("TLS to a certificate that does not name the host", endpoint("localhost", tls.port(), PASSWORD, 0, true),
                        "TLS handshake with localhost:" + tls.port() + " failed: "),
                Arguments.of("plain text to a TLS port", endpoint(tls.host(), tls.port(), PASSWORD, 0, false),
                        "127.0.0.1:" + tls.port() + " "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void aServerThatCannotBeUsedIsOneReason(String name, RedisEndpoint endpoint, String reason) {
        assertThatThrownBy(() -> RedisCheck.check(endpoint, FROM))
                .isInstanceOf(Checks.Failure.class)
                .hasMessageStartingWith(reason)
                .hasMessageNotContaining(PASSWORD)
                .message().doesNotContain("\n");
    }

    static Stream<Arguments> usable() {
        return Stream.of(
                Arguments.of("the right password", endpoint(guarded.host(), guarded.port(), PASSWORD, 3, false)),
                Arguments.of("no password where none is set", endpoint(open.host(), open.port(), null, 0, false)),
                Arguments.of("TLS with the right password", endpoint(tls.host(), tls.port(), PASSWORD, 0, true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usable")
    void aUsableServerPasses(String name, RedisEndpoint endpoint) {
        assertThatCode(() -> RedisCheck.check(endpoint, FROM)).doesNotThrowAnyException();
    }

    @Test
    void theCheckLeavesNoConnectionOpen() throws Checks.Failure {
        RedisCheck.check(endpoint(guarded.host(), guarded.port(), PASSWORD, 0, false), FROM);
        // The server notices a closed socket on its next turn: wait for that, not for a fixed time.
        try (Jedis jedis = guarded.client()) {
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(jedis.clientList()).doesNotContain("name=" + RedisCheck.CLIENT_NAME));
        }
    }
}
