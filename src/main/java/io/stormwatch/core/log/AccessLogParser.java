package io.stormwatch.core.log;

/**
 * Parses one access-log line (without its line terminator). Implementations are thread-confined but
 * cheap to create, and never throw for any input: every line yields a record or a typed rejection.
 */
public interface AccessLogParser {

    /** Default bound on a line's length in characters, 64 KiB. */
    int DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

    ParseResult parse(String line);
}
