package io.stormwatch.core.job;

/**
 * Turns one line into a job's record, or says why it cannot: the first step of every job. Extractors are
 * thread-confined (a parser may keep buffers) and cheap to make: each parse task makes its own with
 * {@link Job#newExtractor()}.
 *
 * @param <R> the job's record type
 */
@FunctionalInterface
public interface Extractor<R> {

    /** Receives the reason a line gave no record. */
    @FunctionalInterface
    interface Rejects {
        /**
         * @param reason a short key from a fixed set the job documents, e.g. {@code too-long}, {@code invalid-json}
         * @param detail a human-readable explanation (which field, which column), never the whole line
         */
        void reject(String reason, String detail);
    }

    /**
     * The record of {@code line} (without its terminator), or null after telling {@code rejects} exactly once
     * why there is none. Never throws for any input: bad input is a rejection, not an error.
     *
     * <p>The engine has already rejected lines longer than the job's bound. Bytes that were not UTF-8 reach the
     * extractor as {@link io.stormwatch.core.io.LineReader#UNDECODABLE}, wherever they are in the line: an
     * extractor rejects such a line as {@code invalid-utf8} (as the access-log parser, word-count and hashtags
     * do), since a record built from it would hold text that is not in the input.
     */
    R extract(String line, Rejects rejects);
}
