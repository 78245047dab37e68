package io.stormwatch.core.io;

import java.io.Serializable;

/**
 * How large a {@link LineBlock} may grow: at most {@code lines} lines and about {@code bytes} bytes (a block
 * stops at the first line that reaches the byte bound, so one long line still makes a block). Readers put
 * into a block only what is available without waiting.
 *
 * @param lines at most this many lines per block (≥ 1)
 * @param bytes a block stops growing once its lines hold this many bytes (≥ 1)
 */
public record BlockBounds(int lines, int bytes) implements Serializable {

    /** 1,024 lines or 1 MiB. */
    public static final BlockBounds DEFAULT = new BlockBounds(1024, 1 << 20);
    /** One line per block: how stormwatch behaved before blocks, and what replays of failed blocks use. */
    public static final BlockBounds SINGLE_LINE = new BlockBounds(1, Integer.MAX_VALUE);

    public BlockBounds {
        if (lines < 1 || bytes < 1) {
            throw new IllegalArgumentException("block bounds must be positive, got " + lines + " lines, " + bytes + " bytes");
        }
    }
}
