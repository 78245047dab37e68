package io.stormwatch.core.job;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.core.window.BlockSplitter;
import io.stormwatch.core.window.WindowSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a job over one block of lines: each line is extracted into a record and counted into its pane's
 * tally, or rejected with a reason and kept as a dead letter. The parse bolt and {@code stormwatch batch}
 * both count through this class, so the stream and the batch oracle treat every line alike.
 *
 * <p>Each line has one outcome by the rules every job shares ({@link LineExtraction}: too long, extractor
 * errors, the first reason wins). Not thread-safe: one per parse task.
 *
 * @param <R> the job's record type
 */
public final class BlockCounter<R> {

    /** Reject reason of a line over the length bound. */
    public static final String TOO_LONG = "too-long";
    /** Reject reason of a line the extractor failed on. */
    public static final String MALFORMED = "malformed";

    /** A block counted: its panes, and the lines it rejected. */
    public record Counted(BlockPanes panes, List<DeadLetter> deadLetters) {}

    private final Job<R> job;
    private final LineExtraction<R> extraction;
    private final Aggregate<R> aggregate;
    private final BlockSplitter splitter;
    private final CurrentLine rejects = new CurrentLine();

    /** @param window the slide and lag panes are cut with */
    public BlockCounter(Job<R> job, WindowSpec window, int maxLineLength) {
        this.job = job;
        this.extraction = new LineExtraction<>(job, maxLineLength);
        this.aggregate = job.aggregate();
        this.splitter = new BlockSplitter(window, aggregate.schema());
    }

    /**
     * Counts the lines of one block.
     *
     * @param lines      the lines, in source order
     * @param offsets    each line's offset in the source
     * @param nextOffset where the line after the block starts
     */
    public Counted count(int channel, BlockPosition position, String source, String[] lines, long[] offsets,
            long nextOffset) {
        rejects.start(source);
        for (int i = 0; i < lines.length; i++) {
            countLine(lines[i], offsets[i]);
        }
        BlockPanes panes = splitter.finish(channel, position, source, offsets[0], nextOffset);
        return new Counted(panes, rejects.takeDeadLetters());
    }

    private void countLine(String line, long offset) {
        rejects.line = line;
        rejects.offset = offset;
        R record = extraction.extract(line, rejects);
        if (record == null) {
            return;
        }
        long time = job.eventTimeMillis(record);
        Tally tally = time == Job.NO_EVENT_TIME ? splitter.untimed() : splitter.tallyFor(offset, time);
        aggregate.add(record, tally);
    }

    /** Takes the extractor's rejections for the line being counted. */
    private final class CurrentLine implements Extractor.Rejects {
        String source;
        String line;
        long offset;
        List<DeadLetter> deadLetters = new ArrayList<>();

        void start(String blockSource) {
            source = blockSource;
        }

        @Override
        public void reject(String reason, String detail) {
            splitter.reject(reason);
            deadLetters.add(DeadLetter.of(source, offset, reason, detail, line));
        }

        List<DeadLetter> takeDeadLetters() {
            List<DeadLetter> taken = deadLetters.isEmpty() ? List.of() : deadLetters;
            deadLetters = new ArrayList<>();
            return taken;
        }
    }
}
