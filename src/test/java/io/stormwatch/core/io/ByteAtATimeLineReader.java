package io.stormwatch.core.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The oracle of {@link LineReaderEquivalenceTest}: {@link LineReader} as it was when it looked at one byte at
 * a time (up to commit 10a41f0), unchanged but for its name and the later bound of 4 × (max + 1) bytes per
 * line, added to both, and its decoding, which is {@link LineReader#decode} for both. Its behaviour is the contract documented on
 * {@link LineReader}; the faster reader must give the same lines, offsets, ends and positions on any input,
 * however it arrives.
 */
final class ByteAtATimeLineReader implements Closeable {

    private static final int BUFFER_SIZE = 64 * 1024;

    private final InputStream in;
    private final int maxLineLength;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int bufferPos;
    private int bufferEnd;
    private long bufferStartOffset;
    private long position;
    private boolean skipLeadingLf;
    private boolean following;
    /** The line being assembled ended at a {@code \r} that was the last byte buffered: a {@code \n} may follow. */
    private boolean endedAtCr;

    // The line being assembled; kept in fields so that a following reader can continue it on a later call.
    private byte[] line = new byte[256];
    private int lineLength;
    private int lineCodePoints;
    private boolean lineCut;
    private long lineOffset = -1;

    /**
     * @param in            the stream, already positioned at {@code startOffset}
     * @param maxLineLength bound in code points; longer lines are cut (see class comment)
     * @param startOffset   the byte offset {@code in} is positioned at
     */
    ByteAtATimeLineReader(InputStream in, int maxLineLength, long startOffset) {
        this.in = in;
        this.maxLineLength = maxLineLength;
        this.bufferStartOffset = startOffset;
        this.position = startOffset;
    }

    ByteAtATimeLineReader(InputStream in, int maxLineLength) {
        this(in, maxLineLength, 0);
    }

    /**
     * A reader that continues at {@code offset}, a value {@link #position()} once returned, of the stream
     * {@code fromStart} (positioned at byte 0). It skips the bytes before {@code offset}; when the byte just
     * before it is a {@code \r}, a {@code \n} at {@code offset} is taken as the rest of that terminator, not
     * as an empty line.
     *
     * @throws EOFException when the stream is shorter than {@code offset}
     */
    static ByteAtATimeLineReader resume(InputStream fromStart, int maxLineLength, long offset) throws IOException {
        ByteAtATimeLineReader reader = new ByteAtATimeLineReader(fromStart, maxLineLength, offset);
        if (offset > 0) {
            fromStart.skipNBytes(offset - 1);
            int before = fromStart.read();
            if (before < 0) {
                throw new EOFException("stream ends before offset " + offset);
            }
            reader.skipLeadingLf = before == '\r';
        }
        return reader;
    }

    /**
     * Turns following mode on or off (off by default). Turning it off makes the next {@link #next()} return a
     * held unterminated line at end of stream, e.g. once a followed file has been rotated away.
     */
    ByteAtATimeLineReader following(boolean following) {
        this.following = following;
        return this;
    }

    /** The next line, or null at end of stream (or, while following, when no complete line is there yet). */
    LineReader.Line next() throws IOException {
        while (true) {
            if (bufferPos == bufferEnd) {
                if (endedAtCr && !following && in.available() <= 0) {
                    // Reading on could block (a socket): end the line at the \r, skip a \n that comes next.
                    skipLeadingLf = true;
                    return takeLine();
                }
                if (!fill()) {
                    if (lineOffset < 0 || following) {
                        return null;
                    }
                    return takeLine();
                }
                if (endedAtCr) {
                    return takeLineAfterCr();
                }
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
            if (b == '\n') {
                return takeLine();
            }
            if (b == '\r') {
                if (bufferPos < bufferEnd) {
                    return takeLineAfterCr();
                }
                endedAtCr = true;
                continue;
            }
            if (lineCut) {
                continue;
            }
            if ((b & 0xC0) != 0x80 && ++lineCodePoints > maxLineLength + 1) {
                lineCut = true;
                continue;
            }
            if (lineLength >= 4 * (maxLineLength + 1L)) {
                lineCut = true; // the byte bound, added to both readers together (stray continuation bytes)
                continue;
            }
            if (lineLength == line.length) {
                line = Arrays.copyOf(line, lineLength * 2);
            }
            line[lineLength++] = b;
        }
    }

    /** The {@link LineReader.Line#end() end} of the last line returned: where the next line starts. */
    public long position() {
        return position;
    }

    /** Ends the line at the {@code \r} just read, taking the next byte too when it is a {@code \n}. */
    private LineReader.Line takeLineAfterCr() {
        if (buffer[bufferPos] == '\n') {
            bufferPos++;
        }
        return takeLine();
    }

    /** The line assembled so far, ending just before the next unread byte. */
    private LineReader.Line takeLine() {
        position = bufferStartOffset + bufferPos;
        LineReader.Line result = new LineReader.Line(LineReader.decode(line, 0, lineLength), lineOffset, position);
        lineLength = 0;
        lineCodePoints = 0;
        lineCut = false;
        lineOffset = -1;
        endedAtCr = false;
        return result;
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

    @Override
    public void close() throws IOException {
        in.close();
    }
}
