package io.stormwatch.storm.topology;

import io.stormwatch.core.io.BlockBounds;
import io.stormwatch.storm.spout.FileSpout;
import io.stormwatch.storm.spout.KafkaBlockSpout;
import io.stormwatch.storm.spout.SocketLineSpout;
import io.stormwatch.storm.spout.SpoolDirectorySpout;
import io.stormwatch.storm.spout.TailFileSpout;
import java.nio.file.Path;
import java.util.List;
import org.apache.storm.topology.IRichSpout;

/**
 * Turns a source spec into the spout that reads it:
 * <ul>
 *   <li>{@code file:PATH} — one file, read once, reliably; finite</li>
 *   <li>{@code spool:DIR} — Flume-style spooling directory; finite only when {@code finite} (drained)</li>
 *   <li>{@code tail:PATH} — follows a live file like {@code tail -F}; never finite</li>
 *   <li>{@code socket:HOST:PORT} — a TCP client like Spark's {@code socketTextStream}; cannot replay</li>
 *   <li>{@code kafka:BOOTSTRAP/TOPIC} — a Kafka topic through storm-kafka-client, e.g.
 *       {@code kafka:127.0.0.1:9092/access} or {@code kafka:b1:9092,b2:9092/access}; never finite; consumer
 *       settings from {@code stormwatch.kafka.*} ({@link io.stormwatch.storm.spout.KafkaSettings})</li>
 * </ul>
 * Relative paths are made absolute on the submitting machine, where the user typed them. Every spout emits
 * blocks of lines up to the given {@link BlockBounds}.
 */
public final class Sources {

    /** The forms of a source spec, for messages and help texts. */
    public static final String FORMS = "file:PATH, spool:DIR, tail:PATH, socket:HOST:PORT or kafka:BOOTSTRAP/TOPIC";

    private Sources() {}

    /** {@link #spout(String, boolean, int, BlockBounds)} with {@link BlockBounds#DEFAULT}. */
    public static IRichSpout spout(String spec, boolean finite, int maxLineLength) {
        return spout(spec, finite, maxLineLength, BlockBounds.DEFAULT);
    }

    /**
     * @param spec          the source spec
     * @param finite        whether a spool directory counts as ended once drained (for in-process runs)
     * @param maxLineLength lines longer than this are cut by the reader and rejected by the parser
     * @param blockBounds   how large the spout's blocks may grow
     */
    public static IRichSpout spout(String spec, boolean finite, int maxLineLength, BlockBounds blockBounds) {
        Spec source = Spec.parse(spec);
        return switch (source.kind()) {
            case FILE -> new FileSpout(absolute(source.path()))
                    .withMaxLineLength(maxLineLength)
                    .withBlockBounds(blockBounds);
            case SPOOL -> new SpoolDirectorySpout(absolute(source.path()))
                    .withStopWhenDrained(finite)
                    .withMaxLineLength(maxLineLength)
                    .withBlockBounds(blockBounds);
            case TAIL -> new TailFileSpout(absolute(source.path()))
                    .withMaxLineLength(maxLineLength)
                    .withBlockBounds(blockBounds);
            case SOCKET -> new SocketLineSpout(source.host(), source.port())
                    .withMaxLineLength(maxLineLength)
                    .withBlockBounds(blockBounds);
            case KAFKA -> new KafkaBlockSpout(source.bootstrap(), source.topic())
                    .withMaxLineLength(maxLineLength)
                    .withBlockBounds(blockBounds);
        };
    }

    /** True for sources that end by themselves (so an in-process run can wait for the end). */
    public static boolean isFinite(String spec) {
        return spec != null && (spec.startsWith("file:") || spec.startsWith("spool:"));
    }

    /** The kinds of source, by their spec prefix. */
    public enum Kind { FILE, SPOOL, TAIL, SOCKET, KAFKA }

    /**
     * A parsed source spec: its kind and either its path as given ({@code file}, {@code spool}, {@code tail};
     * host null, port 0), its host and port ({@code socket}; path null), or its bootstrap servers as host and its
     * topic as path ({@code kafka}; port 0: read them as {@link #bootstrap()} and {@link #topic()}).
     */
    public record Spec(Kind kind, String path, String host, int port) {

        /** The bootstrap servers of a {@code kafka} spec, e.g. {@code b1:9092,b2:9092}. */
        public String bootstrap() {
            return kind == Kind.KAFKA ? host : null;
        }

        /** The topic of a {@code kafka} spec. */
        public String topic() {
            return kind == Kind.KAFKA ? path : null;
        }

        /** The {@code HOST:PORT} items of a {@code kafka} spec's bootstrap servers. */
        public List<String> bootstrapServers() {
            return kind == Kind.KAFKA ? List.of(host.split(",")) : List.of();
        }

        /** @throws IllegalArgumentException for a spec of no known form */
        public static Spec parse(String spec) {
            int colon = spec == null ? -1 : spec.indexOf(':');
            if (colon <= 0 || colon == spec.length() - 1) {
                throw new IllegalArgumentException(usage(spec));
            }
            String target = spec.substring(colon + 1);
            return switch (spec.substring(0, colon)) {
                case "file" -> new Spec(Kind.FILE, target, null, 0);
                case "spool" -> new Spec(Kind.SPOOL, target, null, 0);
                case "tail" -> new Spec(Kind.TAIL, target, null, 0);
                case "socket" -> socket(spec, target);
                case "kafka" -> kafka(spec, target);
                default -> throw new IllegalArgumentException(usage(spec));
            };
        }

        /** {@code BOOTSTRAP/TOPIC}: servers {@code HOST:PORT[,HOST:PORT...]}, then a topic Kafka would accept. */
        private static Spec kafka(String spec, String target) {
            int slash = target.lastIndexOf('/');
            if (slash <= 0 || slash == target.length() - 1) {
                throw new IllegalArgumentException(usage(spec));
            }
            String bootstrap = target.substring(0, slash);
            String topic = target.substring(slash + 1);
            if (!topic.matches("[a-zA-Z0-9._-]{1,249}") || topic.equals(".") || topic.equals("..")) {
                throw new IllegalArgumentException("source '" + spec + "': '" + topic + "' is not a valid Kafka topic"
                        + " name (letters, digits, '.', '_', '-') in kafka:BOOTSTRAP/TOPIC");
            }
            for (String server : bootstrap.split(",", -1)) {
                int colon = server.lastIndexOf(':');
                if (colon <= 0 || !server.substring(colon + 1).matches("[0-9]{1,5}")
                        || Integer.parseInt(server.substring(colon + 1)) > 65_535) {
                    throw new IllegalArgumentException("source '" + spec + "': bootstrap server '" + server
                            + "' is not HOST:PORT in kafka:BOOTSTRAP/TOPIC");
                }
            }
            return new Spec(Kind.KAFKA, topic, bootstrap, 0);
        }

        private static Spec socket(String spec, String hostPort) {
            int colon = hostPort.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(usage(spec));
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                return new Spec(Kind.SOCKET, null, host, Integer.parseInt(hostPort.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(usage(spec));
            }
        }
    }

    private static String absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize().toString();
    }

    private static String usage(String spec) {
        return "unknown source '" + spec + "': expected " + FORMS;
    }
}
