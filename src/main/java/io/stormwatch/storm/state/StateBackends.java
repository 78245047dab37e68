package io.stormwatch.storm.state;

import java.util.HashMap;
import java.util.Map;
import org.apache.storm.Config;

/**
 * The topology configuration entries that choose where stateful bolts keep their {@code KeyValueState}:
 * {@code topology.state.provider} and {@code topology.state.provider.config}. Put the returned entries
 * into the topology {@code Config}.
 *
 * <ul>
 *   <li>{@link #inMemory()}: {@link MemoryKeyValueStateProvider}, Storm's default in-memory state with
 *       checkpoints that cost what changed since the last one instead of a copy of everything; state lives
 *       in the worker and dies with it. For tests and one-shot local runs.</li>
 *   <li>{@link #redis}: {@link RedisStateProvider}, storm-redis's {@code RedisKeyValueState} over a
 *       connection that can use TLS; state survives worker restarts and topology resubmission (namespace
 *       {@code componentId-taskId}: keep names and parallelism).</li>
 * </ul>
 *
 * <p>The password travels inside the topology configuration, readable by whoever can read that (Nimbus,
 * the Storm UI's configuration view, the workers): give the state a Redis user of its own where that
 * matters. Nothing stormwatch logs shows it.
 */
public final class StateBackends {

    private StateBackends() {}

    /**
     * State in the worker's memory: {@code topology.state.provider =
     * io.stormwatch.storm.state.MemoryKeyValueStateProvider}. Behaves as Storm's default
     * ({@code InMemoryKeyValueStateProvider}), whose every checkpoint copies the whole state.
     */
    public static Map<String, Object> inMemory() {
        Map<String, Object> conf = new HashMap<>();
        conf.put(Config.TOPOLOGY_STATE_PROVIDER, MemoryKeyValueStateProvider.class.getName());
        return conf;
    }

    /**
     * State in Redis at {@code endpoint}, e.g. for {@code rediss://redis.internal:6380/1} with a password:
     * <pre>
     * topology.state.provider        = io.stormwatch.storm.state.RedisStateProvider
     * topology.state.provider.config = {"host":"redis.internal","port":6380,"database":1,"timeout":2000,"tls":true,"password":"..."}
     * </pre>
     * With TLS the workers' JVMs must trust the server's certificate: see {@link RedisEndpoint#newPool}.
     */
    public static Map<String, Object> redis(RedisEndpoint endpoint) {
        Map<String, Object> conf = new HashMap<>();
        conf.put(Config.TOPOLOGY_STATE_PROVIDER, RedisStateProvider.class.getName());
        conf.put(Config.TOPOLOGY_STATE_PROVIDER_CONFIG, RedisStateProvider.providerConfig(endpoint));
        return conf;
    }
}
