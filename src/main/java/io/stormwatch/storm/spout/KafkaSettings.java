package io.stormwatch.storm.spout;

import io.stormwatch.core.job.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.storm.Config;
import org.apache.storm.kafka.spout.FirstPollOffsetStrategy;

/**
 * How the Kafka source consumes, from the topology config ({@code stormwatch.kafka.*}) and, for secrets, the
 * environment. Read by {@link KafkaBlockSpout} when it opens (so a Flux file's or {@code -c} settings apply as
 * well as {@code stormwatch local}'s), and checked up front by the submitters.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #GROUP}</td><td>{@code stormwatch-<topology name>}</td><td>consumer group: where offsets are
 *       committed, so a resubmitted topology resumes there</td></tr>
 *   <tr><td>{@value #FIRST_POLL}</td><td>{@code UNCOMMITTED_EARLIEST}</td><td>where a partition starts:
 *       {@code EARLIEST}, {@code LATEST} (always, ignoring commits) or {@code UNCOMMITTED_EARLIEST},
 *       {@code UNCOMMITTED_LATEST} (the committed offset, else the earliest/latest)</td></tr>
 *   <tr><td>{@value #POLL_TIMEOUT_MS}</td><td>50</td><td>longest wait of one poll (storm-kafka-client's default is
 *       200): a block is emitted once a poll comes back empty, so at low rates this is what a line may wait</td></tr>
 *   <tr><td>{@value #COMMIT_PERIOD_MS}</td><td>1000</td><td>how often acked offsets are committed</td></tr>
 *   <tr><td>{@value #MAX_UNCOMMITTED}</td><td>100,000</td><td>a partition stops being polled with this many
 *       offsets polled and not committed</td></tr>
 *   <tr><td>{@value #REFRESH_MS}</td><td>2000</td><td>how often the topic's partitions are looked up (a topic
 *       created later, partitions added)</td></tr>
 *   <tr><td>{@value #CONSUMER_PREFIX}{@code <property>}</td><td></td><td>any Kafka consumer property, e.g.
 *       {@code stormwatch.kafka.consumer.security.protocol=SASL_SSL},
 *       {@code stormwatch.kafka.consumer.sasl.mechanism=SCRAM-SHA-512},
 *       {@code stormwatch.kafka.consumer.ssl.truststore.location=/etc/kafka/truststore.jks}</td></tr>
 * </table>
 *
 * <p>Secrets never go in files or on command lines: {@code sasl.jaas.config} and the SSL passwords come from
 * the environment ({@link #SECRET_ENV}, e.g. {@code STORMWATCH_KAFKA_SASL_JAAS_CONFIG}); the submitter puts them
 * into the topology config as the Redis password is ({@link #secrets}), and a worker that has them in its own
 * environment uses those. {@link #toString()} hides them.
 *
 * <p>Consumer defaults stormwatch sets unless given: {@code allow.auto.create.topics=false} (a typo in the topic
 * must not create one with default partitions) and {@code default.api.timeout.ms=5000},
 * {@code request.timeout.ms=5000} (a broker that is down blocks the spout's thread this long per metadata look-up,
 * not a minute). {@code enable.auto.commit} is refused:
 * offsets are committed once their lines are acked.
 *
 * @param group            consumer group id
 * @param firstPoll        first-poll offset strategy
 * @param pollTimeoutMs    poll timeout
 * @param commitPeriodMs   commit period
 * @param maxUncommitted   max uncommitted offsets per partition
 * @param refreshMs        partition refresh period
 * @param consumer         consumer properties passed through (secrets included)
 */
