package io.stormwatch.storm.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.redis.state.RedisKeyValueStateProvider;
import org.apache.storm.state.InMemoryKeyValueStateProvider;

/**
 * The topology configuration entries that choose where stateful bolts keep their {@code KeyValueState}:
 * {@code topology.state.provider} and {@code topology.state.provider.config}. Put the returned entries
 * into the topology {@code Config}.
 *
 * <ul>
 *   <li>{@link #inMemory()}: Storm's default; state lives in the worker and dies with it. For tests and
 *       one-shot local runs.</li>
 *   <li>{@link #redis}: storm-redis's {@code RedisKeyValueStateProvider}; state survives worker restarts
 *       and topology resubmission (namespace {@code componentId-taskId}: keep names and parallelism).</li>
 * </ul>
 *
 * <p>storm-redis 2.8.3 connects without TLS only (its {@code JedisPoolConfig} has host, port, timeout,
 * database and password, nothing else), so a TLS endpoint is refused here rather than silently connected
 * in plain text. The password travels inside the topology configuration, readable by whoever can read
 * that, and {@code RedisKeyValueStateProvider} logs the whole topology configuration when it fails to
 * create a state: give the state a Redis user and network of its own where that matters.
 */
public final class StateBackends {

    private static final ObjectMapper JSON = new ObjectMapper();

    private StateBackends() {}

    public static Map<String, Object> inMemory() {
        Map<String, Object> conf = new HashMap<>();
        conf.put(Config.TOPOLOGY_STATE_PROVIDER, InMemoryKeyValueStateProvider.class.getName());
        return conf;
    }

    /** @throws IllegalArgumentException for a TLS endpoint, which storm-redis's state provider cannot use */
    public static Map<String, Object> redis(RedisEndpoint endpoint) {
        if (endpoint.tls()) {
            throw new IllegalArgumentException("Storm's Redis state provider (storm-redis 2.8.3) cannot connect with TLS;"
                    + " use a plain-text Redis endpoint for state, or the in-memory state");
        }
        ObjectNode pool = JSON.createObjectNode()
                .put("host", endpoint.host())
                .put("port", endpoint.port())
                .put("timeout", endpoint.timeoutMillis())
                .put("database", endpoint.database());
        if (endpoint.password() != null) {
            pool.put("password", endpoint.password());
        }
        ObjectNode providerConfig = JSON.createObjectNode();
        providerConfig.set("jedisPoolConfig", pool);
        Map<String, Object> conf = new HashMap<>();
        conf.put(Config.TOPOLOGY_STATE_PROVIDER, RedisKeyValueStateProvider.class.getName());
        conf.put(Config.TOPOLOGY_STATE_PROVIDER_CONFIG, providerConfig.toString());
        return conf;
    }
}
