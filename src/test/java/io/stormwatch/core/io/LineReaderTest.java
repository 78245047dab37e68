package io.stormwatch.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What {@link LineReader} makes of a stream read at rest: terminators, offsets and ends, lines cut at the
 * maximum length, invalid UTF-8, lines longer than its buffer. Every case is read with the whole input at
 * once and in chunks of a few bytes, since a line may come in pieces across reads; a file's streams report
 * what is left as {@link InputStream#available()}, and so does the stream here.
 */
class LineReaderTest {

    /** Chunk sizes each case is read with: the whole at once, then a few bytes per read. */
    private static final int[] CHUNKS = {Integer.MAX_VALUE, 1, 2, 3, 5};

    /**
     * {@code input} with escapes {@code \n}, {@code \r} and {@code \xHH} (one byte); {@code expected} is
     * {@code text@offset-end} per line, space-separated, ⍰ standing for what an invalid sequence decodes to
     * ({@link LineReader#UNDECODABLE}), so that it is told from a U+FFFD that was in the input.
     */
    @ParameterizedTest(name = "[{index}] {0} (max {1}) → {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # input                           | max | expected
            "a\\nbb\\n"                       | 10  | a@0-2 bb@2-5
            "a\\r\\nbb\\rc"                   | 10  | a@0-3 bb@3-6 c@6-7
            "\\n\\r\\n\\r"                    | 10  | @0-1 @1-3 @3-4
            "abc"                             | 10  | abc@0-3
            ""                                | 10  | ""
            "abcdef\\nok"                     | 3   | abcd@0-7 ok@7-9
            "abcd\\r\\nok"                    | 3   | abcd@0-6 ok@6-8
            "abcdefgh\\r"                     | 3   | abcd@0-9
            "éééééé\\nx"                      | 3   | éééé@0-13 x@13-14
            "😀😀😀\\n"                        | 1   | 😀😀@0-13
            "a\\xFFb\\n"                      | 10  | a⍰b@0-4
            "\\xC3\\n\\xC3"                   | 10  | ⍰@0-2 ⍰@2-3
            "é\\xA9xy\\n"                     | 1   | é⍰x@0-6
            "\\x80\\x80\\x80\\x80a\\nb"       | 1   | ⍰⍰⍰⍰a@0-6 b@6-7
            "\\x80\\x80\\x80\\x80\\x80\\x80\\x80\\x80\\x80\\x80a\\nb" | 1 | ⍰⍰⍰⍰⍰⍰⍰⍰@0-12 b@12-13
            "\\xF0\\x9F\\x98\\n"              | 10  | ⍰@0-4
            "a\\xEF\\xBF\\xBDb\\n"            | 10  | a�b@0-6
            # the largest bound cuts nothing (max + 1 once overflowed, and every line came out empty)
            "abc\\nd"                         | 2147483647 | abc@0-4 d@4-5
            """)
    void readsLinesWithTheirOffsetsAndEnds(String input, int max, String expected) throws IOException {
        byte[] bytes = unescape(input);
        for (int chunk : CHUNKS) {
            assertThat(String.join(" ", read(ChunkedInput.file(bytes, chunk), max)))
                    .as("read %s bytes at a time", chunk == Integer.MAX_VALUE ? "all" : chunk)
                    .isEqualTo(expected);
        }
    }

    /**
     * A line longer than the reader's 64 KiB buffer comes whole, or cut at the maximum length, with the same
     * offsets; so does one of multi-byte characters whose cut falls in a later buffer.
     */
    @ParameterizedTest(name = "max {0}")
    @ValueSource(ints = {10, 40_000, 69_999, 70_000, 100_000})
    void aLineLongerThanTheBufferIsWholeOrCut(int max) throws IOException {
        for (String character : List.of("x", "é")) {
            String text = character.repeat(70_000);
            byte[] bytes = (text + "\r\nend").getBytes(StandardCharsets.UTF_8);
            int size = text.getBytes(StandardCharsets.UTF_8).length;
            String kept = text.length() > max ? character.repeat(max + 1) : text;
            for (int chunk : new int[] {Integer.MAX_VALUE, 4093}) {
                assertThat(read(ChunkedInput.file(bytes, chunk), max))
                        .as("%s, %d bytes at a time", character, chunk)
                        .containsExactly(kept + "@0-" + (size + 2), "end@" + (size + 2) + "-" + (size + 5));
            }
        }
    }

    /**
     * The terminator search, which looks at 8 bytes at a time, finds the first {@code \n} or {@code \r} at
     * every place in a word and in the bytes after the last whole word, from any start, among bytes that
     * differ from a terminator by one bit or by borrowing ({@code 0x0B}, {@code 0x0C}, {@code 0x8A},
     * {@code 0x00}, {@code 0xFF}).
     */
    @ParameterizedTest(name = "filler {0}")
    @ValueSource(ints = {'a', 0x0B, 0x0C, 0x09, 0x8A, 0x8D, 0x00, 0x01, 0xFF, 0x0E})
    void theTerminatorSearchFindsTheFirstTerminatorAnywhere(int filler) {
        for (int length = 0; length <= 24; length++) {
            for (int from = 0; from <= Math.min(length, 9); from++) {
                byte[] bytes = new byte[length];
                Arrays.fill(bytes, (byte) filler);
                assertThat(LineReader.indexOfTerminator(bytes, from, length)).isEqualTo(-1);
                for (int at = from; at < length; at++) {
                    for (byte terminator : new byte[] {'\n', '\r'}) {
                        bytes[at] = terminator;
                        if (at + 1 < length) {
                            bytes[at + 1] = (byte) ('\n' + '\r' - terminator);
                        }
                        assertThat(LineReader.indexOfTerminator(bytes, from, length))
                                .as("%d bytes from %d, %d at %d", length, from, terminator, at)
                                .isEqualTo(at);
                        assertThat(LineReader.indexOfTerminator(bytes, from, at)).isEqualTo(-1);
                        Arrays.fill(bytes, (byte) filler);
                    }
                }
            }
        }
    }

    private static List<String> read(InputStream in, int max) throws IOException {
        List<String> lines = new ArrayList<>();
        try (LineReader reader = new LineReader(in, max)) {
            for (LineReader.Line line; (line = reader.next()) != null; ) {
                assertThat(reader.position()).isEqualTo(line.end());
                lines.add(line.text().replace(LineReader.UNDECODABLE, '⍰') + "@" + line.offset() + "-" + line.end());
            }
        }
        return lines;
    }

    /** {@code \n}, {@code \r} and {@code \xHH} turned into their bytes, everything else into UTF-8. */
    static byte[] unescape(String escaped) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < escaped.length(); ) {
            if (escaped.startsWith("\\n", i)) {
                out.write('\n');
                i += 2;
            } else if (escaped.startsWith("\\r", i)) {
                out.write('\r');
                i += 2;
            } else if (escaped.startsWith("\\x", i)) {
                out.write(HexFormat.fromHexDigits(escaped, i + 2, i + 4));
                i += 4;
            } else {
                int end = i + Character.charCount(escaped.codePointAt(i));
                out.writeBytes(escaped.substring(i, end).getBytes(StandardCharsets.UTF_8));
                i = end;
            }
        }
        return out.toByteArray();
    }
}