public record KafkaSettings(String group, FirstPollOffsetStrategy firstPoll, long pollTimeoutMs, long commitPeriodMs,
        int maxUncommitted, long refreshMs, Map<String, Object> consumer) {

    public static final String PREFIX = "stormwatch.kafka.";
    public static final String GROUP = PREFIX + "group";
    public static final String FIRST_POLL = PREFIX + "first.poll";
    public static final String POLL_TIMEOUT_MS = PREFIX + "poll.timeout.ms";
    public static final String COMMIT_PERIOD_MS = PREFIX + "commit.period.ms";
    public static final String MAX_UNCOMMITTED = PREFIX + "max.uncommitted.offsets";
    public static final String REFRESH_MS = PREFIX + "partition.refresh.ms";
    public static final String CONSUMER_PREFIX = PREFIX + "consumer.";

    /** Consumer properties that hold secrets, with the environment variable each comes from. */
    public static final Map<String, String> SECRET_ENV = secretEnv();

    private static final List<String> NOT_PASSED = List.of("enable.auto.commit", "bootstrap.servers", "group.id",
            "key.deserializer", "value.deserializer");

    public KafkaSettings {
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException(GROUP + " is empty");
        }
        positive(POLL_TIMEOUT_MS, pollTimeoutMs);
        positive(COMMIT_PERIOD_MS, commitPeriodMs);
        positive(MAX_UNCOMMITTED, maxUncommitted);
        positive(REFRESH_MS, refreshMs);
        consumer = Map.copyOf(consumer);
    }

    private static Map<String, String> secretEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String property : List.of("sasl.jaas.config", "ssl.truststore.password", "ssl.keystore.password",
                "ssl.key.password")) {
            env.put(property, "STORMWATCH_KAFKA_" + property.replace('.', '_').toUpperCase(Locale.ROOT));
        }
        return Map.copyOf(env);
    }

    /**
     * The settings of {@code conf}, with secrets missing from it taken from {@code environment}.
     *
     * @throws IllegalArgumentException for a value of the wrong form, naming the key
     */
    public static KafkaSettings fromConfig(Map<String, Object> conf, Map<String, String> environment) {
        String topologyName = Settings.string(conf, Config.TOPOLOGY_NAME, "topology");
        Map<String, Object> consumer = new TreeMap<>();
        consumer.put("allow.auto.create.topics", "false");
        consumer.put("default.api.timeout.ms", "5000");
        consumer.put("request.timeout.ms", "5000"); // no longer than the above, or Kafka's admin client refuses
        conf.forEach((key, value) -> {
            if (key.startsWith(CONSUMER_PREFIX) && value != null) {
                String property = key.substring(CONSUMER_PREFIX.length());
                if (NOT_PASSED.contains(property)) {
                    throw new IllegalArgumentException(key + ": " + property + " is set by stormwatch ("
                            + (property.equals("group.id") ? "use " + GROUP : property.equals("enable.auto.commit")
                                    ? "offsets are committed once their lines are acked" : "from the source spec")
                            + ")");
                }
                consumer.put(property, String.valueOf(value));
            }
        });
        SECRET_ENV.forEach((property, variable) -> {
            String secret = environment.get(variable);
            if (secret != null && !secret.isEmpty()) {
                consumer.putIfAbsent(property, secret);
            }
        });
        return new KafkaSettings(
                Settings.string(conf, GROUP, "stormwatch-" + topologyName),
                firstPoll(Settings.string(conf, FIRST_POLL, FirstPollOffsetStrategy.UNCOMMITTED_EARLIEST.name())),
                Settings.wholeNumber(conf, POLL_TIMEOUT_MS, 50),
                Settings.wholeNumber(conf, COMMIT_PERIOD_MS, 1_000),
                Settings.integer(conf, MAX_UNCOMMITTED, 100_000),
                Settings.wholeNumber(conf, REFRESH_MS, 2_000),
                consumer);
    }

    /**
     * The secrets of {@code environment} as config keys ({@value #CONSUMER_PREFIX}{@code <property>}), for the
     * submitter to put into the topology config; keys {@code conf} sets already are left out.
     */
    public static Map<String, Object> secrets(Map<String, Object> conf, Map<String, String> environment) {
        Map<String, Object> secrets = new TreeMap<>();
        SECRET_ENV.forEach((property, variable) -> {
            String secret = environment.get(variable);
            if (secret != null && !secret.isEmpty() && !conf.containsKey(CONSUMER_PREFIX + property)) {
                secrets.put(CONSUMER_PREFIX + property, secret);
            }
        });
        return secrets;
    }

    private static FirstPollOffsetStrategy firstPoll(String text) {
        String name = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (FirstPollOffsetStrategy strategy : FirstPollOffsetStrategy.values()) {
            if (strategy.name().equals(name)) {
                return strategy;
            }
        }
        throw new IllegalArgumentException(FIRST_POLL + " must be EARLIEST, LATEST, UNCOMMITTED_EARLIEST or"
                + " UNCOMMITTED_LATEST, got '" + text + "'");
    }

    private static void positive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    /** The settings with secret values shown as {@code ***}. */
    @Override
    public String toString() {
        Map<String, Object> shown = new TreeMap<>(consumer);
        shown.replaceAll((property, value) -> SECRET_ENV.containsKey(property) || property.contains("password")
                ? "***" : value);
        return "KafkaSettings[group=" + group + ", firstPoll=" + firstPoll + ", pollTimeoutMs=" + pollTimeoutMs
                + ", commitPeriodMs=" + commitPeriodMs + ", maxUncommitted=" + maxUncommitted + ", refreshMs="
                + refreshMs + ", consumer=" + shown + "]";
    }
}
