package io.stormwatch.storm.topology;

import io.stormwatch.storm.bolt.TupleTypes;
import io.stormwatch.storm.spout.KafkaSettings;
import io.stormwatch.storm.state.RedisEndpoint;
import io.stormwatch.storm.state.StateBackends;
import java.util.Map;
import org.apache.storm.Config;

/**
 * The Storm config a stormwatch topology needs on top of the user's: things without which it would not
 * start, would fail only once tuples really cross workers, or would crawl.
 */
public final class TopologyConfigs {

    /**
     * Checkpoint interval when the user sets none. The totals bolt's acks wait for the checkpoint that
     * covers them, so at most {@code max.spout.pending} blocks pass per checkpoint: with Storm's 1 s default
     * acks arrive in bursts a second apart and lines wait a second for theirs.
     */
    static final int DEFAULT_CHECKPOINT_INTERVAL_MILLIS = 100;
    /**
     * In-flight blocks per spout task when the user sets none. The totals' acks wait for the checkpoint that
     * covers them, so at most this many blocks pass per checkpoint interval: at low rates blocks are single
     * lines (2,000 lines per 100 ms), at high rates they grow (up to 1,024 lines each) and the spouts' own
     * bound in lines ({@code withMaxInFlight}) limits memory first.
     */
    static final int DEFAULT_MAX_SPOUT_PENDING = 2_000;

    /**
     * How an executor with nothing to do waits, when the user sets nothing: parked, where Storm's default,
     * {@code WaitStrategyProgressive}, spins and yields first, and on a small machine each idle executor (sinks,
     * acker, an idle window bolt) then burns a tenth of a core that the busy ones lack. Even parked 100 µs at a
     * time an idle executor takes about a tenth of a core, so executors that are woken when input comes for
     * them park longer ({@link WakeableParkWaitStrategy}).
     */
    static final String WAIT_STRATEGY = WakeableParkWaitStrategy.class.getName();
    /**
     * A bolt parks up to 1 ms: stormwatch's own emits wake the bolts they go to ({@link ExecutorWakeups}), so the
     * park bounds only Storm's acks and checkpoints and tuples from another worker.
     */
    static final int BOLT_WAIT_PARK_MICROS = 1_000;
    /** A spout parks 100 µs, since a file or a tailed file has nothing to wake it when a line comes. */
    static final int SPOUT_WAIT_PARK_MICROS = 100;

    private TopologyConfigs() {}

    /**
     * The config to submit a job with:
     * <ul>
     *   <li>everything in {@code conf}, over stormwatch's defaults for a checkpoint every
     *       {@value #DEFAULT_CHECKPOINT_INTERVAL_MILLIS} ms, {@value #DEFAULT_MAX_SPOUT_PENDING} blocks in
     *       flight per spout task and idle executors that park rather than spin;</li>
     *   <li>Kryo registrations of every class the tuples carry ({@link TupleTypes}, Storm's checkpoint action
     *       included);</li>
     *   <li>the state backend from {@link StormwatchConfig#STATE}: {@code memory} (default) or
     *       {@code redis://HOST:PORT[/DB]} ({@code rediss://} for TLS), with the password from
     *       {@link StormwatchConfig#REDIS_PASSWORD_ENV};</li>
     *   <li>the Kafka source's secrets from the environment ({@link KafkaSettings#secrets}).</li>
     * </ul>
     *
     * @param environment where secrets come from ({@code System.getenv()} outside tests)
     */
    public static Config forJob(Map<String, Object> conf, Map<String, String> environment) {
        Config config = new Config();
        config.put(Config.TOPOLOGY_STATE_CHECKPOINT_INTERVAL, DEFAULT_CHECKPOINT_INTERVAL_MILLIS);
        config.put(Config.TOPOLOGY_MAX_SPOUT_PENDING, DEFAULT_MAX_SPOUT_PENDING);
        config.put(Config.TOPOLOGY_BOLT_WAIT_STRATEGY, WAIT_STRATEGY);
        config.put(Config.TOPOLOGY_BOLT_WAIT_PARK_MICROSEC, BOLT_WAIT_PARK_MICROS);
        config.put(Config.TOPOLOGY_SPOUT_WAIT_STRATEGY, WAIT_STRATEGY);
        config.put(Config.TOPOLOGY_SPOUT_WAIT_PARK_MICROSEC, SPOUT_WAIT_PARK_MICROS);
        config.putAll(conf);
        config.putAll(KafkaSettings.secrets(conf, environment));
        TupleTypes.register(config);
        config.putAll(stateBackend(StormwatchConfig.string(conf, StormwatchConfig.STATE, "memory"), environment));
        return config;
    }

    /** {@code memory} or {@code redis[s]://HOST:PORT[/DB]} (password from the environment). */
    public static Map<String, Object> stateBackend(String spec, Map<String, String> environment) {
        RedisEndpoint redis = redisState(spec, environment);
        return redis == null ? StateBackends.inMemory() : StateBackends.redis(redis);
    }

    /**
     * The Redis server of a {@link StormwatchConfig#STATE} spec, or null for {@code memory}.
     *
     * @throws IllegalArgumentException for a spec that is neither
     */
    public static RedisEndpoint redisState(String spec, Map<String, String> environment) {
        String trimmed = spec.trim();
        if (trimmed.equals("memory")) {
            return null;
        }
        if (trimmed.startsWith("redis://") || trimmed.startsWith("rediss://")) {
            return RedisEndpoint.parse(trimmed, environment.get(StormwatchConfig.REDIS_PASSWORD_ENV));
        }
        throw new IllegalArgumentException(StormwatchConfig.STATE + " must be 'memory', redis://HOST:PORT[/DB] or rediss://HOST:PORT[/DB], got '" + spec + "'");
    }
}
