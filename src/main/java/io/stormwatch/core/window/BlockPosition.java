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
 * <p>{@code replayable} says what becomes of a block lost downstream (with a killed worker): a file's or a
 * Kafka partition's comes again — replayed by its task, or read again by the task's next epoch — so the window
 * bolt waits for it; a socket's is lost for good (a socket cannot replay), so the window bolt stops waiting for it
 * once Storm has failed it.
 *
 * @param epoch identifies one run of the spout task, e.g. the time it opened
 * @param seq   the block's number within the epoch, from 0
 * @param part  which part of the block this is, from 0
 * @param parts how many parts the block was emitted as (1 for a whole block)
 * @param replayable whether a block of this task lost downstream comes again (true but for a socket's)
 */
public record BlockPosition(long epoch, long seq, int part, int parts, boolean replayable) implements Serializable {

    public BlockPosition {
        if (seq < 0 || parts < 1 || part < 0 || part >= parts) {
            throw new IllegalArgumentException("bad block position: seq " + seq + ", part " + part + " of " + parts);
        }
    }

    /** A whole block of a task that replays what is lost downstream (a file's, a Kafka partition's). */
    public static BlockPosition whole(long epoch, long seq) {
        return new BlockPosition(epoch, seq, 0, 1, true);
    }

    /** A whole block of a task that cannot replay (a socket's): once lost downstream, it is lost for good. */
    public static BlockPosition wholeUnreplayable(long epoch, long seq) {
        return new BlockPosition(epoch, seq, 0, 1, false);
    }

    /** Part {@code part} of {@code parts} of the block at this position. */
    public BlockPosition part(int part, int parts) {
        return new BlockPosition(epoch, seq, part, parts, replayable);
    }

    public boolean isWhole() {
        return parts == 1;
    }
}
