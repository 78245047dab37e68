package io.stormwatch.storm.spout;

/**
 * Message id of a line tuple: the line's source and offset, the same pair the tuple carries. It stays in the
 * spout's executor (Storm sends only a random root id through the acker) and routes acks and fails back to
 * the reader that emitted the line.
 */
public record LineMessageId(String source, long offset) {}
