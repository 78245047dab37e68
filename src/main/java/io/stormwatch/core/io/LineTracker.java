package io.stormwatch.core.io;

import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The in-flight lines of one reliably read byte stream (one file instance): which emitted lines are not yet
 * acknowledged, which failed and must be emitted again, and the durable resume point.
 *
 * <p>Lines are registered with {@link #emitted} in stream order. Each keeps its text until it is acked, so a
 * failed line is replayed from memory (callers bound memory by capping {@link #inFlight()}). The resume
 * point is the start of the oldest unacked line, or the end of the last emitted line when all are acked: a
 * reader restarted there re-reads nothing that was acked before the oldest gap, and loses nothing.
 *
 * <p>Example: lines at 0, 10, 20 (ending at 10, 20, 30) are emitted; 10 is acked → resume point 0 (line 0
 * still open); 0 fails → {@link #nextReplay()} gives line 0; 0 and 20 are acked → resume point 30, all
 * acked. Should the process die when only 10 and 20 are acked, a restart at 0 emits 10 and 20 again:
 * at-least-once, duplicates identified downstream by their offsets.
 *
 * <p>Not thread-safe: a spout calls it from its executor thread only.
 */
public final class LineTracker {

    private record Pending(String text, long end) {}

    private final NavigableMap<Long, Pending> unacked = new TreeMap<>();
    private final NavigableSet<Long> toReplay = new TreeSet<>();
    private long readEnd;

    /** @param startOffset where reading starts: the resume point until a line is emitted */
    public LineTracker(long startOffset) {
        this.readEnd = startOffset;
    }

    /**
     * Registers a newly read line, starting at {@code offset} and followed by the next line at {@code end}.
     *
     * @throws IllegalArgumentException when the line does not come after the last one registered
     */
    public void emitted(long offset, long end, String text) {
        if (offset < readEnd || end <= offset) {
            throw new IllegalArgumentException(
                    "line [" + offset + ", " + end + ") does not follow the last one, which ends at " + readEnd);
        }
        unacked.put(offset, new Pending(text, end));
        readEnd = end;
    }

    /** Marks the line at {@code offset} done; false when it is not in flight (unknown or already acked). */
    public boolean ack(long offset) {
        toReplay.remove(offset);
        return unacked.remove(offset) != null;
    }

    /** Queues the line at {@code offset} for replay; false when it is not in flight. */
    public boolean fail(long offset) {
        if (!unacked.containsKey(offset)) {
            return false;
        }
        toReplay.add(offset);
        return true;
    }

    /** The oldest failed line, with the text and end it was emitted with, or null when none waits for replay. */
    public LineReader.Line nextReplay() {
        Long offset = toReplay.pollFirst();
        if (offset == null) {
            return null;
        }
        Pending line = unacked.get(offset);
        return new LineReader.Line(line.text(), offset, line.end());
    }

    public boolean hasReplay() {
        return !toReplay.isEmpty();
    }

    /** Start of the oldest unacked line, or the end of the last emitted line when every line is acked. */
    public long resumeOffset() {
        return unacked.isEmpty() ? readEnd : unacked.firstKey();
    }

    /** Lines emitted and not yet acked, including those waiting for replay. */
    public int inFlight() {
        return unacked.size();
    }

    public boolean allAcked() {
        return unacked.isEmpty();
    }
}
