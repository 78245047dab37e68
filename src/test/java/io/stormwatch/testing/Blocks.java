package io.stormwatch.testing;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.io.LineBlock;
import io.stormwatch.core.job.BlockCounter;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.core.window.WindowSpec;

/**
 * Blocks of {@link EventJob} lines for bolt tests: line {@code n} of a source is the event at
 * {@code T0 + n.5} seconds with key {@code k<n mod 3>}, and occupies bytes {@code [100 n, 100 n + 100)}. {@code T0}
 * is a multiple of 10 s, so lines 0–9 fall into the 10 s pane ending at {@code T0 + 10 s}, and so on.
 */
public final class Blocks {

    public static final long T0 = 1_700_000_000_000L;
    public static final long LINE_BYTES = 100;
    /** The window blocks are cut with: 10 s sliding by 10 s, no lag. */
    public static final WindowSpec WINDOW = new WindowSpec(10_000, 10_000, 0);

    private Blocks() {}

    /** Event time of line {@code n}. */
    public static long time(long n) {
        return T0 + n * 1_000 + 500;
    }

    /** The line block of lines {@code [first, first + count)} of {@code source}, at position {@code seq}. */
    public static LineBlock lines(String source, long first, int count, long seq) {
        String[] lines = new String[count];
        long[] offsets = new long[count];
        for (int i = 0; i < count; i++) {
            lines[i] = EventJob.line(time(first + i), "k" + ((first + i) % 3));
            offsets[i] = (first + i) * LINE_BYTES;
        }
        return new LineBlock(source, lines, offsets, (first + count) * LINE_BYTES, BlockPosition.whole(1, seq));
    }

    /** The same block counted, as a parse task of channel {@code channel} hands it on. */
    public static BlockPanes panes(int channel, String source, long first, int count, long seq) {
        return panes(WINDOW, channel, source, first, count, seq);
    }

    /** The same, cut with {@code window}. */
    public static BlockPanes panes(WindowSpec window, int channel, String source, long first, int count, long seq) {
        LineBlock block = lines(source, first, count, seq);
        return new BlockCounter<>(new EventJob(), window, 1_000)
                .count(channel, block.position(), source, block.lines(), block.offsets(), block.nextOffset()).panes();
    }

    /** The tally of lines {@code [first, first + count)}. */
    public static Tally tally(long first, int count) {
        Tally tally = EventJob.SCHEMA.newTally();
        for (long n = first; n < first + count; n++) {
            EventJob.add(new EventJob.Event(time(n), "k" + (n % 3)), tally);
        }
        return tally;
    }
}
