package io.stormwatch.storm.sink;

import java.io.Serializable;

/**
 * A line the parser rejected, as the dead-letter outputs keep it.
 *
 * @param source where the line came from
 * @param offset its position in the source
 * @param reason the {@code RejectReason} key, e.g. {@code too-long}
 * @param detail the parser's explanation
 * @param line   the line, cut to its first KiB
 */
public record DeadLetter(String source, long offset, String reason, String detail, String line) implements Serializable {}
