package io.stormwatch.spark;

import java.nio.file.Path;

/**
 * Where a Spark job reads its lines, written as stormwatch's {@code --source}: {@code file:PATH},
 * {@code socket:HOST:PORT} or {@code kafka:BOOTSTRAP/TOPIC} (BOOTSTRAP may list several HOST:PORTs).
 */
public sealed interface SourceSpec {

    record File(Path path) implements SourceSpec {}

    record Socket(String host, int port) implements SourceSpec {}

    record Kafka(String bootstrap, String topic) implements SourceSpec {}

    /** @throws IllegalArgumentException for anything else, with what was expected */
    static SourceSpec parse(String spec) {
        int colon = spec.indexOf(':');
        String kind = colon < 0 ? "" : spec.substring(0, colon);
        String rest = colon < 0 ? "" : spec.substring(colon + 1);
        switch (kind) {
            case "file" -> {
                if (!rest.isEmpty()) {
                    return new File(Path.of(rest));
                }
            }
            case "socket" -> {
                int at = rest.lastIndexOf(':');
                if (at > 0) {
                    try {
                        return new Socket(rest.substring(0, at), Integer.parseInt(rest.substring(at + 1)));
                    } catch (NumberFormatException e) {
                        // falls through to the error below
                    }
                }
            }
            case "kafka" -> {
                int slash = rest.lastIndexOf('/');
                if (slash > 0 && slash < rest.length() - 1) {
                    return new Kafka(rest.substring(0, slash), rest.substring(slash + 1));
                }
            }
            default -> {
                // the error below
            }
        }
        throw new IllegalArgumentException("not a source: '" + spec
                + "' (expected file:PATH, socket:HOST:PORT or kafka:BOOTSTRAP/TOPIC)");
    }
}
