package io.stormwatch.core.io;

import java.io.InputStream;
import java.util.List;

/**
 * Bytes handed out in chunks of the given sizes, in turn (0: as many as asked for), so that lines and code points
 * straddle reads. At rest (a file) it reports what is left as available; otherwise (a socket) nothing.
 */
final class ChunkedInput extends InputStream {

    private final byte[] data;
    private final List<Integer> chunks;
    private final boolean atRest;
    private int position;
    private int reads;

    ChunkedInput(byte[] data, List<Integer> chunks, boolean atRest) {
        this.data = data;
        this.chunks = chunks;
        this.atRest = atRest;
    }

    /** At most {@code chunk} bytes per read, like a file. */
    static ChunkedInput file(byte[] data, int chunk) {
        return new ChunkedInput(data, List.of(chunk), true);
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
        int chunk = chunks.get(reads++ % chunks.size());
        int n = Math.min(Math.min(length, chunk == 0 ? Integer.MAX_VALUE : chunk), data.length - position);
        System.arraycopy(data, position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return atRest ? data.length - position : 0;
    }
}
