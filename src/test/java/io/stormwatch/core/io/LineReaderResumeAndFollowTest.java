package io.stormwatch.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The additions to {@link LineReader}: where each line ends, resuming at a position, and following a growing
 * stream.
 */
class LineReaderResumeAndFollowTest {

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> read(LineReader reader) throws IOException {
        List<String> lines = new ArrayList<>();
        for (LineReader.Line line; (line = reader.next()) != null; ) {
            lines.add(line.text() + "@" + line.offset());
        }
        return lines;
    }

    /** Resuming at every position a reader reports gives exactly the rest of the lines. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            "a\\r\\nbb\\rc"
            "a\\r\\n\\r\\nb"
            "x\\ry\\r"
            "\\n\\n"
            "one\\ntwo\\r\\n"
            """)
    void resumingAtAReportedPositionGivesTheRemainingLines(String escaped) throws IOException {
        String text = escaped.replace("\\r", "\r").replace("\\n", "\n");
        LineReader whole = new LineReader(bytes(text), 100);
        List<String> all = new ArrayList<>();
        List<Long> positions = new ArrayList<>();
        for (LineReader.Line line; (line = whole.next()) != null; ) {
            all.add(line.text() + "@" + line.offset());
            positions.add(whole.position());
        }
        for (int i = 0; i < positions.size(); i++) {
            assertThat(read(LineReader.resume(bytes(text), 100, positions.get(i))))
                    .as("resumed at %d", positions.get(i))
                    .isEqualTo(all.subList(i + 1, all.size()));
        }
        assertThat(read(LineReader.resume(bytes(text), 100, 0))).isEqualTo(all);
    }

    @Test
    void resumingBeyondTheEndIsAnError() {
        assertThatThrownBy(() -> LineReader.resume(bytes("abc"), 100, 5)).isInstanceOf(EOFException.class);
    }

    @Test
    void aFollowingReaderHoldsAnUnterminatedLineUntilItEnds() throws IOException {
        GrowingInput stream = new GrowingInput();
        LineReader reader = new LineReader(stream, 100).following(true);
        stream.append("first\nsec");
        assertThat(reader.next()).isEqualTo(new LineReader.Line("first", 0, 6));
        assertThat(reader.next()).isNull();
        assertThat(reader.position()).isEqualTo(6);

        stream.append("ond\r");
        assertThat(reader.next()).as("a \\n may still follow the \\r").isNull();
        stream.append("\nthird");
        assertThat(reader.next()).isEqualTo(new LineReader.Line("second", 6, 14));
        assertThat(reader.next()).isNull();

        reader.following(false);
        assertThat(reader.next()).isEqualTo(new LineReader.Line("third", 14, 19));
        assertThat(reader.position()).isEqualTo(19);
        assertThat(reader.next()).isNull();
    }

    @Test
    void aFollowedLineEndingInABareCrEndsThereOnceTheNextByteIsNoLf() throws IOException {
        GrowingInput stream = new GrowingInput();
        LineReader reader = new LineReader(stream, 100).following(true);
        stream.append("a\r");
        assertThat(reader.next()).isNull();
        stream.append("b\r");
        assertThat(reader.next()).isEqualTo(new LineReader.Line("a", 0, 2));
        assertThat(reader.next()).isNull();

        reader.following(false);
        assertThat(reader.next()).as("the stream ended after the \\r").isEqualTo(new LineReader.Line("b", 2, 4));
    }

    @Test
    void aFollowedOverlongLineIsStillCut() throws IOException {
        GrowingInput stream = new GrowingInput();
        LineReader reader = new LineReader(stream, 3).following(true);
        stream.append("abcdef");
        assertThat(reader.next()).isNull();
        stream.append("ghi\nok\n");
        assertThat(reader.next()).isEqualTo(new LineReader.Line("abcd", 0, 10));
        assertThat(reader.next()).isEqualTo(new LineReader.Line("ok", 10, 13));
    }

    /** Each line's end is just past its terminator, where the next line starts; the last ends the stream. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            "a\\r\\nbb\\rc"    | a@0-3 bb@3-6 c@6-7
            "a\\r\\n\\r\\nb"   | a@0-3 @3-5 b@5-6
            "x\\ry\\r"         | x@0-2 y@2-4
            "\\n\\n"           | @0-1 @1-2
            "one\\ntwo\\r\\n"  | one@0-4 two@4-9
            "toolong\\r\\nok"  | tool@0-9 ok@9-11
            """)
    void eachLineEndsWhereTheNextStarts(String escaped, String expected) throws IOException {
        String text = escaped.replace("\\r", "\r").replace("\\n", "\n");
        List<String> lines = new ArrayList<>();
        LineReader reader = new LineReader(bytes(text), 3);
        for (LineReader.Line line; (line = reader.next()) != null; ) {
            lines.add(line.text() + "@" + line.offset() + "-" + line.end());
            assertThat(reader.position()).isEqualTo(line.end());
        }
        assertThat(String.join(" ", lines)).isEqualTo(expected);
    }

    /**
     * A {@code \r\n} split by the reader's 64 KiB buffer still ends the line after the {@code \n}, in the
     * streams files are read with (plain, gzip, cut at a size): they report what is left exactly.
     */
    @ParameterizedTest
    @ValueSource(strings = {"bytes", "file", "gzip", "file cut at its size"})
    void aCrLfAcrossTheBufferBoundaryIsOneTerminator(String kind, @TempDir Path dir) throws IOException {
        byte[] content = ("x".repeat(64 * 1024 - 1) + "\r\nnext\n").getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("access.log");
        if (kind.equals("gzip")) {
            try (OutputStream gzip = new GZIPOutputStream(Files.newOutputStream(file))) {
                gzip.write(content);
            }
        } else {
            Files.write(file, content);
        }
        InputStream in = switch (kind) {
            case "bytes" -> new ByteArrayInputStream(content);
            case "file cut at its size" -> Inputs.open(file, Files.size(file));
            default -> Inputs.open(file);
        };
        try (LineReader reader = new LineReader(in, 100_000)) {
            assertThat(reader.next()).extracting(LineReader.Line::offset, LineReader.Line::end)
                    .containsExactly(0L, 65_537L);
            assertThat(reader.next()).isEqualTo(new LineReader.Line("next", 65_537, 65_542));
            assertThat(reader.next()).isNull();
        }
    }

