package io.stormwatch.core.io;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A stream that reports its end until more bytes are appended, like a file being written. */
final class GrowingInput extends InputStream {

    private byte[] data = new byte[0];
    private int position;

    void append(String text) {
        append(text.getBytes(StandardCharsets.UTF_8));
    }

    void append(byte[] more) {
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
