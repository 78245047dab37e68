package io.stormwatch.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The additions to {@link LineReader}: resuming at a position, and following a growing stream. */
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
        GrowingStream stream = new GrowingStream();
        LineReader reader = new LineReader(stream, 100).following(true);
        stream.append("first\nsec");
        assertThat(reader.next()).isEqualTo(new LineReader.Line("first", 0));
        assertThat(reader.next()).isNull();
        assertThat(reader.position()).isEqualTo(6);

        stream.append("ond\r");
        assertThat(reader.next()).isEqualTo(new LineReader.Line("second", 6));
        stream.append("\nthird");
        assertThat(reader.next()).isNull();

        reader.following(false);
        assertThat(reader.next()).isEqualTo(new LineReader.Line("third", 14));
        assertThat(reader.position()).isEqualTo(19);
        assertThat(reader.next()).isNull();
    }

    @Test
    void aFollowedOverlongLineIsStillCut() throws IOException {
        GrowingStream stream = new GrowingStream();
        LineReader reader = new LineReader(stream, 3).following(true);
        stream.append("abcdef");
        assertThat(reader.next()).isNull();
        stream.append("ghi\nok\n");
        assertThat(reader.next()).isEqualTo(new LineReader.Line("abcd", 0));
        assertThat(reader.next()).isEqualTo(new LineReader.Line("ok", 10));
    }

    /** A stream that reports its end until more bytes are appended, like a file being written. */
    private static final class GrowingStream extends InputStream {
        private byte[] data = new byte[0];
        private int position;

        void append(String text) {
            byte[] more = text.getBytes(StandardCharsets.UTF_8);
            byte[] grown = Arrays.copyOf(data, data.length + more.length);
            System.arraycopy(more, 0, grown, data.length, more.length);
            data = grown;
        }

        @Override
        public int read() {
            return position < data.length ? data[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position == data.length) {
                return -1;
            }
            int n = Math.min(length, data.length - position);
            System.arraycopy(data, position, buffer, offset, n);
            position += n;
            return n;
        }
    }
}
