package io.stormwatch.storm.state;

import io.stormwatch.core.io.Checks;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Whether a Redis server can be used as {@link RedisEndpoint} describes it, asked once before a run starts:
 * the host resolves, a TCP connection opens within the endpoint's timeout (2 s by default), the TLS
 * handshake succeeds (for {@code rediss://}), AUTH accepts the password when there is one, the database index
 * can be selected, and PING answers. The connection is made by {@link RedisEndpoint#connect}, exactly as the
 * run's own connections are, and closed at once.
 *
 * <p>A failure is a {@link Checks.Failure} whose message is one short reason, e.g.
 * {@code cannot connect to 127.0.0.1:6390: connection refused} or
 * {@code authentication failed: wrong password (from $STORMWATCH_REDIS_PASSWORD)}; its cause is Jedis's
 * exception. Messages never contain the password.
 */
public final class RedisCheck {

    /** The name the check's connection gives itself ({@code CLIENT LIST}). */
    static final String CLIENT_NAME = "stormwatch-check";

    private RedisCheck() {}

    /**
     * @param endpoint       the server
     * @param passwordSource where the password comes from, for the messages about it, e.g.
     *                       {@code $STORMWATCH_REDIS_PASSWORD}
     */
    public static void check(RedisEndpoint endpoint, String passwordSource) throws Checks.Failure {
        // Resolved first: Jedis reports an unknown host as a bare "Failed to connect to any host resolved".
        Checks.resolvableHost(endpoint.host());
        String address = endpoint.host() + ":" + endpoint.port();
        try (Jedis jedis = endpoint.connect(CLIENT_NAME)) {
            String pong = jedis.ping();
            if (!"PONG".equals(pong)) {
                throw new Checks.Failure(address + " answered PING with '" + pong + "', not PONG");
            }
        } catch (JedisConnectionException e) {
            throw new Checks.Failure(connectionProblem(endpoint, address, e), e);
        } catch (JedisDataException e) {
            throw new Checks.Failure(refusal(endpoint, passwordSource, e), e);
        } catch (JedisException e) {
            throw new Checks.Failure(address + ": " + e.getMessage(), e);
        }
    }

    private static String connectionProblem(RedisEndpoint endpoint, String address, JedisConnectionException e) {
        if (find(e, UnknownHostException.class) != null) {
            return "cannot resolve host '" + endpoint.host() + "'";
        }
        if (find(e, ConnectException.class) != null) {
            return "cannot connect to " + address + ": connection refused";
        }
        if (find(e, SocketTimeoutException.class) != null) {
            return "cannot connect to " + address + ": no answer within " + endpoint.timeoutMillis() + " ms"
                    + (endpoint.tls() ? "" : " (a TLS port? then use rediss://)");
        }
        SSLException tls = find(e, SSLException.class);
        if (tls != null) {
            return "TLS handshake with " + address + " failed: " + tls.getMessage();
        }
        // E.g. a plain-text client at a TLS port: the server closes the connection ("Unexpected end of stream").
        return address + " did not answer as Redis: " + e.getMessage()
                + (endpoint.tls() ? "" : " (a TLS port? then use rediss://)");
    }

    /**
     * The first {@code type} among {@code e}'s causes and suppressed exceptions: Jedis reports a refused
     * connection as "Failed to connect to HOST:PORT." with the {@link ConnectException} suppressed, not as its cause.
     */
    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        if (e == null) {
            return null;
        }
        if (type.isInstance(e)) {
            return type.cast(e);
        }
        for (Throwable suppressed : e.getSuppressed()) {
            T found = find(suppressed, type);
            if (found != null) {
                return found;
            }
        }
        return e.getCause() == e ? null : find(e.getCause(), type);
    }

    private static String refusal(RedisEndpoint endpoint, String passwordSource, JedisDataException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.startsWith("WRONGPASS") || message.contains("invalid password")) {
            return "authentication failed: wrong password (from " + passwordSource + ")";
        }
        if (message.startsWith("NOAUTH")) {
            return "the server requires a password: set " + passwordSource;
        }
        if (message.contains("without any password configured") || message.contains("no password is set")) {
            return "the server has no password, but " + passwordSource + " gives one";
        }
        if (message.contains("DB index is out of range")) {
            return "database " + endpoint.database() + " cannot be selected (out of the server's range)";
        }
        return "the server refused: " + message;
    }
}
