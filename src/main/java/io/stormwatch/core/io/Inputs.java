package io.stormwatch.core.io;

import java.io.BufferedInputStream;
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
        return open(Files.newInputStream(file));
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

    /** True when {@code file} starts with the gzip magic. */
    public static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }
}
