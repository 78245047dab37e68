package io.stormwatch.core.io;

import io.stormwatch.core.window.BlockPosition;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the lines of a sequence of complete files, one file after another, in blocks, at least once: the
 * engine of the spool-directory and file spouts. A {@link Catalog} says which file comes next and what
 * happens to a file once it is done or broken; this class reads, cuts blocks, tracks acks, replays failed
 * blocks from memory and checkpoints resume points.
 *
 * <p>Semantics:
 * <ul>
 *   <li>{@link #next()} returns a failed part to replay if there is one, else a new block of the current
 *       file, else null. A new block holds the next lines of the file up to the {@link BlockBounds} (a
 *       complete file always has them available, so blocks are full but for the last of a file); it never
 *       holds lines of two files. New lines are read only while fewer than {@code maxInFlight} lines are
 *       unacked, and a block takes no more lines than that leaves room for, which bounds the memory that
 *       holds them for replay.</li>
 *   <li>Each block's source names its file instance, {@code <absolute path>#<instance id>}
 *       ({@link FileIdentity#sourceOf}, from the identity the file was opened with, which for a resumed file
 *       is the one recorded at pick-up); its offsets are byte offsets in the (decompressed) file and its next
 *       offset where the line after it starts. Acks and fails are routed by source and offset, so a late ack
 *       or fail for a finished file never reaches a later file under the same name.</li>
 *   <li>Positions: the reader is built with an {@code epoch} and numbers the new blocks it emits
 *       {@code 0, 1, 2, …} over all its files ({@link BlockPosition}).</li>
 *   <li>A block is acked or failed whole, by the offset of its first line. A failed block is emitted again
 *       as single-line parts, each tracked on its own with the offset of its line, and a failed part is
 *       emitted again as the same part ({@link BlockTracker} tells why and gives an example). Replays keep
 *       the values and position they were first emitted with.</li>
 *   <li>After a file's last line was read the next file is started while the previous one waits for its
 *       acks; a file is handed to {@link Catalog#completed} only once every block and part of it is acked.
 *       If the catalog {@linkplain Catalog#retiresCompletedFiles() retires completed files}, its source is
 *       then offered by {@link #pollRetired()}: it will never be emitted again.</li>
 *   <li>A file that changes on disk (size, modification time or key, checked at pick-up, every
 *       {@value #CHANGE_CHECK_LINES} lines or so — at the first block boundary after that many — at its end
 *       and before completion) or cannot be read is handed to {@link Catalog#failed}: no further line of it
 *       is read, blocks already emitted stay emitted and are still replayed from memory until acked (they
 *       are what the file held when read). A read error inside a block still emits the lines read before
 *       it.</li>
 *   <li>Every {@code checkpointIntervalMillis} the resume point of each file (the start of its oldest
 *       unacked block or part, see {@link BlockTracker}) is handed to {@link Catalog#checkpoint} if it
 *       moved.</li>
 *   <li>No method throws: I/O problems of the catalog are logged and retried after an exponential backoff
 *       (100 ms up to 5 s); problems with one file fail that file.</li>
 * </ul>
 *
 * <p>Example with blocks of at most 1,000 lines: a file of 2,500 lines gives blocks of 1,000, 1,000 and 500
 * lines at seq 0, 1, 2, whose {@code [offset, next-offset)} ranges touch and cover the file; the next file
 * starts at seq 3. If block 1 fails, lines 1,000 … 1,999 come back one per call as parts 0 … 999 of 1,000
 * at seq 1, and the file is completed once block 0, block 2 and all 1,000 parts are acked.
 *
 * <p>Not thread-safe, except the counters and {@link #inFlight()}, which a metrics thread may read.
 */
public final class ReliableFileReader implements Closeable {

    /**
     * @param maxInFlight             at most this many lines are emitted and unacked (their text is kept for
     *                                replay)
     * @param maxLineLength           longer lines are cut (see {@link LineReader})
     * @param blocks                  how large a block may grow
     * @param checkpointIntervalMillis how often resume points are handed to the catalog (0: on every call)
     * @param maxBytesInFlight        no new block is read while the unacked lines span this many input bytes
     *                                or more (long lines: the line bound alone would let memory grow)
     */
    public record Settings(int maxInFlight, int maxLineLength, BlockBounds blocks, long checkpointIntervalMillis,
            long maxBytesInFlight) {

        /** With the default bound on bytes in flight ({@link BlockTracker#DEFAULT_MAX_BYTES_IN_FLIGHT}). */
        public Settings(int maxInFlight, int maxLineLength, BlockBounds blocks, long checkpointIntervalMillis) {
            this(maxInFlight, maxLineLength, blocks, checkpointIntervalMillis, BlockTracker.DEFAULT_MAX_BYTES_IN_FLIGHT);
        }

        public Settings {
            if (maxBytesInFlight < 1) {
                throw new IllegalArgumentException("maxBytesInFlight must be positive, got " + maxBytesInFlight);
            }
            if (maxInFlight < 1) {
                throw new IllegalArgumentException("maxInFlight must be positive, got " + maxInFlight);
            }
            if (blocks == null) {
                throw new IllegalArgumentException("block bounds are needed");
            }
        }
    }

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

        /**
         * True when a completed file's source is never read again, so downstream may forget it (a spool
         * directory renames done files, and a new file under the name is another instance); false (the
         * default) when the same source may come back, e.g. the same unchanged file read again by a later
         * run.
         */
        default boolean retiresCompletedFiles() {
            return false;
        }
    }

    static final int CHANGE_CHECK_LINES = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(ReliableFileReader.class);
    /** How many failed files {@link #unread()} names one by one. */
    private static final int UNREAD_KEPT = 100;

    private final Catalog catalog;
    private final Settings settings;
    private final long epoch;
    private final LongSupplier clockMillis;
    private final Backoff backoff = new Backoff(100, 5_000);

    private final Map<String, TrackedFile> open = new LinkedHashMap<>();
    private final Map<String, Long> checkpointed = new HashMap<>();
    private final Deque<String> retired = new ArrayDeque<>();
    private TrackedFile current;
    private int linesSinceChangeCheck;
    private long retryAtMillis;
    private long nextCheckpointAtMillis;
    /** Kept apart from the trackers so that a metrics thread can read it. */
    private volatile int linesInFlight;
    private long bytesInFlight;

    private final AtomicLong linesEmitted = new AtomicLong();
    private final AtomicLong linesReplayed = new AtomicLong();
    private final AtomicLong blocksEmitted = new AtomicLong();
    private final AtomicLong filesCompleted = new AtomicLong();
    private final AtomicLong filesFailed = new AtomicLong();
    /** The first {@value #UNREAD_KEPT} files that failed, as {@code path: reason}. */
    private final List<String> unread = new ArrayList<>();

    /**
     * @param epoch       identifies this run of the reader in the positions of its blocks (a spout passes
     *                    the time it opened)
     * @param clockMillis the time, for checkpoints and retries
     */
    public ReliableFileReader(Catalog catalog, Settings settings, long epoch, LongSupplier clockMillis) {
        this.catalog = catalog;
        this.settings = settings;
        this.epoch = epoch;
        this.clockMillis = clockMillis;
    }

    /** The next block to emit (a replayed part first), or null when there is none now. Never throws. */
    public LineBlock next() {
        long now = clockMillis.getAsLong();
        if (now >= nextCheckpointAtMillis) {
            checkpoint();
            nextCheckpointAtMillis = now + settings.checkpointIntervalMillis();
        }
        LineBlock replay = nextReplay();
        if (replay != null) {
            return replay;
        }
        if (now < retryAtMillis) {
            return null;
        }
        try {
            finishDoneFiles();
            if (inFlight() >= settings.maxInFlight() || bytesInFlight >= settings.maxBytesInFlight()) {
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

    /**
     * Routes an ack of the block or part that starts at {@code offset} of {@code source}; false when none is
     * in flight (unknown source or offset, or acked before).
     */
    public boolean ack(String source, long offset) {
        TrackedFile file = open.get(source);
        if (file == null || !file.ack(offset)) {
            return false;
        }
        updateInFlight();
        return true;
    }

    /**
     * Queues the block or part that starts at {@code offset} of {@code source} for replay, a block as its
     * single-line parts; false when none is in flight.
     */
    public boolean fail(String source, long offset) {
        TrackedFile file = open.get(source);
        return file != null && file.fail(offset);
    }

    /**
     * A source that will never be emitted again and whose blocks are all acked (a completed file of a
     * catalog that {@linkplain Catalog#retiresCompletedFiles() retires them}), or null; each once.
     */
    public String pollRetired() {
        return retired.poll();
    }

    /** True when the catalog is exhausted and every file read is done. */
    public boolean drained() {
        return current == null && open.isEmpty() && catalog.exhausted();
    }

    /** Lines emitted and not yet acked, over all files (parts waiting for replay included). */
    public int inFlight() {
        return linesInFlight;
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
                LOG.warn("cannot record progress of {} ({}); retrying at the next checkpoint", file.file(),
                        e.toString());
            }
        }
    }

    public long linesEmitted() {
        return linesEmitted.get();
    }

    /** Lines emitted again as parts of failed blocks. */
    public long linesReplayed() {
        return linesReplayed.get();
    }

    /** New blocks emitted (replayed parts not counted): the next block's seq. */
    public long blocksEmitted() {
        return blocksEmitted.get();
    }

    public long filesCompleted() {
        return filesCompleted.get();
    }

    /** Files that changed after pick-up or could not be read. */
    public long filesFailed() {
        return filesFailed.get();
    }

    /**
     * What could not be read, one {@code path: reason} per failed file (the first {@value #UNREAD_KEPT}, then
     * how many more): empty when every line of every file this reader took was read. Lines of a failed file
     * emitted before it failed stay emitted (and are replayed until acked), so a failed file means results that
     * hold part of it.
     */
    public List<String> unread() {
        long more = filesFailed.get() - unread.size();
        if (more <= 0) {
            return List.copyOf(unread);
        }
        List<String> all = new ArrayList<>(unread);
        all.add("and " + more + " more files");
        return all;
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
        updateInFlight();
    }

    private void updateInFlight() {
        int total = 0;
        long bytes = 0;
        for (TrackedFile file : open.values()) {
            total += file.inFlight();
            bytes += file.bytesInFlight();
        }
        linesInFlight = total;
        bytesInFlight = bytes;
    }

    private LineBlock nextReplay() {
        for (TrackedFile file : open.values()) {
            LineBlock part = file.nextReplay();
            if (part != null) {
                linesReplayed.addAndGet(part.lineCount());
                return part;
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
                if (catalog.retiresCompletedFiles()) {
                    retired.add(file.source());
                }
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
            file = TrackedFile.open(path, identity, claim.offset(), settings.maxLineLength());
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

    /** The next block of the current file: what follows, up to the bounds and the room under maxInFlight. */
    private LineBlock readCurrent() {
        TrackedFile file = current;
        if (linesSinceChangeCheck >= CHANGE_CHECK_LINES) {
            linesSinceChangeCheck = 0;
            try {
                if (file.changedOnDisk()) {
                    failFile(file, "changed while being read");
                    return null;
                }
            } catch (IOException | RuntimeException e) {
                failFile(file, "cannot be read: " + e);
                return null;
            }
        }
        BlockBuilder builder = new BlockBuilder(settings.blocks(), settings.maxInFlight() - inFlight());
        boolean ended = false;
        String problem = null;
        try {
            while (!builder.full()) {
                LineReader.Line line = file.readNext();
                if (line == null) {
                    ended = true;
                    break;
                }
                builder.add(line);
            }
        } catch (IOException | RuntimeException e) {
            problem = "cannot be read: " + e;
        }
        LineBlock block = null;
        if (!builder.isEmpty()) {
            // Registered before the file may fail below, so that its lines are replayed like any others.
            block = builder.build(file.source(), BlockPosition.whole(epoch, blocksEmitted.getAndIncrement()));
            file.emitted(block);
            linesSinceChangeCheck += block.lineCount();
            linesEmitted.addAndGet(block.lineCount());
            updateInFlight();
        }
        if (problem != null) {
            failFile(file, problem);
        } else if (ended) {
            current = null;
            if (changedSafely(file)) {
                failFile(file, "changed while being read");
            }
        }
        return block;
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
        failPath(file.file(), reason, "; " + file.inFlight() + " of its lines are in flight and replayed until acked");
    }

    private void failPath(Path path, String reason) {
        failPath(path, reason, "");
    }

    private void failPath(Path path, String reason, String detail) {
        filesFailed.incrementAndGet();
        if (unread.size() < UNREAD_KEPT) {
            unread.add(path + ": " + reason);
        }
        try {
            catalog.failed(path, reason + detail);
        } catch (RuntimeException e) {
            LOG.error("{} {}{}; reporting it failed too", path, reason, detail, e);
        }
    }
}
