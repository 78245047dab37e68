package io.stormwatch.storm.topology;

import io.stormwatch.storm.bolt.TupleTypes;
import io.stormwatch.storm.bolt.WindowStatsBolt;
import io.stormwatch.storm.state.RedisEndpoint;
import io.stormwatch.storm.state.StateBackends;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.spout.CheckPointState;

/**
 * The Storm config a stormwatch topology needs on top of the user's: things without which it would not
 * start or would fail only once tuples really cross workers.
 */
public final class TopologyConfigs {

    /**
     * Checkpoint interval when the user sets none. The totals bolt's acks wait for the checkpoint that
     * covers them, so at most {@code max.spout.pending} lines pass per checkpoint: Storm's 1 s default
     * caps a topology at about 5,000 lines/s and acks arrive in bursts (see the page's "Measured").
     */
    static final int DEFAULT_CHECKPOINT_INTERVAL_MILLIS = 100;
    /**
     * In-flight lines per spout task when the user sets none: the file spouts' own bound. Unbounded, the heap
     * grows with the backlog; lower, the checkpoint cadence caps throughput at this many lines per interval.
     */
    static final int DEFAULT_MAX_SPOUT_PENDING = 10_000;

    /** Storm's own default message timeout. */
    private static final int STORM_DEFAULT_TIMEOUT_SECS = 30;

    private TopologyConfigs() {}

    /**
     * The config to submit log-analytics with:
     * <ul>
     *   <li>everything in {@code conf}, over stormwatch's defaults for a checkpoint every
     *       {@value #DEFAULT_CHECKPOINT_INTERVAL_MILLIS} ms and {@value #DEFAULT_MAX_SPOUT_PENDING} lines in
     *       flight per spout task;</li>
     *   <li>{@code topology.message.timeout.secs} raised to what the window needs when lower
     *       ({@link WindowStatsBolt#minMessageTimeoutSecs}): Storm's windowed bolt refuses to start otherwise;</li>
     *   <li>Kryo registrations of every class the tuples carry (records, panes, windows, totals, and
     *       Storm's own checkpoint action);</li>
     *   <li>the state backend from {@link StormwatchConfig#STATE}: {@code memory} (default) or
     *       {@code redis://HOST:PORT[/DB]} ({@code rediss://} for TLS), with the password from
     *       {@link StormwatchConfig#REDIS_PASSWORD_ENV}.</li>
     * </ul>
     *
     * @param environment where secrets come from ({@code System.getenv()} outside tests)
     */
    public static Config logAnalytics(Map<String, Object> conf, LogAnalyticsOptions options,
            Map<String, String> environment) {
        Config config = new Config();
        config.put(Config.TOPOLOGY_STATE_CHECKPOINT_INTERVAL, DEFAULT_CHECKPOINT_INTERVAL_MILLIS);
        config.put(Config.TOPOLOGY_MAX_SPOUT_PENDING, DEFAULT_MAX_SPOUT_PENDING);
        config.putAll(conf);
        int needed = WindowStatsBolt.minMessageTimeoutSecs(options.window());
        Object configured = conf.get(Config.TOPOLOGY_MESSAGE_TIMEOUT_SECS);
        int timeout = configured == null ? STORM_DEFAULT_TIMEOUT_SECS : ((Number) configured).intValue();
        config.setMessageTimeoutSecs(Math.max(timeout, needed));
        TupleTypes.register(config);
        // Storm's own checkpoint tuples (stateful topologies) carry this enum, and Storm does not register it:
        // without it they fail as soon as they are really serialized (two workers, or the test flag).
        config.registerSerialization(CheckPointState.Action.class);
        config.putAll(stateBackend(StormwatchConfig.string(conf, StormwatchConfig.STATE, "memory"), environment));
        return config;
    }

    /** {@code memory} or {@code redis[s]://HOST:PORT[/DB]} (password from the environment). */
    public static Map<String, Object> stateBackend(String spec, Map<String, String> environment) {
        String trimmed = spec.trim();
        if (trimmed.equals("memory")) {
            return StateBackends.inMemory();
        }
        if (trimmed.startsWith("redis://") || trimmed.startsWith("rediss://")) {
            return StateBackends.redis(RedisEndpoint.parse(trimmed, environment.get(StormwatchConfig.REDIS_PASSWORD_ENV)));
        }
        throw new IllegalArgumentException(StormwatchConfig.STATE + " must be 'memory', redis://HOST:PORT[/DB] or rediss://HOST:PORT[/DB], got '" + spec + "'");
    }
}
