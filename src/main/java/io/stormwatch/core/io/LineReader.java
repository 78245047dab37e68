package io.stormwatch.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into lines, with bounded memory, and tells where each line starts.
 *
 * <p>Contract:
 * <ul>
 *   <li>A line ends at {@code \n}, {@code \r\n} or a bare {@code \r}; the terminator is not part of the
 *       text. The last line needs no terminator. A stream ending in a terminator has no empty last line.</li>
 *   <li>Bytes are decoded as UTF-8; invalid sequences become U+FFFD (the parser decides whether that
 *       breaks the grammar).</li>
 *   <li>A line longer than {@code maxLineLength} code points is not held whole: its first
 *       {@code maxLineLength + 1} code points are returned and the rest is skipped, so its text is always
 *       longer than the bound and the parser rejects it as too long. Memory stays bounded on any input.</li>
 *   <li>{@link Line#offset()} is the byte offset of the line's first byte in the (decompressed) stream,
 *       counted from {@code startOffset}; {@link #position()} is the offset just past the last line
 *       returned, where a reader resumes.</li>
 * </ul>
 *
 * <p>Example: {@code "a\r\nbb\rc"} gives {@code ("a", 0)}, {@code ("bb", 3)}, {@code ("c", 6)}.
 */
public final class LineReader implements Closeable {

    /** One line of text and the byte offset it starts at. */
    public record Line(String text, long offset) {}

    private static final int BUFFER_SIZE = 64 * 1024;

    private final InputStream in;
    private final int maxLineLength;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int bufferPos;
    private int bufferEnd;
    private long bufferStartOffset;
    private long position;
    private boolean skipLeadingLf;
    private byte[] line = new byte[256];

    /**
     * @param in            the stream, already positioned at {@code startOffset}
     * @param maxLineLength bound in code points; longer lines are cut (see class comment)
     * @param startOffset   the byte offset {@code in} is positioned at
     */
    public LineReader(InputStream in, int maxLineLength, long startOffset) {
        this.in = in;
        this.maxLineLength = maxLineLength;
        this.bufferStartOffset = startOffset;
        this.position = startOffset;
    }

    public LineReader(InputStream in, int maxLineLength) {
        this(in, maxLineLength, 0);
    }

    /** The next line, or null at end of stream. */
    public Line next() throws IOException {
        int lineLength = 0;
        int codePoints = 0;
        boolean cut = false;
        long lineOffset = -1;
        while (true) {
            if (bufferPos == bufferEnd && !fill()) {
                if (lineOffset < 0) {
                    return null;
                }
                position = bufferStartOffset + bufferPos;
                return new Line(decode(lineLength), lineOffset);
            }
            byte b = buffer[bufferPos];
            if (skipLeadingLf) {
                skipLeadingLf = false;
                if (b == '\n') {
                    bufferPos++;
                    continue;
                }
            }
            if (lineOffset < 0) {
                lineOffset = bufferStartOffset + bufferPos;
            }
            bufferPos++;
            if (b == '\n' || b == '\r') {
                skipLeadingLf = b == '\r';
                position = bufferStartOffset + bufferPos;
                return new Line(decode(lineLength), lineOffset);
            }
            if (cut) {
                continue;
            }
            if ((b & 0xC0) != 0x80 && ++codePoints > maxLineLength + 1) {
                cut = true;
                continue;
            }
            if (lineLength == line.length) {
                line = Arrays.copyOf(line, lineLength * 2);
            }
            line[lineLength++] = b;
        }
    }

    /** Byte offset just past the last line returned. */
    public long position() {
        return position;
    }

    private boolean fill() throws IOException {
        bufferStartOffset += bufferEnd;
        bufferPos = 0;
        bufferEnd = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            return false;
        }
        bufferEnd = n;
        return true;
    }

    private String decode(int length) {
        return new String(line, 0, length, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