    /**
     * A stream that cannot say whether more bytes are coming (a socket: {@code available()} is 0) is not read
     * on after a {@code \r}, so the line is not delayed; its end is then just past the {@code \r}, and a
     * {@code \n} that comes next is still no empty line.
     */
    @Test
    void aCrAtTheEndOfWhatASocketSentEndsTheLineAtOnce() throws IOException {
        GrowingInput stream = new GrowingInput();
        LineReader reader = new LineReader(stream, 100);
        stream.append("a\r");
        assertThat(reader.next()).isEqualTo(new LineReader.Line("a", 0, 2));
        stream.append("\nb\n");
        assertThat(reader.next()).isEqualTo(new LineReader.Line("b", 3, 5));
    }

    /**
     * However the bytes of a file arrive while it is followed, every line comes out with the offset and end
     * it has when the whole file is read at rest, and consecutive lines touch.
     */
    @Property
    void followingInAnyChunksGivesTheLinesOfTheFileAtRest(
            @ForAll @Size(max = 40) List<@StringLength(max = 6) @CharRange(from = 'a', to = 'c') String> texts,
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 2) Integer> terminators,
            @ForAll @Size(max = 60) List<@IntRange(min = 1, max = 9) Integer> chunkSizes) throws IOException {
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < texts.size(); i++) {
            int terminator = i < terminators.size() ? terminators.get(i) : 0;
            file.append(texts.get(i)).append(new String[] {"\n", "\r\n", "\r"}[terminator]);
        }
        byte[] content = file.toString().getBytes(StandardCharsets.UTF_8);

        List<LineReader.Line> atRest = new ArrayList<>();
        LineReader whole = new LineReader(new ByteArrayInputStream(content), 100);
        for (LineReader.Line line; (line = whole.next()) != null; ) {
            atRest.add(line);
        }

        GrowingInput stream = new GrowingInput();
        LineReader following = new LineReader(stream, 100).following(true);
        List<LineReader.Line> followed = new ArrayList<>();
        int appended = 0;
        for (int i = 0; appended < content.length; i++) {
            int n = Math.min(content.length - appended, i < chunkSizes.size() ? chunkSizes.get(i) : content.length);
            stream.append(Arrays.copyOfRange(content, appended, appended + n));
            appended += n;
            for (LineReader.Line line; (line = following.next()) != null; ) {
                followed.add(line);
            }
        }
        following.following(false);
        for (LineReader.Line line; (line = following.next()) != null; ) {
            followed.add(line);
        }

        assertThat(followed).isEqualTo(atRest);
        for (int i = 1; i < atRest.size(); i++) {
            assertThat(atRest.get(i).offset()).isEqualTo(atRest.get(i - 1).end());
        }
        assertThat(atRest.isEmpty() ? 0 : atRest.get(atRest.size() - 1).end()).isEqualTo(content.length);
    }
}
