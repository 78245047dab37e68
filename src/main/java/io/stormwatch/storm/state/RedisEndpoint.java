package io.stormwatch.storm.state;

import java.io.Serializable;

/**
 * How to reach a Redis server, for the state backend and the Redis sink. The password is a secret: it
 * comes from the configuration or the environment, {@link #toString()} never shows it, and nothing here
 * logs it.
 *
 * @param host          host name or address
 * @param port          TCP port
 * @param password      AUTH password, or null for none
 * @param database      database index
 * @param tls           connect with TLS
 * @param timeoutMillis connect and socket timeout
 */
public record RedisEndpoint(String host, int port, String password, int database, boolean tls, int timeoutMillis)
        implements Serializable {

    public static final int DEFAULT_PORT = 6379;
    public static final int DEFAULT_TIMEOUT_MILLIS = 2000;

    public RedisEndpoint {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("Redis host is empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Redis port out of range: " + port);
        }
        if (database < 0) {
            throw new IllegalArgumentException("Redis database index is negative: " + database);
        }
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("Redis timeout must be positive: " + timeoutMillis);
        }
        if (password != null && password.isEmpty()) {
            password = null;
        }
    }

    /** No password, database 0, no TLS, the default timeout. */
    public static RedisEndpoint of(String host, int port) {
        return new RedisEndpoint(host, port, null, 0, false, DEFAULT_TIMEOUT_MILLIS);
    }

    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + (password == null ? "" : "***@") + host + ':' + port + '/' + database;
    }
}
