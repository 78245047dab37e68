package io.stormwatch.core.job;

/**
 * The rules every engine applies to one line of any job: a line longer than {@code maxLineLength} code points
 * (readers cut such lines just past the bound) is rejected as {@link BlockCounter#TOO_LONG} without reaching
 * the extractor; an extractor that throws is a bug, and its line is rejected as {@link BlockCounter#MALFORMED}
 * rather than lost. Every line has exactly one outcome, even from an extractor that breaks its contract: the
 * first reason it gives, if it gives one (a record returned or an exception thrown after that is ignored);
 * else its record; else {@code MALFORMED}. {@link BlockCounter} counts blocks with it; an engine that sees
 * one line at a time (Spark's continuous trigger) asks {@link #rejectReason}. Not thread-safe.
 *
 * @param <R> the job's record type
 */
public final class LineExtraction<R> {

    private final Extractor<R> extractor;
    private final int maxLineLength;
    private final FirstReason first = new FirstReason();

    public LineExtraction(Job<R> job, int maxLineLength) {
        this.extractor = job.newExtractor();
        this.maxLineLength = maxLineLength;
    }

    /** The line's record, or null when it is rejected: then its reason went to {@code rejects}, once. */
    public R extract(String line, Extractor.Rejects rejects) {
        first.start(rejects);
        if (line.length() > maxLineLength && line.codePointCount(0, line.length()) > maxLineLength) {
            first.reject(BlockCounter.TOO_LONG, "longer than " + maxLineLength + " characters");
            return null;
        }
        R record;
        try {
            record = extractor.extract(line, first);
        } catch (RuntimeException e) {
            first.reject(BlockCounter.MALFORMED, "extractor error: " + e); // ignored if it rejected the line before
            return null;
        }
        if (first.given) {
            return null; // rejected: whatever the extractor returned as well
        }
        if (record == null) {
            first.reject(BlockCounter.MALFORMED, "extractor gave neither a record nor a reason");
        }
        return record;
    }

    /** Null when the line is a record, else the reason it is rejected. */
    public String rejectReason(String line) {
        String[] reason = new String[1];
        extract(line, (why, detail) -> reason[0] = why);
        return reason[0];
    }

    /** Passes on the first reason given for a line, and only that one. */
    private static final class FirstReason implements Extractor.Rejects {
        Extractor.Rejects rejects;
        boolean given;

        void start(Extractor.Rejects lineRejects) {
            rejects = lineRejects;
            given = false;
        }

        @Override
        public void reject(String reason, String detail) {
            if (!given) {
                given = true;
                rejects.reject(reason, detail);
            }
        }
    }
}
