package io.stormwatch.storm.state;

import java.io.Serializable;
import javax.net.ssl.SSLParameters;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;

/**
 * How to reach a Redis server, for the state backend and the Redis sink. The password is a secret: it
 * comes from the configuration or the environment, {@link #toString()} never shows it, and nothing here
 * logs it.
 *
 * <p>{@link #newPool} is the one way stormwatch connects to Redis (the state provider and the sink alike);
 * {@link #connect} makes a single connection the same way, for checks.
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

    /**
     * Parses {@code redis://HOST[:PORT][/DB]} ({@code rediss://} for TLS). A password never goes in the URL,
     * where command lines and configs would show it: pass it separately, e.g. from the environment.
     *
     * @param password AUTH password, or null/empty for none
     */
    public static RedisEndpoint parse(String url, String password) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("not a Redis URL: '" + url + "' (expected redis://HOST:PORT[/DB])");
        }
        String scheme = uri.getScheme();
        if (!"redis".equals(scheme) && !"rediss".equals(scheme) || uri.getHost() == null) {
            throw new IllegalArgumentException("not a Redis URL: '" + url + "' (expected redis://HOST:PORT[/DB])");
        }
        if (uri.getUserInfo() != null) {
            throw new IllegalArgumentException("put no password in a Redis URL; set it in the environment instead");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        int database;
        try {
            database = path.isEmpty() ? 0 : Integer.parseInt(path);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Redis database must be a number: '" + url + "'");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return new RedisEndpoint(host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), password, database,
                "rediss".equals(scheme), DEFAULT_TIMEOUT_MILLIS);
    }

    /**
     * A new connection pool to this server; the caller closes it. Nothing connects until a connection is
     * borrowed. Each connection authenticates with the password, selects the database and names itself
     * {@code clientName} (visible in {@code CLIENT LIST}).
     *
     * <p>With {@link #tls} the server's certificate must chain to a certificate authority the JVM trusts:
     * its default trust store, or the one given by the standard system properties
     * {@code -Djavax.net.ssl.trustStore=PATH -Djavax.net.ssl.trustStorePassword=... -Djavax.net.ssl.trustStoreType=PKCS12}
     * (on a Storm cluster, in {@code topology.worker.childopts}). The certificate must also name {@link #host}
     * (a DNS or IP subject alternative name): the host name is verified as HTTPS does, which Jedis does not
     * do by default. Client certificates (Redis {@code tls-auth-clients yes}) come from the standard
     * {@code javax.net.ssl.keyStore} properties the same way.
     */
    public JedisPool newPool(String clientName) {
        // Jedis's pool defaults test idle connections, so one dropped by a firewall is replaced, not borrowed.
        return new JedisPool(new JedisPoolConfig(), new HostAndPort(host, port), clientConfig(clientName));
    }

    /**
     * One new connection to this server, made as {@link #newPool}'s are (TLS, authenticated, database
     * selected, named {@code clientName}), for a single short exchange such as {@link RedisCheck}'s; the caller
     * closes it.
     *
     * @throws redis.clients.jedis.exceptions.JedisException when the server cannot be reached, the TLS
     *         handshake fails, or AUTH, SELECT or CLIENT SETNAME is refused
     */
    public Jedis connect(String clientName) {
        return new Jedis(new HostAndPort(host, port), clientConfig(clientName));
    }

    private DefaultJedisClientConfig clientConfig(String clientName) {
        DefaultJedisClientConfig.Builder client = DefaultJedisClientConfig.builder()
                .timeoutMillis(timeoutMillis)
                .database(database)
                .clientName(clientName)
                .ssl(tls);
        if (tls) {
            SSLParameters verifyHostName = new SSLParameters();
            verifyHostName.setEndpointIdentificationAlgorithm("HTTPS");
            client.sslParameters(verifyHostName);
        }
        if (password != null) {
            client.password(password);
        }
        return client.build();
    }

    @Override
    public String toString() {
        return (tls ? "rediss://" : "redis://") + (password == null ? "" : "***@") + host + ':' + port + '/' + database;
    }
}
