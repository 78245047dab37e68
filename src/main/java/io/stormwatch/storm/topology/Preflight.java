package io.stormwatch.storm.topology;

import io.stormwatch.core.io.Checks;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.spout.KafkaSettings;
import io.stormwatch.storm.state.RedisCheck;
import io.stormwatch.storm.state.RedisEndpoint;
import io.stormwatch.storm.state.RedisStateProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.flux.model.BeanDef;
import org.apache.storm.flux.model.SpoutDef;
import org.apache.storm.flux.model.TopologyDef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a run's sources, outputs and state before its topology is built and started, so that a mistake is
 * one clear line and exit code 2 within seconds, not a stack trace after the cluster came up (or a run that
 * "succeeds" over a file that is not there). What is checked (the rules themselves are {@link Checks}' and
 * {@link RedisCheck}'s):
 * <ul>
 *   <li>{@code file:PATH} — exists, a regular file, readable;</li>
 *   <li>{@code spool:DIR} — exists, a directory, readable and writable;</li>
 *   <li>{@code tail:PATH} — its directory exists and is readable and writable; the file may appear later;</li>
 *   <li>{@code socket:HOST:PORT} — the host resolves; nothing need listen yet (the spout reconnects);</li>
 *   <li>{@code kafka:BOOTSTRAP/TOPIC} — each bootstrap host resolves; a broker that does not answer is a WARN
 *       line, not a failure (the spout waits for it, as for a topic not created yet);</li>
 *   <li>{@code jsonl:DIR} — a writable directory, or one that can be created;</li>
 *   <li>Redis, as state or output — resolves, connects within the endpoint's timeout (2 s), TLS handshake,
 *       AUTH with the password, SELECT of the database, PING.</li>
 * </ul>
 *
 * <p>Where each applies:
 * <ul>
 *   <li>{@link #local}: {@code stormwatch local} — everything, since the run is on this machine.</li>
 *   <li>{@link #flux}: {@code stormwatch flux} — the same, read from the parsed Flux file with its properties
 *       substituted: the spout made by {@link Sources#spout}, {@link JsonLinesSink} components and a
 *       {@link RedisStateProvider} state. A Redis sink is a component built from references, which is not
 *       worth unpicking here, and storm-redis's own state provider has a configuration of its own: neither is
 *       checked.</li>
 *   <li>{@link #cluster}: {@code storm jar … SubmitTopology} — only Redis, and only as warnings. The paths
 *       are on the worker machines, not the submitting one, so checking them here would be wrong both ways;
 *       and the submitting machine may not reach a Redis that the workers do (or the reverse), so an
 *       unreachable Redis is reported but does not stop the submission.</li>
 * </ul>
 */
public final class Preflight {

    /** A check that failed: what the user named ({@link #subject}) and why it is not usable. */
    public static final class Failure extends Exception {
        private final String subject;

        Failure(String subject, Checks.Failure failure) {
            super(subject + ": " + failure.getMessage(), failure.getCause() == null ? failure : failure.getCause());
            this.subject = subject;
        }

        /** What failed as the user gave it, e.g. {@code --state redis://nohost:1}. */
        public String subject() {
            return subject;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);
    private static final int BROKER_CONNECT_TIMEOUT_MILLIS = 2_000;

    private Preflight() {}

    /**
     * Checks everything an in-process run of {@code conf} reads and writes; the first failure is thrown.
     *
     * @param conf        the run's config ({@link StormwatchConfig#SOURCE}, {@link StormwatchConfig#STATE},
     *                    {@link StormwatchConfig#OUTPUTS}); unset keys are not checked
     * @param environment where the Redis password comes from
     * @param flags       for config keys the user set with a flag, that flag (e.g. {@code stormwatch.source →
     *                    --source}), so messages name what was typed; other keys are named as themselves
     * @throws IllegalArgumentException for a spec of no known form (as building the topology would)
     */
    public static void local(Map<String, Object> conf, Map<String, String> environment, Map<String, String> flags)
            throws Failure {
        String source = StormwatchConfig.string(conf, StormwatchConfig.SOURCE, null);
        if (source != null) {
            source(name(StormwatchConfig.SOURCE, flags) + " " + source, source);
            if (Sources.Spec.parse(source).kind() == Sources.Kind.KAFKA) {
                KafkaSettings.fromConfig(conf, environment); // a bad stormwatch.kafka.* value, named, before the run
            }
        }
        String state = StormwatchConfig.string(conf, StormwatchConfig.STATE, null);
        if (state != null) {
            RedisEndpoint redis = TopologyConfigs.redisState(state, environment);
            if (redis != null) {
                redis(name(StormwatchConfig.STATE, flags) + " " + state.trim(), redis, "$" + StormwatchConfig.REDIS_PASSWORD_ENV);
            }
        }
        String outputs = StormwatchConfig.string(conf, StormwatchConfig.OUTPUTS, null);
        if (outputs != null) {
            for (Outputs.Output output : Outputs.parse(outputs, environment)) {
                String subject = name(StormwatchConfig.OUTPUTS, flags) + " " + output.text();
                switch (output.kind()) {
                    case "jsonl" -> check(subject, () -> Checks.writableDirectory(output.directory()));
                    case "redis" -> redis(subject, output.redis(), "$" + StormwatchConfig.REDIS_PASSWORD_ENV);
                    default -> { }
                }
            }
        }
    }

    /**
     * Checks a source spec as {@link Sources#spout} will read it on this machine.
     *
     * @param subject how to name it in a message, e.g. {@code --source file:/var/log/x}
     */
    public static void source(String subject, String spec) throws Failure {
        Sources.Spec source = Sources.Spec.parse(spec);
        check(subject, () -> {
            switch (source.kind()) {
                case FILE -> Checks.readableFile(Path.of(source.path()));
                case SPOOL -> Checks.spoolDirectory(Path.of(source.path()));
                case TAIL -> Checks.tailedFile(Path.of(source.path()));
                case SOCKET -> Checks.resolvableHost(source.host());
                case KAFKA -> {
                    for (String server : source.bootstrapServers()) {
                        Checks.resolvableHost(server.substring(0, server.lastIndexOf(':')));
                    }
                }
            }
        });
        if (source.kind() == Sources.Kind.KAFKA) {
            warnIfNoBrokerAnswers(subject, source);
        }
    }

    /**
     * A broker that is down is not a mistake in the command: the spout waits for it (and logs so). Said here once
     * so that a user who forgot {@code stormwatch kafka up} knows at once.
     */
    private static void warnIfNoBrokerAnswers(String subject, Sources.Spec source) {
        List<String> refused = new ArrayList<>();
        for (String server : source.bootstrapServers()) {
            int colon = server.lastIndexOf(':');
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(server.substring(0, colon),
                        Integer.parseInt(server.substring(colon + 1))), BROKER_CONNECT_TIMEOUT_MILLIS);
                return;
            } catch (IOException e) {
                refused.add(server + " (" + e.getMessage() + ")");
            }
        }
        LOG.warn("{}: no Kafka broker answers at {}; starting anyway, the source waits for one", subject,
                String.join(", ", refused));
    }

    /**
     * Checks what a Flux topology run in-process reads and writes, as far as it can be told from the parsed
     * file (see the class comment); the first failure is thrown.
     *
     * @param def  the parsed Flux file, properties and environment substituted
     * @param conf its topology config ({@code FluxBuilder.buildConfig})
     */
    public static void flux(TopologyDef def, Map<String, Object> conf) throws Failure {
        for (SpoutDef spout : def.getSpouts() == null ? List.<SpoutDef>of() : def.getSpouts()) {
            if (Sources.class.getName().equals(spout.getClassName()) && "spout".equals(spout.getFactory())
                    && spout.getFactoryArgs() != null && !spout.getFactoryArgs().isEmpty()
                    && spout.getFactoryArgs().get(0) instanceof String spec) {
                source("spout '" + spout.getId() + "' " + spec, spec);
            }
        }
        for (BeanDef component : def.getComponents() == null ? List.<BeanDef>of() : def.getComponents()) {
            if (JsonLinesSink.class.getName().equals(component.getClassName()) && component.getConstructorArgs() != null
                    && !component.getConstructorArgs().isEmpty()
                    && component.getConstructorArgs().get(0) instanceof String dir) {
                check("component '" + component.getId() + "' " + dir, () -> Checks.writableDirectory(Path.of(dir)));
            }
        }
        if (RedisStateProvider.class.getName().equals(conf.get(Config.TOPOLOGY_STATE_PROVIDER))) {
            RedisEndpoint endpoint;
            try {
                endpoint = RedisStateProvider.endpoint(conf.get(Config.TOPOLOGY_STATE_PROVIDER_CONFIG));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(Config.TOPOLOGY_STATE_PROVIDER_CONFIG + ": " + e.getMessage(), e);
            }
            redis(Config.TOPOLOGY_STATE_PROVIDER_CONFIG + " " + endpoint, endpoint,
                    "the \"password\" of " + Config.TOPOLOGY_STATE_PROVIDER_CONFIG);
        }
    }

    /**
     * Checks the Redis servers of a submission's state and outputs from the submitting machine and returns what
     * failed, for warnings (see the class comment for why not errors, and why no paths).
     *
     * @throws IllegalArgumentException for a spec of no known form (as building the topology would)
     */
    public static List<Failure> cluster(Map<String, Object> conf, Map<String, String> environment) {
        List<Failure> failures = new ArrayList<>();
        String password = "$" + StormwatchConfig.REDIS_PASSWORD_ENV;
        String state = StormwatchConfig.string(conf, StormwatchConfig.STATE, null);
        RedisEndpoint stateRedis = state == null ? null : TopologyConfigs.redisState(state, environment);
        if (stateRedis != null) {
            try {
                redis(StormwatchConfig.STATE + " " + state.trim(), stateRedis, password);
            } catch (Failure e) {
                failures.add(e);
            }
        }
        String outputs = StormwatchConfig.string(conf, StormwatchConfig.OUTPUTS, null);
        for (Outputs.Output output : outputs == null ? List.<Outputs.Output>of() : Outputs.parse(outputs, environment)) {
            if (output.redis() != null) {
                try {
                    redis(StormwatchConfig.OUTPUTS + " " + output.text(), output.redis(), password);
                } catch (Failure e) {
                    failures.add(e);
                }
            }
        }
        return failures;
    }

    private static void redis(String subject, RedisEndpoint endpoint, String passwordSource) throws Failure {
        check(subject, () -> RedisCheck.check(endpoint, passwordSource));
    }

    private interface Check {
        void run() throws Checks.Failure;
    }

    private static void check(String subject, Check check) throws Failure {
        try {
            check.run();
        } catch (Checks.Failure e) {
            throw new Failure(subject, e);
        }
    }

    private static String name(String key, Map<String, String> flags) {
        return flags.getOrDefault(key, key);
    }
}
