package io.stormwatch.core.stats;

import io.stormwatch.core.io.Inputs;
import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.log.ParseResult;
import io.stormwatch.core.log.RejectReason;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The batch analysis of access-log files: every line of every file, in order, parsed and counted into one
 * {@link LogStats}. It is the oracle the streaming jobs are compared with, so it does nothing a stream
 * could not: no sorting, no deduplication, no look-ahead.
 *
 * <p>Files are read with {@link Inputs#open} (gzip told by content) and {@link LineReader} (lines longer
 * than {@code maxLineLength} are cut and rejected as too long). Every rejected line is counted in the
 * stats and handed to a {@link RejectSink} with its position, so none is lost silently. Because
 * {@link LogStats} is a monoid, analyzing files one by one and merging gives the same result as analyzing
 * them together.
 */
public final class LogFiles {

    /**
     * A line the parser rejected.
     *
     * @param file   the file as it was named to {@link #analyze}
     * @param offset byte offset of the line's first byte, in the decompressed content
     * @param line   the text as read: decoded with U+FFFD for invalid UTF-8, possibly cut when too long
     */
    public record RejectedLine(Path file, long offset, RejectReason reason, String detail, String line) {}

    /** Receives rejected lines in input order; an exception it throws stops the analysis. */
    @FunctionalInterface
    public interface RejectSink {
        RejectSink DISCARD = rejected -> {};

        void accept(RejectedLine rejected) throws IOException;
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

    private LogFiles() {}

    /** Analyzes {@code files} with lines bounded by {@link AccessLogParser#DEFAULT_MAX_LINE_LENGTH}. */
    public static LogStats analyze(List<Path> files, AccessLogParser parser, RejectSink onReject) throws IOException {
        return analyze(files, parser, AccessLogParser.DEFAULT_MAX_LINE_LENGTH, onReject, bytes -> {});
    }

    /**
     * @param maxLineLength the bound the parser was made with, so the reader cuts exactly the lines the
     *                      parser rejects as too long
     * @param onBytesRead   told how many raw (possibly compressed) file bytes were read, as they are read;
     *                      for progress reporting against the files' sizes
     * @throws ReadException when a file cannot be read (or decompressed); the stats so far are lost with it
     * @throws IOException     what {@code onReject} throws, or closing a file failed
     */
    public static LogStats analyze(List<Path> files, AccessLogParser parser, int maxLineLength, RejectSink onReject,
            LongConsumer onBytesRead) throws IOException {
        LogStats stats = new LogStats();
        for (Path file : files) {
            try (LineReader reader = open(file, maxLineLength, onBytesRead)) {
                for (LineReader.Line line = next(reader, file); line != null; line = next(reader, file)) {
                    ParseResult result = parser.parse(line.text());
                    if (result instanceof ParseResult.Parsed parsed) {
                        stats.add(parsed.record());
                    } else if (result instanceof ParseResult.Rejected rejected) {
                        stats.reject(rejected.reason());
                        onReject.accept(new RejectedLine(file, line.offset(), rejected.reason(), rejected.detail(),
                                line.text()));
                    }
                }
            }
        }
        return stats;
    }

    private static LineReader open(Path file, int maxLineLength, LongConsumer onBytesRead) throws ReadException {
        InputStream raw = null;
        try {
            raw = new CountingInputStream(Files.newInputStream(file), onBytesRead);
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
