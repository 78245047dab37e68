package io.stormwatch.core.io;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.GZIPInputStream;

/**
 * Opens log files, gzip or plain, told apart by content (the gzip magic), not by name, so a pipe, a FIFO, a
 * process substitution ({@code <(zcat F)}, {@code /dev/fd/N}) or standard input holding gzip is read as such.
 * {@link #STDIN} ({@code -}) names standard input, where a command takes it ({@link #raw}).
 */
public final class Inputs {

    /** The file name that stands for standard input, as for {@code cat} and {@code gzip}. */
    public static final Path STDIN = Path.of("-");

    private Inputs() {}

    /**
     * The raw bytes of {@code file}, or of standard input for {@link #STDIN}; closing the stream leaves
     * standard input open, as it is not the caller's. A pipe or FIFO is read with a {@link FileInputStream}:
     * the stream of {@link Files#newInputStream} asks a pipe for its position to tell what is
     * {@linkplain InputStream#available() available}, which fails ("Illegal seek") and breaks buffered reads.
     */
    public static InputStream raw(Path file) throws IOException {
        if (file.equals(STDIN)) {
            return new FilterInputStream(System.in) {
                @Override
                public void close() {
                    // Not ours to close.
                }
            };
        }
        if (!Files.isRegularFile(file) && Files.exists(file)) {
            return new FileInputStream(file.toFile());
        }
        return Files.newInputStream(file); // names a missing or unreadable file with a typed exception
    }

    /**
     * Throws when {@code file} cannot be read, without opening it: opening a FIFO to try it would wait for a
     * writer, and closing it again could make the writer fail. {@link #STDIN} always passes. A missing file
     * gives {@link NoSuchFileException}; an unreadable one, or one behind a directory that may not be searched,
     * {@link AccessDeniedException} (so that it is not mistaken for a missing one, as {@link Files#exists}
     * would); a directory a {@link FileSystemException} whose reason is {@code "is a directory"}.
     */
    public static void checkReadable(Path file) throws IOException {
        if (file.equals(STDIN)) {
            return;
        }
        if (Files.readAttributes(file, BasicFileAttributes.class).isDirectory()) {
            throw new FileSystemException(file.toString(), null, "is a directory");
        }
        if (!Files.isReadable(file)) {
            throw new AccessDeniedException(file.toString());
        }
    }

    /** Opens {@code file} for reading, decompressing it when it is gzip. */
    public static InputStream open(Path file) throws IOException {
        return open(file, Long.MAX_VALUE);
    }

    /**
     * Opens {@code file} like {@link #open(Path)}, reading at most its first {@code limit} bytes (before
     * decompression): bytes appended after its size was taken are not read.
     */
    public static InputStream open(Path file, long limit) throws IOException {
        return open(limited(Files.newInputStream(file), limit));
    }

    /**
     * Wraps {@code in}, decompressing it when it starts with the gzip magic; for callers that count or
     * throttle the raw bytes themselves.
     */
    public static InputStream open(InputStream in) throws IOException {
        InputStream raw = new BufferedInputStream(in, 64 * 1024);
        raw.mark(2);
        int b1 = raw.read();
        int b2 = raw.read();
        raw.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            return new GZIPInputStream(raw, 64 * 1024);
        }
        return raw;
    }

    private static InputStream limited(InputStream in, long limit) {
        if (limit == Long.MAX_VALUE) {
            return in;
        }
        return new FilterInputStream(in) {
            private long left = limit;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(buffer, offset, (int) Math.min(length, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }

            @Override
            public long skip(long n) throws IOException {
                long skipped = super.skip(Math.min(n, left));
                left -= skipped;
                return skipped;
            }

            @Override
            public int available() throws IOException {
                return (int) Math.min(super.available(), left);
            }

            @Override
            public boolean markSupported() {
                return false;
            }
        };
    }

    /** True when {@code file} starts with the gzip magic. */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }
}
