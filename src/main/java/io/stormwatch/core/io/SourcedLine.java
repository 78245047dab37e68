package io.stormwatch.core.io;

/**
 * A line to emit with its source position: {@code source} names the stream it was read from (a complete
 * file's instance, a followed file's generation, a socket connection), {@code offset} is where it starts in
 * that stream (a byte offset, or a line sequence number for sockets) and {@code nextOffset} where the next
 * line starts (just past its terminator, or sequence number + 1), so that consecutive lines touch. Together
 * they identify the line, so downstream can recognise a replay; a replay carries the same three values.
 */
public record SourcedLine(String text, String source, long offset, long nextOffset) {}
