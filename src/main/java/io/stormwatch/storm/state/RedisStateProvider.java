package io.stormwatch.storm.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.List;
import org.apache.storm.Config;
import org.apache.storm.redis.common.container.RedisContainer;
import org.apache.storm.redis.state.RedisKeyValueState;
import org.apache.storm.state.DefaultStateSerializer;
import org.apache.storm.state.State;
import org.apache.storm.state.StateProvider;
import org.apache.storm.task.TopologyContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPool;

/**
 * Storm {@link StateProvider} for {@code KeyValueState} in Redis, with TLS: storm-redis's
 * {@link RedisKeyValueState} (same Redis keys, same transactions, same serialization) over a connection
 * pool from {@link RedisEndpoint#newPool}. It replaces storm-redis's {@code RedisKeyValueStateProvider},
 * which cannot connect with TLS and logs the whole topology configuration, password included, when it
 * fails.
 *
 * <p>Configuration, in {@code topology.state.provider.config} as JSON (what {@link StateBackends#redis}
 * writes):
 * <pre>
 * {"host":"redis.internal","port":6380,"database":1,"timeout":2000,"tls":true,"password":"..."}
 * </pre>
 * {@code host} is required; {@code port} defaults to 6379, {@code database} to 0, {@code timeout}
 * (connect and socket, milliseconds) to 2000, {@code tls} to false, {@code password} to none. Unknown
 * fields are refused, so that a misspelt one is not silently ignored. For TLS the JVM must trust the
 * server's certificate (its default trust store or {@code -Djavax.net.ssl.trustStore=...}, on a cluster in
 * {@code topology.worker.childopts}) and the certificate must name the host: see {@link RedisEndpoint#newPool}.
 *
 * <p>Keys and values are serialized exactly as storm-redis's provider does by default (Storm's
 * {@link DefaultStateSerializer}: Kryo with the topology's registrations), so state written through either
 * provider reads back through the other. The namespace is Storm's ({@code componentId-taskId} for a stateful
 * bolt): the hash {@code <namespace>} holds committed entries, {@code <namespace>$prepare} a prepared
 * transaction, {@code <namespace>$txid} the transaction ids.
 *
 * <p>When the state cannot be created (bad configuration, Redis unreachable, authentication refused, TLS
 * handshake failed) it logs one error naming the namespace, the endpoint (password masked) and the cause,
 * and throws {@link IllegalStateException} with the same message: never the password, never the topology
 * configuration. The worker then fails to start, as with storm-redis. Once created, the state waits out an
 * outage of Redis instead of failing ({@link OutageTolerantState}).
 */
public final class RedisStateProvider implements StateProvider {

    private static final Logger LOG = LoggerFactory.getLogger(RedisStateProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> FIELDS = List.of("host", "port", "database", "timeout", "tls", "password");

    /** The JSON configuration for {@code endpoint}, which {@link #newState} reads back. */
    static String providerConfig(RedisEndpoint endpoint) {
        ObjectNode config = JSON.createObjectNode()
                .put("host", endpoint.host())
                .put("port", endpoint.port())
                .put("database", endpoint.database())
                .put("timeout", endpoint.timeoutMillis())
                .put("tls", endpoint.tls());
        if (endpoint.password() != null) {
            config.put("password", endpoint.password());
        }
        return config.toString();
    }

    @Override
    public State newState(String namespace, Map<String, Object> topoConf, TopologyContext context) {
        RedisEndpoint endpoint;
        try {
            endpoint = endpoint(topoConf.get(Config.TOPOLOGY_STATE_PROVIDER_CONFIG));
        } catch (IllegalArgumentException e) {
            throw failure("Cannot create the Redis state '" + namespace + "': bad " + Config.TOPOLOGY_STATE_PROVIDER_CONFIG
                    + ": " + e.getMessage(), e);
        }
        JedisPool pool = endpoint.newPool("stormwatch-state");
        try {
            // Reads the transaction ids at once, so an unreachable server or a refused password fails here.
            return new OutageTolerantState<>(new RedisKeyValueState<>(namespace, new RedisContainer(pool),
                    new DefaultStateSerializer<>(topoConf, context), new DefaultStateSerializer<>(topoConf, context)),
                    "'" + namespace + "' at " + endpoint);
        } catch (RuntimeException e) {
            pool.close();
            throw failure("Cannot create the Redis state '" + namespace + "' at " + endpoint + ": " + causes(e), e);
        }
    }

    private static IllegalStateException failure(String message, Exception cause) {
        LOG.error(message);
        return new IllegalStateException(message, cause);
    }

    /** Parses the configuration; messages name fields, never values (one of them is the password). */
    public static RedisEndpoint endpoint(Object providerConfig) {
        if (!(providerConfig instanceof String json) || json.isBlank()) {
            throw new IllegalArgumentException("missing; it must be a JSON object with at least \"host\"");
        }
        JsonNode config;
        try {
            config = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            // Jackson's own message can quote the text, password included; the position is enough.
            throw new IllegalArgumentException("not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        }
        if (!config.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        for (Iterator<String> names = config.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field \"" + name + "\"; known: " + FIELDS);
            }
        }
        return new RedisEndpoint(text(config, "host"),
                number(config, "port", RedisEndpoint.DEFAULT_PORT),
                config.has("password") ? text(config, "password") : null,
                number(config, "database", 0),
                flag(config, "tls"),
                number(config, "timeout", RedisEndpoint.DEFAULT_TIMEOUT_MILLIS));
    }

    private static String text(JsonNode config, String field) {
        JsonNode value = config.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("\"" + field + "\" must be a string");
        }
        return value.asText();
    }

    private static int number(JsonNode config, String field, int absent) {
        JsonNode value = config.get(field);
        if (value == null) {
            return absent;
        }
        if (!value.isInt()) {
            throw new IllegalArgumentException("\"" + field + "\" must be an integer");
        }
        return value.intValue();
    }

    private static boolean flag(JsonNode config, String field) {
        JsonNode value = config.get(field);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("\"" + field + "\" must be true or false");
        }
        return value.booleanValue();
    }

    /** The messages along the cause chain, outermost first, without repeats: Jedis wraps the useful one. */
    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : ": ").append(message);
            }
        }
        return text.toString();
    }
}
