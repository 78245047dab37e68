package io.stormwatch.core.io;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens log files, gzip or plain, told apart by content (the gzip magic), not by name. */
public final class Inputs {

    private Inputs() {}

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
