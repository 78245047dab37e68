package io.stormwatch.core.io;

import io.stormwatch.core.window.BlockPosition;
import java.util.Arrays;

/**
 * Collects consecutive lines of one source into a {@link LineBlock}, up to a bound in lines and in bytes:
 * {@link #add} takes lines until {@link #full()}, which holds once the block has {@code maxLines} lines or
 * once the line just added brought its bytes to {@code maxBytes} or more (so the line that crosses the byte
 * bound is still in the block, and one long line alone makes a block).
 *
 * <p>Example with 3 lines or 10 bytes: lines of 4, 4 and 4 bytes → full after the third (12 bytes ≥ 10); with
 * 3 lines or 100 bytes → full after the third (3 lines); a first line of 500 bytes → full at once.
 *
 * <p>The caller decides which lines are available now; the builder only counts. Not thread-safe; one block
 * per builder.
 */
final class BlockBuilder {

    private final int maxLines;
    private final long maxBytes;
    private String[] lines;
    private long[] offsets;
    private int count;
    private long bytes;
    private long nextOffset;

    /**
     * @param bounds   the block bounds
     * @param maxLines a tighter bound on lines, e.g. the room left under an in-flight limit (at least 1)
     */
    BlockBuilder(BlockBounds bounds, int maxLines) {
        this.maxLines = Math.max(1, Math.min(bounds.lines(), maxLines));
        this.maxBytes = bounds.bytes();
        // Most blocks of a slow source hold a line or two: grow the arrays instead of sizing them for the bound.
        int initial = Math.min(this.maxLines, 64);
        this.lines = new String[initial];
        this.offsets = new long[initial];
    }

    /**
     * Adds a line that starts at {@code offset}, is followed by the next line at {@code end} and counts
     * {@code byteCount} bytes towards the byte bound.
     *
     * @throws IllegalStateException when the block is full already
     */
    void add(String text, long offset, long end, long byteCount) {
        if (full()) {
            throw new IllegalStateException("the block is full");
        }
        if (count == lines.length) {
            int grown = Math.min(maxLines, count * 2);
            lines = Arrays.copyOf(lines, grown);
            offsets = Arrays.copyOf(offsets, grown);
        }
        lines[count] = text;
        offsets[count] = offset;
        count++;
        bytes += byteCount;
        nextOffset = end;
    }

    /** Adds a line read from a byte stream: its bytes are its {@code [offset, end)} span. */
    void add(LineReader.Line line) {
        add(line.text(), line.offset(), line.end(), line.end() - line.offset());
    }

    boolean full() {
        return count >= maxLines || bytes >= maxBytes;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** The block of the lines added, or null when none was. */
    LineBlock build(String source, BlockPosition position) {
        if (count == 0) {
            return null;
        }
        return new LineBlock(source, count == lines.length ? lines : Arrays.copyOf(lines, count),
                count == offsets.length ? offsets : Arrays.copyOf(offsets, count), nextOffset, position);
    }
}
