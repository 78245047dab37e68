package io.stormwatch.core.job;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.io.Inputs;
import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.core.window.WindowAssembler;
import io.stormwatch.core.window.WindowSpec;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A job over files in one pass: every line of every file, in order, extracted and counted into all-time
 * totals and, when asked, into event-time windows. It is the oracle the streaming topologies are compared
 * with, so it does nothing a stream could not — no sorting, no deduplication, no look-ahead — and it counts
 * through the very code the parse bolt uses ({@link BlockCounter}) and the window bolt uses
 * ({@link WindowAssembler}): the files are one channel, read as one stream, blocks of
 * {@value #BLOCK_LINES} lines.
 *
 * <p>Files are read with {@link Inputs#open} (gzip told by content; {@code -} is standard input, and pipes and
 * FIFOs are read like files) and {@link LineReader} (lines longer than {@code maxLineLength} are cut and
 * rejected as too long). Every rejected line is counted in the totals and handed to a {@link DeadLetterSink},
 * with the file as it was named as its source.
 *
 * <p>A file that cannot be opened, or breaks while it is read (a cut or corrupt gzip stream, an I/O error),
 * does not lose what was read: the lines read whole before the break are counted (the part of a line the
 * break cuts is not), the run goes on with the next file, and the {@link Outcome} lists each broken file with
 * its cause.
 *
 * @param <R> the job's record type
 */
public final class Batch<R> {

    static final int BLOCK_LINES = 1024;

    /** Receives rejected lines in input order; an exception it throws stops the run. */
    @FunctionalInterface
    public interface DeadLetterSink {
        DeadLetterSink DISCARD = deadLetter -> {};

        void accept(DeadLetter deadLetter) throws IOException;
    }

    /** Reading {@link #file()} failed; the cause tells why (e.g. {@code NoSuchFileException}, {@code ZipException}). */
    public static final class ReadException extends IOException {

        private static final long serialVersionUID = 1L;

        private final transient Path file;

        ReadException(Path file, IOException cause) {
            super(file + ": " + cause, cause);
            this.file = file;
        }

        public Path file() {
            return file;
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    /**
     * What a run counted, and the files that broke, in input order (empty when every file was read whole).
     *
     * @param totals   every line read, the broken files' lines up to the break included
     * @param failures one per file that could not be opened or broke while it was read
     */
    public record Outcome(Tally totals, List<ReadException> failures) {

        public Outcome {
            failures = List.copyOf(failures);
        }

        /** The totals, or the first failure when a file broke. */
        public Tally totalsOrThrow() throws ReadException {
            if (!failures.isEmpty()) {
                throw failures.get(0);
            }
            return totals;
        }
    }

    private final Job<R> job;
    private final int maxLineLength;
    private final WindowSpec window;
    private final WindowAssembler.Listener windows;

    /** Totals only. */
    public Batch(Job<R> job, int maxLineLength) {
        this(job, maxLineLength, null, null);
    }

    /**
     * Totals, and event-time windows of {@code window} handed to {@code windows} as they close.
     *
     * @param window  null for totals only
     * @param windows receives windows and late lines, in the order a stream would emit them
     */
    public Batch(Job<R> job, int maxLineLength, WindowSpec window, WindowAssembler.Listener windows) {
        this.job = job;
        this.maxLineLength = maxLineLength;
        this.window = window;
        this.windows = windows;
    }

    /**
     * Counts every line of {@code files}, read in order as one input; when a file breaks, throws once all
     * were read (see {@link #read} for a run that reports what it read as well).
     *
     * @param onBytesRead told how many raw (possibly compressed) bytes were read, as they are read
     * @return the totals
     * @throws ReadException the first file that could not be read (or decompressed) whole
     * @throws IOException   what {@code deadLetters} throws, or closing a file failed
     */
    public Tally run(List<Path> files, DeadLetterSink deadLetters, LongConsumer onBytesRead) throws IOException {
        return read(files, deadLetters, onBytesRead).totalsOrThrow();
    }

    /**
     * Counts every line of {@code files}, read in order as one input, going on past a file that breaks.
     *
     * @param onBytesRead told how many raw (possibly compressed) bytes were read, as they are read
     * @return the totals of all that was read, and the files that broke
     * @throws IOException what {@code deadLetters} throws, or closing a file failed
     */
    public Outcome read(List<Path> files, DeadLetterSink deadLetters, LongConsumer onBytesRead) throws IOException {
        WindowSpec spec = window != null ? window : new WindowSpec(1, 1, 0);
        BlockCounter<R> counter = new BlockCounter<>(job, spec, maxLineLength);
        WindowAssembler assembler = window == null ? null
                : new WindowAssembler(window, job.aggregate().schema(), windows, Long.MAX_VALUE, 0);
        Tally totals = job.aggregate().createAccumulator();
        List<ReadException> failures = new ArrayList<>();
        long seq = 0;
        List<String> lines = new ArrayList<>(BLOCK_LINES);
        long[] offsets = new long[BLOCK_LINES];
        for (Path file : files) {
            String source = file.toString();
            LineReader opened;
            try {
                opened = open(file, onBytesRead);
            } catch (ReadException e) {
                failures.add(e);
                continue;
            }
            try (LineReader reader = opened) {
                long next = 0;
                while (true) {
                    LineReader.Line line;
                    try {
                        line = reader.next();
                    } catch (IOException e) {
                        // The file ends here for this run: the lines before the break are counted below.
                        failures.add(new ReadException(file, e));
                        line = null;
                    }
                    if (line != null) {
                        offsets[lines.size()] = line.offset();
                        lines.add(line.text());
                        next = line.end();
                    }
                    if (!lines.isEmpty() && (line == null || lines.size() == BLOCK_LINES)) {
                        BlockCounter.Counted counted = counter.count(0, BlockPosition.whole(0, seq++), source,
                                lines.toArray(new String[0]), Arrays.copyOf(offsets, lines.size()), next);
                        for (DeadLetter deadLetter : counted.deadLetters()) {
                            deadLetters.accept(deadLetter);
                        }
                        BlockPanes panes = counted.panes();
                        for (Tally tally : panes.tallies()) {
                            totals.merge(tally);
                        }
                        if (assembler != null) {
                            assembler.accept(panes, 0);
                        }
                        lines.clear();
                    }
                    if (line == null) {
                        break;
                    }
                }
            }
        }
        if (assembler != null) {
            assembler.finishAll();
        }
        return new Outcome(totals, failures);
    }

    private LineReader open(Path file, LongConsumer onBytesRead) throws ReadException {
        InputStream raw = null;
        try {
            raw = new CountingInputStream(Inputs.raw(file), onBytesRead);
            return new LineReader(Inputs.open(raw), maxLineLength); // reads the gzip header, if any
        } catch (IOException e) {
            if (raw != null) {
                try {
                    raw.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new ReadException(file, e);
        }
    }

    private static LineReader.Line next(LineReader reader, Path file) throws ReadException {
        try {
            return reader.next();
        } catch (IOException e) {
            throw new ReadException(file, e);
        }
    }

    /** Reports bytes as they pass. */
    private static final class CountingInputStream extends FilterInputStream {

        private final LongConsumer onBytesRead;

        CountingInputStream(InputStream in, LongConsumer onBytesRead) {
            super(in);
            this.onBytesRead = onBytesRead;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                onBytesRead.accept(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                onBytesRead.accept(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            onBytesRead.accept(skipped);
            return skipped;
        }
    }
}
