package io.stormwatch.core.probe;

/**
 * One message of the progress protocol that {@code progress:HOST:PORT} outputs speak (every engine: stormwatch,
 * Spark DStream, Structured Streaming and its continuous trigger), one ASCII line each:
 * <ul>
 *   <li>{@code n COUNT} — the job has now counted {@code COUNT} lines (records and rejected lines) in its
 *       running total, since the run started;</li>
 *   <li>{@code w END} — a window result whose end is {@code END} (epoch ms) has just been written out.</li>
 * </ul>
 * The receiver timestamps each message when it arrives; the sender puts no time in it, so one clock (the
 * receiver's) measures everything.
 *
 * @param kind  {@link #COUNT} or {@link #WINDOW}
 * @param value the count, or the window end in epoch ms
 */
public record ProgressMessage(char kind, long value) {

    public static final char COUNT = 'n';
    public static final char WINDOW = 'w';

    public static ProgressMessage count(long lines) {
        return new ProgressMessage(COUNT, lines);
    }

    public static ProgressMessage window(long endMillis) {
        return new ProgressMessage(WINDOW, endMillis);
    }

    /** The line to send, without its terminator. */
    public String text() {
        return kind + " " + value;
    }

    /**
     * The message a line holds.
     *
     * @throws IllegalArgumentException for anything but {@code n COUNT} or {@code w END} (a decimal long)
     */
    public static ProgressMessage parse(String line) {
        if (line == null || line.length() < 3 || line.charAt(1) != ' '
                || (line.charAt(0) != COUNT && line.charAt(0) != WINDOW)) {
            throw new IllegalArgumentException("not a progress message: '" + line + "'");
        }
        try {
            return new ProgressMessage(line.charAt(0), Long.parseLong(line.substring(2)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a progress message: '" + line + "'");
        }
    }

    /**
     * Parses a {@code progress:HOST:PORT} output spec into {@code {host, port}}.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static Address address(String spec) {
        String prefix = "progress:";
        if (spec.startsWith(prefix)) {
            String rest = spec.substring(prefix.length());
            int colon = rest.lastIndexOf(':');
            if (colon > 0) {
                try {
                    int port = Integer.parseInt(rest.substring(colon + 1));
                    if (port > 0 && port < 65_536) {
                        return new Address(rest.substring(0, colon), port);
                    }
                } catch (NumberFormatException e) {
                    // the error below
                }
            }
        }
        throw new IllegalArgumentException("not a progress output: '" + spec + "' (expected progress:HOST:PORT)");
    }

    /** Where progress goes. */
    public record Address(String host, int port) implements java.io.Serializable {}
}
