package io.stormwatch.core.io;

/**
 * A line to emit with its source position: {@code source} names the stream it was read from (a file path,
 * a followed file's instance, a socket connection) and {@code offset} is where it starts in that stream
 * (a byte offset, or a line sequence number for sockets). Together they identify the line, so downstream
 * can recognise a replay.
 */
public record SourcedLine(String text, String source, long offset) {}
