package io.stormwatch.core.io;

import io.stormwatch.core.window.BlockPosition;
import java.io.Serializable;

/**
 * Consecutive lines of one source, emitted as one tuple: the unit in which lines travel from a spout to the
 * parse bolt, and in which they are acked, replayed and counted exactly once. The block occupies
 * {@code [offsets[0], nextOffset)} of its source; line {@code i} occupies {@code [offsets[i], offsets[i + 1])}
 * (the last one up to {@code nextOffset}), so consecutive blocks of a source touch, like lines do.
 *
 * <p>How big a block is: whatever the source has available at the moment, up to a bound in lines and in
 * bytes ({@link BlockBounds}). A file read as fast as possible gives full blocks; a slow socket or a tailed
 * file gives one-line blocks, so latency stays that of a single line. A block emitted again after a failure
 * keeps its lines, offsets and {@link #position()}; a failed block may also come back as single-line parts
 * (see {@link BlockPosition}).
 *
 * @param source     the stream it was read from (a file instance, a followed file's generation, a connection)
 * @param lines      the lines' text, without terminators
 * @param offsets    where each line starts (byte offset, or line sequence number where there are no bytes)
 * @param nextOffset where the line after the block starts
 * @param position   the block's place in its channel's order
 * @param channel    the order the block belongs to, when it is not its spout task's: {@link #TASK_CHANNEL} (the
 *                   spout task is the channel, as for files and sockets) or a negative id a spout chooses, e.g.
 *                   one per Kafka partition, so that each partition's blocks are ordered and watermarked alone
 */
public record LineBlock(String source, String[] lines, long[] offsets, long nextOffset, BlockPosition position,
        int channel) implements Serializable {

    /** The block's channel is the spout task that emitted it. */
    public static final int TASK_CHANNEL = Integer.MIN_VALUE;

    /** A block whose channel is its spout task. */
    public LineBlock(String source, String[] lines, long[] offsets, long nextOffset, BlockPosition position) {
        this(source, lines, offsets, nextOffset, position, TASK_CHANNEL);
    }

    public LineBlock {
        if (channel != TASK_CHANNEL && channel >= 0) {
            throw new IllegalArgumentException("a channel of a spout's own is negative (spout task ids are not), got " + channel);
        }
        if (lines.length == 0 || lines.length != offsets.length || nextOffset <= offsets[lines.length - 1]) {
            throw new IllegalArgumentException("a block holds at least one line, each with an offset, before nextOffset");
        }
    }

    /** The channel of a block emitted by spout task {@code sourceTask}: its own, or else the task. */
    public int channelOr(int sourceTask) {
        return channel == TASK_CHANNEL ? sourceTask : channel;
    }

    /** Where the block starts in its source: its first line's offset. */
    public long offset() {
        return offsets[0];
    }

    public int lineCount() {
        return lines.length;
    }

    /** Where line {@code i} ends: the start of the next line, or {@link #nextOffset} for the last. */
    public long lineEnd(int i) {
        return i + 1 < offsets.length ? offsets[i + 1] : nextOffset;
    }
}
