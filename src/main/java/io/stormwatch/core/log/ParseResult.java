package io.stormwatch.core.log;

/** The outcome of parsing one line: a record, or a typed rejection. Parsers never throw for bad input. */
public sealed interface ParseResult {

    /** A line that has the format's shape. */
    record Parsed(LogRecord record) implements ParseResult {}

    /**
     * A line that does not.
     *
     * @param reason what is wrong
     * @param detail a short human-readable explanation (which field, at which column), never the whole line
     */
    record Rejected(RejectReason reason, String detail) implements ParseResult {}
}
