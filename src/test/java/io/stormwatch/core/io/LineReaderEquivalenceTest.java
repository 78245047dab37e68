package io.stormwatch.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link LineReader} gives, call for call, what {@link ByteAtATimeLineReader} (the reader before it scanned
 * whole runs of bytes) gives: the same lines, offsets, ends, positions and nulls, on inputs made of ASCII,
 * multi-byte characters, invalid bytes and every terminator, with short maximum lengths, arriving in chunks
 * of any size (0 standing for all that is left), read at rest, from a socket (nothing ever reported available), or followed while they grow,
 * and resumed at any position.
 */
class LineReaderEquivalenceTest {

    /** What inputs are made of: ASCII, 2- and 4-byte characters, terminators, invalid and stray bytes. */
    private static final byte[][] PIECES = {
        {'a'}, {'b'}, {(byte) 0xC3, (byte) 0xA9}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80},
        {'\n'}, {'\r'}, {'\r', '\n'}, {(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xC3}, {'c', 'd', 'e', 'f', 'g'},
    };

    private enum Mode { AT_REST, SOCKET, FOLLOWING }

    /** The two readers, seen alike. */
    private interface Reader {
        LineReader.Line next() throws IOException;

        long position();

        void following(boolean following);
    }

    @Property(tries = 2000)
    void givesWhatTheByteAtATimeReaderGives(
            @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 10) Integer> pieces,
            @ForAll @IntRange(min = 1, max = 6) int maxLineLength,
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 9) Integer> chunkSizes,
            @ForAll Mode mode,
            @ForAll @IntRange(min = 0, max = 100) int resumeAtPercent) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        pieces.forEach(piece -> out.writeBytes(PIECES[piece]));
        byte[] content = out.toByteArray();

        assertThat(run(content, chunkSizes, mode, in -> adapt(new LineReader(in, maxLineLength)), 0))
                .isEqualTo(run(content, chunkSizes, mode, in -> adapt(new ByteAtATimeLineReader(in, maxLineLength)), 0));

        // Resumed at one of the positions read at rest.
        List<Long> positions = new ArrayList<>(List.of(0L));
        ByteAtATimeLineReader atRest = new ByteAtATimeLineReader(ChunkedInput.file(content, 64), maxLineLength);
        while (atRest.next() != null) {
            positions.add(atRest.position());
        }
        long offset = positions.get(resumeAtPercent * (positions.size() - 1) / 100);
        assertThat(run(content, chunkSizes, mode, in -> adapt(LineReader.resume(in, maxLineLength, offset)), offset))
                .as("resumed at %d", offset)
                .isEqualTo(run(content, chunkSizes, mode,
                        in -> adapt(ByteAtATimeLineReader.resume(in, maxLineLength, offset)), offset));
    }

    private interface Opener {
        Reader open(InputStream in) throws IOException;
    }

    /**
     * Every call's result ({@code text@offset-end} or null) and the position after it, reading {@code content}
     * from {@code offset} (the reader skips the bytes before it itself).
     */
    private static List<String> run(byte[] content, List<Integer> chunkSizes, Mode mode, Opener opener, long offset)
            throws IOException {
        List<String> calls = new ArrayList<>();
        if (mode == Mode.FOLLOWING) {
            GrowingInput stream = new GrowingInput();
            stream.append(Arrays.copyOf(content, (int) offset));
            Reader reader = opener.open(stream);
            reader.following(true);
            int appended = (int) offset;
            for (int i = 0; appended < content.length; i++) {
                int chunk = chunkSizes.get(i % chunkSizes.size());
                int n = chunk == 0 ? content.length - appended : Math.min(content.length - appended, chunk);
                stream.append(Arrays.copyOfRange(content, appended, appended + n));
                appended += n;
                drain(reader, calls);
            }
            reader.following(false);
            drain(reader, calls);
            return calls;
        }
        drain(opener.open(new ChunkedInput(content, chunkSizes, mode == Mode.AT_REST)), calls);
        return calls;
    }

    private static void drain(Reader reader, List<String> calls) throws IOException {
        for (int i = 0; i < 1000; i++) {
            LineReader.Line line = reader.next();
            calls.add((line == null ? "null" : line.text() + "@" + line.offset() + "-" + line.end())
                    + " pos " + reader.position());
            if (line == null) {
                return;
            }
        }
        throw new AssertionError("no end after 1000 lines");
    }

    private static Reader adapt(LineReader reader) {
        return new Reader() {
            @Override
            public LineReader.Line next() throws IOException {
                return reader.next();
            }

            @Override
            public long position() {
                return reader.position();
            }

            @Override
            public void following(boolean following) {
                reader.following(following);
            }
        };
    }

    private static Reader adapt(ByteAtATimeLineReader reader) {
        return new Reader() {
            @Override
            public LineReader.Line next() throws IOException {
                return reader.next();
            }

            @Override
            public long position() {
                return reader.position();
            }

            @Override
            public void following(boolean following) {
                reader.following(following);
            }
        };
    }
}
