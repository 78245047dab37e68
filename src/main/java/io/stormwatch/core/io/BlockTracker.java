package io.stormwatch.core.io;

import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The in-flight blocks of one reliably read source (a file instance, a followed file's generation): which
 * emitted blocks are not yet acknowledged, which failed and must be emitted again, and the durable resume
 * point. Blocks and parts are known by their first line's offset, which is also their message id's offset.
 *
 * <p>Blocks are registered with {@link #emitted} in source order. Each keeps its lines until acked, so a
 * failure is replayed from memory (callers bound memory by capping {@link #inFlight()}, which counts lines).
 *
 * <p><b>A failed block comes back as single-line parts, never whole.</b> Downstream counts each
 * {@code [offset, next-offset)} range once, and a restarted spout may cut a source into blocks at other
 * boundaries than the run before, so a block can arrive partly counted already; the totals bolt cannot
 * count part of a block, so it fails it. Single lines are either counted or not, so {@link #fail} splits the
 * block into one part per line, {@code position.part(i, n)}, each tracked, acked and failed on its own; a
 * part that fails is emitted again as the same part. A one-line block is its own only part and is replayed
 * as it was.
 *
 * <p>Example: the block at position (epoch, 7) holds lines at 0, 10 and 20, next offset 30, and is emitted
 * whole (part 0 of 1). It fails → {@link #nextReplay()} gives, one call each, the parts {@code [0, 10)} part
 * 0 of 3, {@code [10, 20)} part 1 of 3 and {@code [20, 30)} part 2 of 3, all at position 7. Parts 1 and 2
 * are acked, part 0 fails → it is replayed as part 0 of 3 again; the resume point stays 0 until it is
 * acked, then becomes 30. Should the process die before that, a restart at 0 emits the three lines again
 * (maybe in another block): at-least-once, duplicates recognised downstream by their offsets.
 *
 * <p>The resume point is the start of the oldest unacked block or part, or the end of the last emitted
 * block when all are acked: a reader restarted there re-reads nothing that was acked before the oldest gap,
 * and loses nothing.
 *
 * <p>Not thread-safe: a spout calls it from its executor thread only.
 */
public final class BlockTracker {

    /**
     * The default bound on a reader's {@link #bytesInFlight()}: 64 MiB of input, ≤ 128 MiB of text in memory.
     * 131,072 lines of a 200-byte access log are 26 MB, under it; 131,072 tweets of 2.5 KB, or lines cut at
     * 64 KiB, would be 0.3 to 8 GB without it.
     */
    public static final long DEFAULT_MAX_BYTES_IN_FLIGHT = 64L << 20;

    /** Unacked whole blocks and parts by their first line's offset; they never overlap. */
    private final NavigableMap<Long, LineBlock> unacked = new TreeMap<>();
    private final NavigableSet<Long> toReplay = new TreeSet<>();
    private long readEnd;
    private int linesInFlight;
    private long bytesInFlight;

    /** @param startOffset where reading starts: the resume point until a block is emitted */
    public BlockTracker(long startOffset) {
        this.readEnd = startOffset;
    }

    /**
     * Registers a newly read block.
     *
     * @throws IllegalArgumentException when the block does not come after the last one registered
     */
    public void emitted(LineBlock block) {
        if (block.offset() < readEnd) {
            throw new IllegalArgumentException("block [" + block.offset() + ", " + block.nextOffset()
                    + ") does not follow the last one, which ends at " + readEnd);
        }
        unacked.put(block.offset(), block);
        linesInFlight += block.lineCount();
        bytesInFlight += block.nextOffset() - block.offset();
        readEnd = block.nextOffset();
    }

    /**
     * Marks the block or part at {@code offset} done; false when none is in flight there (unknown, acked
     * before).
     */
    public boolean ack(long offset) {
        toReplay.remove(offset);
        LineBlock block = unacked.remove(offset);
        if (block == null) {
            return false;
        }
        linesInFlight -= block.lineCount();
        bytesInFlight -= block.nextOffset() - block.offset();
        return true;
    }

    /**
     * Queues the block or part at {@code offset} for replay, a block of several lines as its single-line
     * parts (see the class comment); false when none is in flight there.
     */
    public boolean fail(long offset) {
        LineBlock block = unacked.get(offset);
        if (block == null) {
            return false;
        }
        int n = block.lineCount();
        if (n == 1) {
            toReplay.add(offset);
            return true;
        }
        for (int i = 0; i < n; i++) {
            LineBlock part = new LineBlock(block.source(), new String[] {block.lines()[i]},
                    new long[] {block.offsets()[i]}, block.lineEnd(i), block.position().part(i, n));
            unacked.put(part.offset(), part);
            toReplay.add(part.offset());
        }
        return true;
    }

    /** The oldest failed part (or one-line block), as it was first emitted, or null when none waits. */
    public LineBlock nextReplay() {
        Long offset = toReplay.pollFirst();
        return offset == null ? null : unacked.get(offset);
    }

    public boolean hasReplay() {
        return !toReplay.isEmpty();
    }

    /** Start of the oldest unacked block or part, or the end of the last emitted block when all are acked. */
    public long resumeOffset() {
        return unacked.isEmpty() ? readEnd : unacked.firstKey();
    }

    /** Lines emitted and not yet acked, including those waiting for replay. */
    public int inFlight() {
        return linesInFlight;
    }

    /**
     * Input bytes of the lines emitted and not yet acked (their offset ranges): what bounds the memory their
     * text takes when lines are long, as a count of lines cannot.
     */
    public long bytesInFlight() {
        return bytesInFlight;
    }

    /** Blocks and parts emitted and not yet acked. */
    public int blocksInFlight() {
        return unacked.size();
    }

    public boolean allAcked() {
        return unacked.isEmpty();
    }
}
