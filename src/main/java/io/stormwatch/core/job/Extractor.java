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
     */
    R extract(String line, Rejects rejects);
}
