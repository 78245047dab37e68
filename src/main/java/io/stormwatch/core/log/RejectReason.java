package io.stormwatch.core.log;

/**
 * Why a line was not turned into a {@link LogRecord}. Every line is either parsed or rejected with one of
 * these: nothing is guessed and nothing is dropped silently.
 */
public enum RejectReason {
    /** Blank line (only white space). */
    EMPTY,
    /** Longer than the configured bound; the rest of the line was not read. */
    TOO_LONG,
    /** Contains control bytes (NUL, escape, ...) that a web server never writes unescaped. */
    BINARY,
    /** Contains byte sequences that are not UTF-8, wherever they are (a correctly encoded U+FFFD is fine). */
    INVALID_UTF8,
    /** Ends before the format's last field: a partial write or a cut line. */
    TRUNCATED,
    /** Two records on one line: a missing newline between writes. */
    GLUED,
    /** Complete, but a field does not have the format's shape. */
    MALFORMED;

    /** The name used in JSON output and dead-letter records, e.g. {@code too-long}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public static RejectReason ofKey(String key) {
        return valueOf(key.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }
}
