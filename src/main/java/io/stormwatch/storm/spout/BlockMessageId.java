package io.stormwatch.storm.spout;

/**
 * Message id of a block tuple: the block's source and the offset of its first line, the same pair the tuple
 * carries as {@code source} and {@code offset}. A part of a failed block, emitted again alone, has the
 * offset of its line: {@code (source, 0)} for a block of lines at 0, 10 and 20, then {@code (source, 0)},
 * {@code (source, 10)} and {@code (source, 20)} for its parts. It stays in the spout's executor (Storm sends
 * only a random root id through the acker) and routes acks and fails back to the reader that emitted the
 * block.
 */
public record BlockMessageId(String source, long offset) {}
