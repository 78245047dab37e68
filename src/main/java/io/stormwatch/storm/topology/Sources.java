package io.stormwatch.storm.topology;

import io.stormwatch.core.io.BlockBounds;
import io.stormwatch.storm.spout.FileSpout;
import io.stormwatch.storm.spout.SocketLineSpout;
import io.stormwatch.storm.spout.SpoolDirectorySpout;
import io.stormwatch.storm.spout.TailFileSpout;
import java.nio.file.Path;
import org.apache.storm.topology.IRichSpout;

/**
 * Turns a source spec into the spout that reads it:
 * <ul>
 *   <li>{@code file:PATH} — one file, read once, reliably; finite</li>
 *   <li>{@code spool:DIR} — Flume-style spooling directory; finite only when {@code finite} (drained)</li>
 *   <li>{@code tail:PATH} — follows a live file like {@code tail -F}; never finite</li>
 *   <li>{@code socket:HOST:PORT} — a TCP client like Spark's {@code socketTextStream}; cannot replay</li>
 * </ul>
 * Relative paths are made absolute on the submitting machine, where the user typed them. Every spout emits
 * blocks of lines up to the given {@link BlockBounds}.
 */
public final class Sources {

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
        int colon = spec == null ? -1 : spec.indexOf(':');
        if (colon <= 0 || colon == spec.length() - 1) {
            throw new IllegalArgumentException(usage(spec));
        }
        String kind = spec.substring(0, colon);
        String target = spec.substring(colon + 1);
        return switch (kind) {
            case "file" -> new FileSpout(absolute(target))
                    .withMaxLineLength(maxLineLength)
                    .withBlockBounds(blockBounds);
            case "spool" -> new SpoolDirectorySpout(absolute(target))
                    .withStopWhenDrained(finite)
                    .withMaxLineLength(maxLineLength)
                    .withBlockBounds(blockBounds);
            case "tail" -> new TailFileSpout(absolute(target))
                    .withMaxLineLength(maxLineLength)
                    .withBlockBounds(blockBounds);
            case "socket" -> socket(spec, target, maxLineLength).withBlockBounds(blockBounds);
            default -> throw new IllegalArgumentException(usage(spec));
        };
    }

    /** True for sources that end by themselves (so an in-process run can wait for the end). */
    public static boolean isFinite(String spec) {
        return spec != null && (spec.startsWith("file:") || spec.startsWith("spool:"));
    }

    private static SocketLineSpout socket(String spec, String hostPort, int maxLineLength) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(usage(spec));
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(usage(spec));
        }
        return new SocketLineSpout(host, port).withMaxLineLength(maxLineLength);
    }

    private static String absolute(String path) {
        return Path.of(path).toAbsolutePath().normalize().toString();
    }

    private static String usage(String spec) {
        return "unknown source '" + spec + "': expected file:PATH, spool:DIR, tail:PATH or socket:HOST:PORT";
    }
}
