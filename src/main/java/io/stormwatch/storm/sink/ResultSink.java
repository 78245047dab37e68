package io.stormwatch.storm.sink;

import io.stormwatch.core.job.DeadLetter;
import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.storm.task.TopologyContext;

/**
 * Where a job's results go: windows, running totals, dead letters and late lines. {@link SinkBolt} drives one
 * sink per task, from one thread; an implementation is serializable configuration until {@link #open}. Sinks
 * are the same for every job: windows and totals arrive rendered by the job's views ({@link Result}).
 *
 * <p>Order of calls: {@code open}, then any mix of the data calls and {@link #flush()} (about every
 * second), then {@link #endOfInput(String)} at most once (a finite input is complete and every upstream bolt has
 * flushed), then {@code close}. An exception from a data call fails that tuple; it does not stop the sink.
 */
public interface ResultSink extends Serializable {

    void open(Map<String, Object> topoConf, TopologyContext context) throws IOException;

    /** A window, rendered ({@link Result#isWindow()}). */
    void window(Result window) throws IOException;

    /** The latest all-time totals, rendered; {@link Result#isFinal()} for the last ones of a finite input. */
    void totals(Result totals) throws IOException;

    void rejected(DeadLetter deadLetter) throws IOException;

    /**
     * The dead letters of one block, in order; by default one {@link #rejected(DeadLetter)} each. A sink that
     * pays per call (a network round trip) writes them at once: a block of binary junk can hold a thousand.
     */
    default void rejected(List<DeadLetter> deadLetters) throws IOException {
        for (DeadLetter deadLetter : deadLetters) {
            rejected(deadLetter);
        }
    }

    void late(LateLine late) throws IOException;

    /**
     * The end of the last window this sink holds from an earlier run of its task (e.g. before a crash), or
     * {@code Long.MIN_VALUE} when it cannot tell: where a restarted task resumes, so that no window is written
     * twice ({@link SinkBolt}). Called after {@link #open}.
     */
    default long lastWindowEnd() throws IOException {
        return Long.MIN_VALUE;
    }

    /** Makes buffered output visible. */
    void flush() throws IOException;

    /**
     * Every upstream bolt has finished a finite input. When {@code unread} is empty every line of the input is
     * in the results: write what marks the output complete. Otherwise it names, one per line, what could not be
     * read (a file missing, unreadable or cut short): the results are partial and must not be marked complete;
     * say so where a reader of this sink looks.
     */
    void endOfInput(String unread) throws IOException;

    /** Releases resources; never throws. */
    void close();
}
