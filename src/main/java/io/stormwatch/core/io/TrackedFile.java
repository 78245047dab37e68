package io.stormwatch.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * One complete file being read reliably: its {@link LineReader} (gzip or plain, offsets in the decompressed
 * stream) and the {@link BlockTracker} of its emitted blocks, under a source that names this file instance.
 * The reader cuts the lines it reads into blocks and registers each with {@link #emitted}.
 *
 * <p>Only the first {@code identity.size()} bytes are read, so bytes appended after the file was looked at
 * are never emitted; {@link #changedOnDisk()} reports such a change.
 *
 * <p>A file is <em>done</em> when it was read to its end (or reading was {@linkplain #stopReading stopped})
 * and every emitted block (or part of one) is acked. {@link #changedOnDisk()} tells whether the file differs
 * from the identity it was opened with; a complete file must not change while it is read.
 */
final class TrackedFile implements Closeable {

    private final Path file;
    private final String source;
    private final FileIdentity identity;
    private final BlockTracker tracker;
    private LineReader reader;
    private boolean stopped;

    private TrackedFile(Path file, FileIdentity identity, LineReader reader, long startOffset) {
        this.file = file;
        this.source = identity.sourceOf(file);
        this.identity = identity;
        this.reader = reader;
        this.tracker = new BlockTracker(startOffset);
    }

    /** Opens {@code file}, last seen as {@code identity}, to read its lines from {@code startOffset}. */
    static TrackedFile open(Path file, FileIdentity identity, long startOffset, int maxLineLength)
            throws IOException {
        InputStream in = Inputs.open(file, identity.size());
        try {
            return new TrackedFile(file, identity, LineReader.resume(in, maxLineLength, startOffset), startOffset);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    Path file() {
        return file;
    }

    /**
     * {@code <absolute path>#<instance id>} of the file as opened ({@link FileIdentity#sourceOf}): the tuples'
     * source and the key acks are routed by. Fixed at opening, so renaming the file (when it is done) or a
     * new file under its name never changes it.
     */
    String source() {
        return source;
    }

    FileIdentity identity() {
        return identity;
    }

    /**
     * The next unread line, or null at end of file or once reading is stopped. It is in flight only once
     * the block it goes into is registered with {@link #emitted}.
     */
    LineReader.Line readNext() throws IOException {
        if (reader == null) {
            return null;
        }
        LineReader.Line line = reader.next();
        if (line == null) {
            closeReader();
        }
        return line;
    }

    /** Registers a block of lines just read as in flight. */
    void emitted(LineBlock block) {
        tracker.emitted(block);
    }

    LineBlock nextReplay() {
        return tracker.nextReplay();
    }

    boolean hasReplay() {
        return tracker.hasReplay();
    }

    boolean ack(long offset) {
        return tracker.ack(offset);
    }

    boolean fail(long offset) {
        return tracker.fail(offset);
    }

    int inFlight() {
        return tracker.inFlight();
    }

    long bytesInFlight() {
        return tracker.bytesInFlight();
    }

    long resumeOffset() {
        return tracker.resumeOffset();
    }

    /** True once no new line will be read: the end was reached or reading was stopped. */
    boolean endReached() {
        return reader == null;
    }

    boolean done() {
        return reader == null && tracker.allAcked();
    }

    /** Reads no further line; lines already emitted are still tracked and replayed. */
    void stopReading() {
        stopped = true;
        closeReader();
    }

    boolean stopped() {
        return stopped;
    }

    /** True when the file's size, modification time or key differ from when it was opened, or it is gone. */
    boolean changedOnDisk() throws IOException {
        try {
            return !FileIdentity.of(file).equals(identity);
        } catch (NoSuchFileException e) {
            return true;
        }
    }

    private void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException e) {
                // Read-only stream: nothing was lost by a failing close.
            }
            reader = null;
        }
    }

    @Override
    public void close() {
        closeReader();
    }
}
