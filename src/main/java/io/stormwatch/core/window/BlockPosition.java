package io.stormwatch.core.window;

import java.io.Serializable;

/**
 * Where a block of lines stands in the order its spout task emitted blocks: what lets the window bolt take
 * the blocks of one task in that order however many parse tasks they went through, so that which lines are
 * late never depends on timing or parallelism.
 *
 * <p>A spout task numbers the blocks it emits {@code 0, 1, 2, …} ({@code seq}) within one {@code epoch} (one
 * run of the task: a restarted task starts a new epoch at 0). A block emitted again after a failure keeps
 * its position; a failed block may also be emitted again as single lines, {@code parts} of them, numbered by
 * {@code part} — together they stand for the block. A whole block is part 0 of 1.
 *
 * @param epoch identifies one run of the spout task, e.g. the time it opened
 * @param seq   the block's number within the epoch, from 0
 * @param part  which part of the block this is, from 0
 * @param parts how many parts the block was emitted as (1 for a whole block)
 */
public record BlockPosition(long epoch, long seq, int part, int parts) implements Serializable {

    public BlockPosition {
        if (seq < 0 || parts < 1 || part < 0 || part >= parts) {
            throw new IllegalArgumentException("bad block position: seq " + seq + ", part " + part + " of " + parts);
        }
    }

    /** A whole block. */
    public static BlockPosition whole(long epoch, long seq) {
        return new BlockPosition(epoch, seq, 0, 1);
    }

    /** Part {@code part} of {@code parts} of the block at this position. */
    public BlockPosition part(int part, int parts) {
        return new BlockPosition(epoch, seq, part, parts);
    }

    public boolean isWhole() {
        return parts == 1;
    }
}
