package io.stormwatch.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the lines of a sequence of complete files, one file after another, at least once: the engine of the
 * spool-directory and file spouts. A {@link Catalog} says which file comes next and what happens to a file
 * once it is done or broken; this class reads, tracks acks, replays failed lines from memory and checkpoints
 * resume points.
 *
 * <p>Semantics:
 * <ul>
 *   <li>{@link #next()} returns a failed line to replay if there is one, else the next line of the current
 *       file, else null. New lines are read only while fewer than {@code maxInFlight} lines are unacked, which
 *       bounds the memory that holds them for replay.</li>
 *   <li>Each line's source names its file instance, {@code <absolute path>#<instance id>}
 *       ({@link FileIdentity#sourceOf}, from the identity the file was opened with, which for a resumed file
 *       is the one recorded at pick-up), its offset is the byte offset in the (decompressed) file and its next
 *       offset where the next line starts; acks and fails are routed by source and offset, so a late ack or
 *       fail for a finished file never reaches a later file under the same name. A replayed line carries the
 *       values it was first emitted with.</li>
 *   <li>After a file's last line was read the next file is started while the previous one waits for its
 *       acks; a file is handed to {@link Catalog#completed} only once every line of it is acked.</li>
 *   <li>A file that changes on disk (size, modification time or key, checked at pick-up, every
 *       {@value #CHANGE_CHECK_LINES} lines, at its end and before completion) or cannot be read is handed to
 *       {@link Catalog#failed}: no further line of it is read, lines already emitted stay emitted and are
 *       still replayed from memory until acked (they are what the file held when read).</li>
 *   <li>Every {@code checkpointIntervalMillis} the resume point of each file (its contiguous acked prefix,
 *       see {@link LineTracker}) is handed to {@link Catalog#checkpoint} if it moved.</li>
 *   <li>No method throws: I/O problems of the catalog are logged and retried after an exponential backoff
 *       (100 ms up to 5 s); problems with one file fail that file.</li>
 * </ul>
 *
 * <p>Not thread-safe, except the counters, which a metrics thread may read.
 */
public final class ReliableFileReader implements Closeable {

    /** Decides which files are read and what becomes of them. Methods may throw to be retried later. */
    public interface Catalog {

        /**
         * A file to read from {@code offset}; {@code pickedUpAs} is how it looked when first picked up, which
         * it must still match, or null when it is picked up now.
         */
        record Claim(Path file, long offset, FileIdentity pickedUpAs) {}

        /** The next file to read, or null when there is none now. */
        Claim nextFile() throws IOException;

        /** True when {@link #nextFile} will return no more files (a directory that keeps growing never is). */
        boolean exhausted();

        /** Records durably that {@code file} resumes at {@code offset} (no-op where progress is not kept). */
        void checkpoint(Path file, long offset, FileIdentity identity) throws IOException;

        /** Every line of {@code file} was read and acked. Retried after a backoff when it throws. */
        void completed(Path file) throws IOException;

        /** {@code file} is not read further, for {@code reason}; must report it (it is not retried). */
        void failed(Path file, String reason);
    }

    static final int CHANGE_CHECK_LINES = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ReliableFileReader.class);

    private final Catalog catalog;
    private final int maxInFlight;
    private final int maxLineLength;
    private final long checkpointIntervalMillis;
    private final LongSupplier clockMillis;
    private final Backoff backoff = new Backoff(100, 5_000);

    private final Map<String, TrackedFile> open = new LinkedHashMap<>();
    private final Map<String, Long> checkpointed = new HashMap<>();
    private TrackedFile current;
    private int linesSinceChangeCheck;
    private long retryAtMillis;
    private long nextCheckpointAtMillis;

    private final AtomicLong linesEmitted = new AtomicLong();
    private final AtomicLong linesReplayed = new AtomicLong();
    private final AtomicLong filesCompleted = new AtomicLong();
    private final AtomicLong filesFailed = new AtomicLong();

    public ReliableFileReader(Catalog catalog, int maxInFlight, int maxLineLength, long checkpointIntervalMillis,
            LongSupplier clockMillis) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be positive, got " + maxInFlight);
        }
        this.catalog = catalog;
        this.maxInFlight = maxInFlight;
        this.maxLineLength = maxLineLength;
        this.checkpointIntervalMillis = checkpointIntervalMillis;
        this.clockMillis = clockMillis;
    }

    /** The next line to emit (a replay first), or null when there is none now. Never throws. */
    public SourcedLine next() {
        long now = clockMillis.getAsLong();
        if (now >= nextCheckpointAtMillis) {
            checkpoint();
            nextCheckpointAtMillis = now + checkpointIntervalMillis;
        }
        SourcedLine replay = nextReplay();
        if (replay != null) {
            return replay;
        }
        if (now < retryAtMillis) {
            return null;
        }
        try {
            finishDoneFiles();
            if (inFlight() >= maxInFlight) {
                return null;
            }
            if (current == null && !startNextFile()) {
                return null;
            }
            backoff.reset();
        } catch (IOException | RuntimeException e) {
            long delay = backoff.nextDelayMillis();
            LOG.warn("cannot go on reading files ({}); retrying in {} ms", e.toString(), delay);
            retryAtMillis = now + delay;
            return null;
        }
        return readCurrent();
    }

    /** Routes an ack; false when the line is not in flight (unknown source or offset, or acked before). */
    public boolean ack(String source, long offset) {
        TrackedFile file = open.get(source);
        return file != null && file.ack(offset);
    }

    /** Queues a line for replay; false when it is not in flight. */
    public boolean fail(String source, long offset) {
        TrackedFile file = open.get(source);
        return file != null && file.fail(offset);
    }

    /** True when the catalog is exhausted and every file read is done. */
    public boolean drained() {
        return current == null && open.isEmpty() && catalog.exhausted();
    }

    /** Lines emitted and not yet acked, over all files. */
    public int inFlight() {
        int total = 0;
        for (TrackedFile file : open.values()) {
            total += file.inFlight();
        }
        return total;
    }

    /** Hands every moved resume point to the catalog now. Never throws. */
    public void checkpoint() {
        for (TrackedFile file : open.values()) {
            long offset = file.resumeOffset();
            if (file.stopped() || checkpointed.getOrDefault(file.source(), -1L) == offset) {
                continue;
            }
            try {
                catalog.checkpoint(file.file(), offset, file.identity());
                checkpointed.put(file.source(), offset);
            } catch (IOException | RuntimeException e) {
                LOG.warn("cannot record progress of {} ({}); retrying at the next checkpoint", file.file(), e.toString());
            }
        }
    }

    public long linesEmitted() {
        return linesEmitted.get();
    }

    public long linesReplayed() {
        return linesReplayed.get();
    }

    public long filesCompleted() {
        return filesCompleted.get();
    }

    /** Files that changed after pick-up or could not be read. */
    public long filesFailed() {
        return filesFailed.get();
    }

    /** Checkpoints and closes every open file. */
    @Override
    public void close() {
        checkpoint();
        for (TrackedFile file : open.values()) {
            file.close();
        }
        open.clear();
        current = null;
    }

    private SourcedLine nextReplay() {
        for (TrackedFile file : open.values()) {
            LineReader.Line line = file.nextReplay();
            if (line != null) {
                linesReplayed.incrementAndGet();
                return new SourcedLine(line.text(), file.source(), line.offset(), line.end());
            }
        }
        return null;
    }

    private void finishDoneFiles() throws IOException {
        for (Iterator<TrackedFile> files = open.values().iterator(); files.hasNext(); ) {
            TrackedFile file = files.next();
            if (!file.done()) {
                continue;
            }
            if (!file.stopped() && changedSafely(file)) {
                failFile(file, "changed after it was read to its end");
            }
            if (!file.stopped()) {
                catalog.completed(file.file());
                filesCompleted.incrementAndGet();
            }
            files.remove();
            checkpointed.remove(file.source());
            file.close();
        }
    }

    private boolean startNextFile() throws IOException {
        Catalog.Claim claim = catalog.nextFile();
        if (claim == null) {
            return false;
        }
        Path path = claim.file();
        FileIdentity identity;
        try {
            identity = FileIdentity.of(path);
        } catch (NoSuchFileException e) {
            failPath(path, "does not exist");
            return false;
        } catch (IOException e) {
            failPath(path, "cannot be read: " + e);
            return false;
        }
        if (claim.pickedUpAs() != null && !identity.equals(claim.pickedUpAs())) {
            failPath(path, "changed after it was picked up (was " + claim.pickedUpAs() + ", now " + identity + ")");
            return false;
        }
        TrackedFile file;
        try {
            file = TrackedFile.open(path, identity, claim.offset(), maxLineLength);
        } catch (IOException e) {
            failPath(path, "cannot be read from offset " + claim.offset() + ": " + e);
            return false;
        }
        LOG.info("reading {} from offset {}", path, claim.offset());
        open.put(file.source(), file);
        checkpointed.put(file.source(), claim.offset());
        current = file;
        linesSinceChangeCheck = 0;
        return true;
    }

    private SourcedLine readCurrent() {
        TrackedFile file = current;
        LineReader.Line line;
        try {
            if (++linesSinceChangeCheck >= CHANGE_CHECK_LINES) {
                linesSinceChangeCheck = 0;
                if (file.changedOnDisk()) {
                    failFile(file, "changed while being read");
                    return null;
                }
            }
            line = file.readNext();
        } catch (IOException | RuntimeException e) {
            failFile(file, "cannot be read: " + e);
            return null;
        }
        if (line == null) {
            current = null;
            if (changedSafely(file)) {
                failFile(file, "changed while being read");
            }
            return null;
        }
        linesEmitted.incrementAndGet();
        return new SourcedLine(line.text(), file.source(), line.offset(), line.end());
    }

    private boolean changedSafely(TrackedFile file) {
        try {
            return file.changedOnDisk();
        } catch (IOException e) {
            return true;
        }
    }

    private void failFile(TrackedFile file, String reason) {
        file.stopReading();
        if (current == file) {
            current = null;
        }
        failPath(file.file(), reason + "; " + file.inFlight() + " of its lines are in flight and replayed until acked");
    }

    private void failPath(Path path, String reason) {
        filesFailed.incrementAndGet();
        try {
            catalog.failed(path, reason);
        } catch (RuntimeException e) {
            LOG.error("{} {}; reporting it failed too", path, reason, e);
        }
    }
}
