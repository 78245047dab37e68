package io.stormwatch.core.io;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a byte stream into lines, with bounded memory, and tells where each line starts and where the
 * next one starts.
 *
 * <p>Contract:
 * <ul>
 *   <li>A line ends at {@code \n}, {@code \r\n} or a bare {@code \r}; the terminator is not part of the
 *       text. The last line needs no terminator. A stream ending in a terminator has no empty last line.</li>
 *   <li>Bytes are decoded as UTF-8 by {@link #decode}: each invalid sequence becomes {@link #UNDECODABLE}, not
 *       U+FFFD, so that a line holding bad bytes can be told from one holding a U+FFFD that was written
 *       correctly (the parser rejects the first, wherever the bad bytes are, and accepts the second).</li>
 *   <li>A line longer than {@code maxLineLength} code points is not held whole: its first
 *       {@code maxLineLength + 1} code points are returned and the rest is skipped, so its text is always
 *       longer than the bound and the parser rejects it as too long. Memory stays bounded on any input:
 *       however long a run of invalid bytes, at most {@code 4 × (maxLineLength + 1)} bytes of a line are
 *       kept.</li>
 *   <li>{@link Line#offset()} is the byte offset of the line's first byte in the (decompressed) stream,
 *       counted from {@code startOffset}; {@link Line#end()} is the offset just past its terminator, where
 *       the next line starts, so consecutive lines touch ({@code end} of one == {@code offset} of the next)
 *       and a line occupies {@code [offset, end)}. {@link #position()} is the {@code end} of the last line
 *       returned, where a reader resumes (open the resumed reader with {@link #resume}).</li>
 *   <li>After a {@code \r} the reader looks at the next byte to see whether it is the {@code \n} of a
 *       {@code \r\n}. When that byte has not arrived yet: in {@linkplain #following(boolean) following}
 *       mode the line is held like an unterminated one (below), so its {@code end} is exact; otherwise,
 *       when the stream reports no byte {@linkplain InputStream#available() available} (so that a socket
 *       never blocks a complete line), the line ends just past the {@code \r} and a {@code \n} that comes
 *       next is skipped — the one case where a line's {@code end} is one byte short of the next line's
 *       start. A file read at rest never hits it: its streams report what is left exactly.</li>
 *   <li>In following mode (for a file that is still being written) an unterminated last line is not
 *       returned at end of stream: {@link #next()} returns null and keeps the bytes read so far, and a later
 *       call, once more bytes arrived, continues the same line.</li>
 * </ul>
 *
 * <p>Example: {@code "a\r\nbb\rc"} gives {@code ("a", 0, 3)}, {@code ("bb", 3, 6)}, {@code ("c", 6, 7)};
 * while following, the same stream gives {@code ("a", 0, 3)}, {@code ("bb", 3, 6)} and then null until a
 * terminator after {@code c} arrives (and, if that is a {@code \r}, the byte after it).
 *
 * <p>Cost: reading is a search for the next terminator, 8 bytes at a time, and a line found whole in the read
 * buffer is decoded from there; only a line that continues past the bytes buffered (one per 64 KiB read, or an
 * unterminated one while following) is copied aside. Code points are counted only in lines with more
 * bytes than the bound, since a line has no more code points than bytes.
 */
public final class LineReader implements Closeable {

    /** One line of text, the byte offset it starts at and the offset just past its terminator. */
    public record Line(String text, long offset, long end) {}

    /**
     * What each invalid UTF-8 sequence (a stray continuation byte, an overlong form, a sequence cut short, an
     * encoded surrogate, ...) decodes to: an unpaired low surrogate, a char no valid UTF-8 decodes to. U+FFFD
     * cannot serve, since it is valid text when the input holds its encoding {@code EF BF BD}.
     */
    public static final char UNDECODABLE = '\uDCFD';
    private static final String UNDECODABLE_TEXT = String.valueOf(UNDECODABLE);
    /** What {@link #encode} writes for {@link #UNDECODABLE}: a byte that is never valid UTF-8. */
    private static final byte UNDECODABLE_BYTE = (byte) 0xFF;

    private static final int BUFFER_SIZE = 64 * 1024;
    /** Reads 8 bytes of a byte array as a long, the first byte lowest, whatever the platform's order. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
    private static final long CRS = 0x0D0D0D0D0D0D0D0DL;
    private static final long BELOW_CR = 0x0E0E0E0E0E0E0E0EL;
    private static final long HIGH_BITS = 0x8080808080808080L;

    private final InputStream in;
    private final int maxLineLength;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private int bufferPos;
    private int bufferEnd;
    private long bufferStartOffset;
    private long position;
    private boolean skipLeadingLf;
    private boolean following;
    /** The line being read ended at a {@code \r} that was the last byte buffered: a {@code \n} may follow. */
    private boolean endedAtCr;

    // The line being read, once it continues beyond the bytes buffered: its bytes are held here (up to the
    // bound) so that the buffer can be refilled, and so that a following reader can continue it on a later
    // call. A line that is whole in the buffer is decoded from there and never copied here.
    private byte[] line = new byte[256];
    private int lineLength;
    /** Code points in {@code line}; counted only once {@code lineLength} exceeds {@code maxLineLength + 1}. */
    private int lineCodePoints;
    private boolean lineCut;
    private long lineOffset = -1;

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

    /**
     * A reader that continues at {@code offset}, a value {@link #position()} once returned, of the stream
     * {@code fromStart} (positioned at byte 0). It skips the bytes before {@code offset}; when the byte just
     * before it is a {@code \r}, a {@code \n} at {@code offset} is taken as the rest of that terminator, not
     * as an empty line.
     *
     * @throws EOFException when the stream is shorter than {@code offset}
     */
    public static LineReader resume(InputStream fromStart, int maxLineLength, long offset) throws IOException {
        LineReader reader = new LineReader(fromStart, maxLineLength, offset);
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
    public LineReader following(boolean following) {
        this.following = following;
        return this;
    }

    /** The next line, or null at end of stream (or, while following, when no complete line is there yet). */
    public Line next() throws IOException {
        while (true) {
            if (bufferPos == bufferEnd) {
                if (endedAtCr && !following && in.available() <= 0) {
                    // Reading on could block (a socket): end the line at the \r, skip a \n that comes next.
                    skipLeadingLf = true;
                    return takeHeldLine();
                }
                if (!fill()) {
                    if (lineOffset < 0 || following) {
                        return null;
                    }
                    return takeHeldLine();
                }
                if (endedAtCr) {
                    if (buffer[bufferPos] == '\n') {
                        bufferPos++;
                    }
                    return takeHeldLine();
                }
            }
            if (skipLeadingLf) {
                skipLeadingLf = false;
                if (buffer[bufferPos] == '\n') {
                    bufferPos++;
                    continue;
                }
            }
            int start = bufferPos;
            boolean startsHere = lineOffset < 0;
            if (startsHere) {
                lineOffset = bufferStartOffset + start;
            }
            int terminator = indexOfTerminator(buffer, start, bufferEnd);
            if (terminator < 0) {
                hold(start, bufferEnd);
                bufferPos = bufferEnd;
                continue;
            }
            bufferPos = terminator + 1;
            if (buffer[terminator] == '\r') {
                if (bufferPos == bufferEnd) {
                    hold(start, terminator);
                    endedAtCr = true;
                    continue;
                }
                if (buffer[bufferPos] == '\n') {
                    bufferPos++;
                }
            }
            if (startsHere) {
                // The common case: the whole line is in the buffer; decode it from there, copying nothing.
                return take(decode(buffer, start, keptEnd(buffer, start, terminator, 0, 0)));
            }
            hold(start, terminator);
            return takeHeldLine();
        }
    }

    /**
     * {@code bytes[from, to)} decoded as UTF-8, each invalid sequence as one {@link #UNDECODABLE}; a correctly
     * encoded U+FFFD stays U+FFFD. The one way bytes become line text, for every reader of lines.
     */
    public static String decode(byte[] bytes, int from, int to) {
        String text = new String(bytes, from, to - from, StandardCharsets.UTF_8);
        // The JDK's decoding is the fast one; it writes U+FFFD for bad bytes, and only a line that has a U+FFFD
        // (checked at no cost for a Latin-1 line) is decoded again, telling bad bytes from a written U+FFFD.
        if (text.indexOf('\uFFFD') < 0) {
            return text;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .replaceWith(UNDECODABLE_TEXT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder reported " + e, e);
        }
    }

    /**
     * The index of the first {@link #UNDECODABLE} at or after {@code from} that marks bad bytes, or -1. The char
     * {@code U+DCFD} is also the second half of valid supplementary characters (those whose code point ends in
     * {@code 0x0FD} in its low 10 bits, e.g. U+1F4FD 📽 or U+690FD); there it follows a high surrogate and marks
     * nothing. A marker never does: the decoder never writes a lone high surrogate.
     */
    public static int indexOfUndecodable(String text, int from) {
        for (int i = text.indexOf(UNDECODABLE, from); i >= 0; i = text.indexOf(UNDECODABLE, i + 1)) {
            if (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1))) {
                return i;
            }
        }
        return -1;
    }

    /** {@code text} with each {@link #UNDECODABLE} that marks bad bytes (see {@link #indexOfUndecodable}) as {@code shown}. */
    public static String showUndecodable(String text, char shown) {
        int first = indexOfUndecodable(text, 0);
        if (first < 0) {
            return text;
        }
        char[] chars = text.toCharArray();
        for (int i = first; i >= 0; i = indexOfUndecodable(text, i + 1)) {
            chars[i] = shown;
        }
        return new String(chars);
    }

    /**
     * {@code text} encoded as UTF-8, each {@link #UNDECODABLE} as the byte {@code 0xFF}: for writing a line on
     * that was read, so that its bad bytes stay bad ({@code decode(encode(t))} is {@code t}) instead of becoming
     * {@code ?} or a valid U+FFFD.
     */
    public static byte[] encode(String text) {
        if (indexOfUndecodable(text, 0) < 0) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        // The JDK's encoder would write '?' for the unpaired surrogate: encode the text around each one.
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length() + 16);
        int from = 0;
        for (int i = indexOfUndecodable(text, 0); i >= 0; i = indexOfUndecodable(text, from)) {
            out.writeBytes(text.substring(from, i).getBytes(StandardCharsets.UTF_8));
            out.write(UNDECODABLE_BYTE);
            from = i + 1;
        }
        out.writeBytes(text.substring(from).getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The {@link Line#end() end} of the last line returned: where the next line starts. */
    public long position() {
        return position;
    }

    /**
     * The index of the first {@code \n} or {@code \r} in {@code bytes[from, to)}, or -1. Terminators are rare
     * (one in some 200 bytes of an access log), so this is what reading costs per byte: it looks at 8 bytes at
     * a time, a byte that equals {@code c} being one that is zero in {@code word ^ (c * 0x0101…01)}.
     */
    static int indexOfTerminator(byte[] bytes, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long word = (long) LONGS.get(bytes, i);
            if (((word - BELOW_CR) & ~word & HIGH_BITS) == 0) {
                continue; // the usual word: no byte below 0x0E, so neither \n nor \r
            }
            long found = zeroBytes(word ^ LFS) | zeroBytes(word ^ CRS);
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            byte b = bytes[i];
            if (b == '\n' || b == '\r') {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code word} with the high bit set of each byte that is zero, maybe also of some bytes above the lowest
     * zero one (from the borrow), but of none below it: so its lowest set bit marks the first zero byte exactly.
     */
    private static long zeroBytes(long word) {
        return (word - 0x0101010101010101L) & ~word & HIGH_BITS;
    }

    /**
     * Where the kept part of {@code bytes[from, to)} ends, for a line of which {@code codePoints} code points
     * in {@code keptBytes} bytes are kept already: before the byte that starts its {@code maxLineLength + 2}-th
     * code point, or {@code to}. A code point starts at every byte that is no UTF-8 continuation byte
     * ({@code 10xxxxxx}), invalid ones included, so a cut never splits a character. Counts only when the bytes
     * could hold too many code points.
     *
     * <p>Also at most {@code 4 × (maxLineLength + 1)} bytes are kept, the most that many characters take: a
     * run of stray continuation bytes starts no code point, and would otherwise be held whole however long.
     * Only such invalid text is cut there (a valid line reaches the code-point bound first).
     */
    private int keptEnd(byte[] bytes, int from, int to, long codePoints, long keptBytes) {
        long room = Math.max(0, 4 * (maxLineLength + 1L) - keptBytes);
        if (codePoints + (to - from) <= maxLineLength + 1L && to - from <= room) {
            return to;
        }
        int limit = (int) Math.min(to, from + room);
        for (int i = from; i < limit; i++) {
            if ((bytes[i] & 0xC0) != 0x80 && ++codePoints > maxLineLength + 1L) {
                return i;
            }
        }
        return limit;
    }

    /**
     * Adds {@code buffer[from, to)} to the held line, which continues in bytes not read yet, up to the bound:
     * once the line is cut, the rest of it is skipped.
     */
    private void hold(int from, int to) {
        if (lineCut) {
            return;
        }
        int end = to;
        if (lineLength + (to - from) > maxLineLength + 1L) {
            // Counted only for a line that may be too long; while it is no longer than the bound in bytes,
            // its code points are not counted, since it cannot have more code points than bytes.
            if (lineLength <= maxLineLength + 1L) {
                lineCodePoints = codePoints(line, 0, lineLength);
            }
            end = keptEnd(buffer, from, to, lineCodePoints, lineLength);
            lineCodePoints += codePoints(buffer, from, end);
            lineCut = end < to;
        }
        int n = end - from;
        if (lineLength + n > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
        }
        System.arraycopy(buffer, from, line, lineLength, n);
        lineLength += n;
    }

    private static int codePoints(byte[] bytes, int from, int to) {
        int count = 0;
        for (int i = from; i < to; i++) {
            if ((bytes[i] & 0xC0) != 0x80) {
                count++;
            }
        }
        return count;
    }

    /** The held line, ending just before the next unread byte. */
    private Line takeHeldLine() {
        return take(decode(line, 0, lineLength));
    }

    /** The line being read, of {@code text}, ending just before the next unread byte. */
    private Line take(String text) {
        position = bufferStartOffset + bufferPos;
        Line result = new Line(text, lineOffset, position);
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
