package io.stormwatch.core.io;

import io.stormwatch.core.window.BlockPosition;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a live log file like {@code tail -F}, in blocks, at least once per line, resuming after a restart.
 *
 * <p><b>Instances and sources.</b> Every file instance seen at the path gets a generation number, 1 for the
 * first; the blocks' source is {@code <absolute path>#<generation>} and their offsets byte offsets in that
 * instance, so a rotated file's offsets never collide with its successor's. The generation is kept with
 * the resume point, so a restart continues with the same source.
 *
 * <p><b>Blocks.</b> {@link #next()} returns the complete lines written since the last call, up to the
 * {@link BlockBounds} and the room left under {@code maxInFlight}: a file written slowly gives one-line
 * blocks (no line waits for others), a backlog gives full blocks. A block holds lines of one generation
 * only. New blocks are numbered {@code 0, 1, 2, …} within the reader's {@code epoch} ({@link BlockPosition});
 * acks, fails and replays are those of {@link BlockTracker}: a failed block comes back as single-line parts,
 * a failed part as the same part. Example: {@code "a\n"} is appended, {@code next()} gives the block
 * {@code ["a"]} {@code [0, 2)} at seq 0; then {@code "b\nc\n"} → {@code ["b", "c"]} {@code [2, 6)} at
 * seq 1; it fails → {@code ["b"]} {@code [2, 4)} part 0 of 2 and {@code ["c"]} {@code [4, 6)} part 1 of 2,
 * both at seq 1.
 *
 * <p><b>Following.</b> One instance is read at a time: a new generation is read only once every block of the
 * previous one is acked, so the durable resume point always belongs to a single instance. Complete lines
 * are returned as they are appended; an unterminated last line is held until its terminator arrives (one
 * ending in {@code \r} until the next byte shows whether it is a {@code \r\n}), so each line's next
 * offset is exact and a replay carries the same one. Once caught up, the path is checked every
 * {@code pollIntervalMillis}:
 * <ul>
 *   <li><i>Rotation by rename</i> (another file key at the path, e.g. {@code mv access.log access.log.1}
 *       and a new {@code access.log}): the old instance is read to its end through the open handle, including
 *       an unterminated last line, and the new instance (next generation, from offset 0) is read only once
 *       every block of the old one is acked. While the path is missing the old handle is still read.</li>
 *   <li><i>Truncation</i> (size below what was read, e.g. {@code copytruncate} or {@code > access.log}): the
 *       content is read again from offset 0 as the next generation, once the lines of the old content still
 *       in flight (replayed from memory if they fail) are acked; an unterminated line held at the truncation
 *       is dropped. A file truncated and regrown past the read position between two checks looks like an
 *       append (not detectable by size); with {@code copytruncate}, lines written between the last read and
 *       the copy are only in the copy, which is not read.</li>
 * </ul>
 * On file systems without file keys rotation by rename cannot be told from appends; only truncation is seen.
 *
 * <p><b>Retired generations.</b> Once a rotated-away or truncated generation is read to its end and all its
 * blocks are acked, its source is offered by {@link #pollRetired()}: it will never be emitted again. So is,
 * on start, the generation of a progress record whose instance is gone or was truncated while stopped.
 *
 * <p><b>Restarts.</b> A {@link ProgressStore} (key: the file name) keeps the generation, file key and
 * resume offset (start of the oldest unacked block or part) of the instance in progress, written about every
 * {@code checkpointIntervalMillis} and on {@link #close()}. On start:
 * <ul>
 *   <li>no record: the file is read from its start (generation 1);</li>
 *   <li>the same instance, at least as long as the offset: resume at the offset (lines acked after the last
 *       checkpoint are emitted again: at-least-once, same source and offset);</li>
 *   <li>another instance at the path (rotated while stopped): the old instance is looked for by its file key
 *       among the files of the same directory ({@code access.log.1}); if found its rest is read first, else
 *       a WARN says that its lines after the offset were not read. Then the new instance is read from 0;</li>
 *   <li>the same instance, shorter than the offset (truncated while stopped): read from 0, next generation.</li>
 * </ul>
 * A file that does not exist yet is waited for. A file seen for the first time is read from its start.
 *
 * <p>At most {@code maxInFlight} lines are unacked (their text is kept for replay). {@link #next()} never
 * throws: I/O problems are logged and retried with a backoff (100 ms to 5 s). Not thread-safe, except the
 * counters and {@link #inFlight()}.
 */
public final class FileTailer implements Closeable {

    /**
     * @param maxInFlight             at most this many lines are emitted and unacked
     * @param maxLineLength           longer lines are cut (see {@link LineReader})
     * @param blocks                  how large a block may grow
     * @param pollIntervalMillis      how often the path is looked at once everything is read
     * @param checkpointIntervalMillis how often the resume point is written (0: on every call)
     * @param maxBytesInFlight        no new block is read while the unacked lines span this many input bytes
     *                                or more (long lines: the line bound alone would let memory grow)
     */
    public record Settings(int maxInFlight, int maxLineLength, BlockBounds blocks, long pollIntervalMillis,
            long checkpointIntervalMillis, long maxBytesInFlight) {

        /** With the default bound on bytes in flight ({@link BlockTracker#DEFAULT_MAX_BYTES_IN_FLIGHT}). */
        public Settings(int maxInFlight, int maxLineLength, BlockBounds blocks, long pollIntervalMillis,
                long checkpointIntervalMillis) {
            this(maxInFlight, maxLineLength, blocks, pollIntervalMillis, checkpointIntervalMillis,
                    BlockTracker.DEFAULT_MAX_BYTES_IN_FLIGHT);
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

    private static final Logger LOG = LoggerFactory.getLogger(FileTailer.class);

    /** One file instance: an open handle, its reader and its in-flight blocks. */
    private final class Instance implements Closeable {
        final long generation;
        final String source;
        final FileIdentity identity;
        final FileChannel channel;
        final LineReader reader;
        final BlockTracker tracker;
        boolean ended;

        Instance(Path openPath, FileIdentity identity, long generation, long offset) throws IOException {
            this.generation = generation;
            this.source = path + "#" + generation;
            this.identity = identity;
            this.channel = FileChannel.open(openPath, StandardOpenOption.READ);
            try {
                this.reader = LineReader.resume(Channels.newInputStream(channel), settings.maxLineLength(), offset)
                        .following(true);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            this.tracker = new BlockTracker(offset);
        }

        /**
         * The complete lines there are now, up to the bounds and {@code maxLines}, as a new block registered
         * as in flight, or null. A read error after some lines returns those; the next call meets the error
         * again if it persists.
         */
        LineBlock read(int maxLines) throws IOException {
            if (ended) {
                return null;
            }
            BlockBuilder builder = new BlockBuilder(settings.blocks(), maxLines);
            try {
                for (LineReader.Line line; !builder.full() && (line = reader.next()) != null; ) {
                    builder.add(line);
                }
            } catch (IOException | RuntimeException e) {
                if (builder.isEmpty()) {
                    throw e;
                }
            }
            if (builder.isEmpty()) {
                return null;
            }
            LineBlock block = builder.build(source, BlockPosition.whole(epoch, blocksEmitted.getAndIncrement()));
            tracker.emitted(block);
            return block;
        }

        void end() {
            ended = true;
            close();
        }

        boolean done() {
            return ended && tracker.allAcked();
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // A read-only handle: nothing is lost if closing it fails.
            }
        }
    }

    private final Path path;
    private final String key;
    private final ProgressStore store;
    private final Settings settings;
    private final long epoch;
    private final LongSupplier clockMillis;
    private final Backoff backoff = new Backoff(100, 5_000);

    /** The instance at the path, read once {@link #previous} is done. */
    private Instance current;
    /** A rotated or truncated instance being read to its end or waiting for acks; it holds the resume point. */
    private Instance previous;
    private boolean started;
    private long nextStatAtMillis;
    private long nextCheckpointAtMillis;
    private long retryAtMillis;
    private ProgressStore.Progress saved;
    private final Deque<String> retired = new ArrayDeque<>();
    /** Kept apart from the trackers so that a metrics thread can read it. */
    private volatile int linesInFlight;
    private long bytesInFlight;

    private final AtomicLong linesEmitted = new AtomicLong();
    private final AtomicLong linesReplayed = new AtomicLong();
    private final AtomicLong blocksEmitted = new AtomicLong();
    private final AtomicLong rotations = new AtomicLong();
    private final AtomicLong truncations = new AtomicLong();

    /**
     * @param epoch       identifies this run of the tailer in the positions of its blocks (a spout passes
     *                    the time it opened)
     * @param clockMillis the time, for polls, checkpoints and retries
     */
    public FileTailer(Path file, ProgressStore store, Settings settings, long epoch, LongSupplier clockMillis) {
        this.path = file.toAbsolutePath();
        this.key = path.getFileName().toString();
        this.store = store;
        this.settings = settings;
        this.epoch = epoch;
        this.clockMillis = clockMillis;
    }

    /** The default place of a file's progress records: {@code <its directory>/.stormwatch/tail/}. */
    public static Path defaultStateDirectory(Path file) {
        return file.toAbsolutePath().getParent().resolve(".stormwatch").resolve("tail");
    }

    /** The next block to emit (a replayed part first), or null when there is none now. Never throws. */
    public LineBlock next() {
        long now = clockMillis.getAsLong();
        if (now >= nextCheckpointAtMillis) {
            checkpoint();
            nextCheckpointAtMillis = now + settings.checkpointIntervalMillis();
        }
        LineBlock replay = replay(previous);
        if (replay == null) {
            replay = replay(current);
        }
        if (replay != null || now < retryAtMillis || inFlight() >= settings.maxInFlight()
                || bytesInFlight >= settings.maxBytesInFlight()) {
            return replay;
        }
        try {
            LineBlock block = read(now);
            backoff.reset();
            return block;
        } catch (IOException | RuntimeException e) {
            long delay = backoff.nextDelayMillis();
            LOG.warn("cannot follow {} ({}); retrying in {} ms", path, e.toString(), delay);
            retryAtMillis = now + delay;
            return null;
        }
    }

    /**
     * Routes an ack of the block or part that starts at {@code offset} of {@code source}; false when none is
     * in flight.
     */
    public boolean ack(String source, long offset) {
        Instance instance = instanceOf(source);
        if (instance == null || !instance.tracker.ack(offset)) {
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
        Instance instance = instanceOf(source);
        return instance != null && instance.tracker.fail(offset);
    }

    /**
     * A generation's source that will never be emitted again and whose blocks are all acked, or null; each
     * once.
     */
    public String pollRetired() {
        return retired.poll();
    }

    /** Lines emitted and not yet acked (parts waiting for replay included). */
    public int inFlight() {
        return linesInFlight;
    }

    /** Writes the resume point of the instance in progress if it moved. Never throws. */
    public void checkpoint() {
        Instance durable = previous != null ? previous : current;
        if (durable == null) {
            return;
        }
        ProgressStore.Progress progress =
                new ProgressStore.Progress(durable.tracker.resumeOffset(), durable.identity, durable.generation);
        if (progress.equals(saved)) {
            return;
        }
        try {
            store.save(key, progress);
            saved = progress;
        } catch (IOException e) {
            LOG.warn("cannot record progress of {} in {} ({}); retrying at the next checkpoint", path,
                    store.directory(), e.toString());
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

    public long rotations() {
        return rotations.get();
    }

    public long truncations() {
        return truncations.get();
    }

    /** Checkpoints and closes the open files. */
    @Override
    public void close() {
        checkpoint();
        if (previous != null) {
            previous.close();
        }
        if (current != null) {
            current.close();
        }
    }

    private void updateInFlight() {
        linesInFlight = (previous == null ? 0 : previous.tracker.inFlight())
                + (current == null ? 0 : current.tracker.inFlight());
        bytesInFlight = (previous == null ? 0 : previous.tracker.bytesInFlight())
                + (current == null ? 0 : current.tracker.bytesInFlight());
    }

    private LineBlock replay(Instance instance) {
        if (instance == null) {
            return null;
        }
        LineBlock part = instance.tracker.nextReplay();
        if (part != null) {
            linesReplayed.addAndGet(part.lineCount());
        }
        return part;
    }

    private LineBlock read(long now) throws IOException {
        if (!started) {
            if (now < nextStatAtMillis) {
                return null;
            }
            nextStatAtMillis = now + settings.pollIntervalMillis();
            if (!start()) {
                return null;
            }
            started = true;
        }
        if (previous != null) {
            LineBlock block = previous.read(settings.maxInFlight() - inFlight());
            if (block != null) {
                return emitted(block);
            }
            previous.end();
            if (!previous.done()) {
                return null;
            }
            LOG.info("{} is read to its end and acked; retiring it", previous.source);
            retired.add(previous.source);
            previous = null;
            checkpoint();
        }
        LineBlock block = current.read(settings.maxInFlight() - inFlight());
        if (block != null) {
            return emitted(block);
        }
        if (now >= nextStatAtMillis) {
            nextStatAtMillis = now + settings.pollIntervalMillis();
            followPath();
        }
        return null;
    }

    private LineBlock emitted(LineBlock block) {
        linesEmitted.addAndGet(block.lineCount());
        updateInFlight();
        return block;
    }

    /** Opens the file where the progress record says, or returns false when the file is not there yet. */
    private boolean start() throws IOException {
        FileIdentity now;
        try {
            now = FileIdentity.of(path);
        } catch (NoSuchFileException e) {
            return false;
        }
        Optional<ProgressStore.Progress> record;
        try {
            record = store.load(key);
        } catch (IOException e) {
            LOG.error("unreadable progress record of {} ({}); reading it from its start", path, e.toString());
            record = Optional.empty();
        }
        Instance rotated = null;
        Instance reading = null;
        String lost = null;
        try {
            if (record.isEmpty()) {
                reading = new Instance(path, now, 1, 0);
                LOG.info("following {} from its start", path);
            } else {
                ProgressStore.Progress last = record.get();
                if (last.identity().sameInstance(now) && now.size() >= last.offset()) {
                    reading = new Instance(path, now, last.generation(), last.offset());
                    LOG.info("following {} from offset {} (generation {})", path, last.offset(), last.generation());
                } else if (!last.identity().sameInstance(now)) {
                    Path old = findInstance(last.identity());
                    if (old != null) {
                        rotated = new Instance(old, last.identity(), last.generation(), last.offset());
                        rotated.reader.following(false);
                        LOG.info("{} was rotated while stopped; reading the rest of {} from offset {} first", path,
                                old, last.offset());
                    } else {
                        LOG.warn("{} was replaced while stopped and its previous instance ({}) is gone: its lines"
                                + " after offset {} were not read", path, last.identity().fileKey(), last.offset());
                        lost = path + "#" + last.generation();
                    }
                    reading = new Instance(path, now, last.generation() + 1, 0);
                } else {
                    LOG.warn("{} was truncated while stopped (now {} bytes, resume offset was {}); reading it from"
                            + " its start", path, now.size(), last.offset());
                    reading = new Instance(path, now, last.generation() + 1, 0);
                    lost = path + "#" + last.generation();
                }
            }
        } catch (IOException | RuntimeException e) {
            if (rotated != null) {
                rotated.close();
            }
            throw e;
        }
        previous = rotated;
        current = reading;
        if (lost != null) {
            retired.add(lost);
        }
        checkpoint();
        return true;
    }

    /** Looks at the path again once the current instance is read to its end: rotated, truncated or grown. */
    private void followPath() throws IOException {
        FileIdentity now;
        try {
            now = FileIdentity.of(path);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!now.sameInstance(current.identity)) {
            Instance next = new Instance(path, now, current.generation + 1, 0);
            rotations.incrementAndGet();
            LOG.info("{} was rotated; reading the old file to its end before the new one", path);
            previous = current;
            previous.reader.following(false);
            current = next;
        } else if (now.size() < current.channel.position()) {
            Instance next = new Instance(path, now, current.generation + 1, 0);
            truncations.incrementAndGet();
            LOG.info("{} was truncated to {} bytes; reading it again from its start", path, now.size());
            previous = current;
            previous.end();
            current = next;
        }
    }

    private Path findInstance(FileIdentity identity) throws IOException {
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(path.getParent())) {
            for (Path sibling : siblings) {
                try {
                    if (Files.isRegularFile(sibling) && identity.fileKey() != null
                            && identity.fileKey().equals(FileIdentity.of(sibling).fileKey())) {
                        return sibling;
                    }
                } catch (NoSuchFileException e) {
                    // Gone while looking: not the one.
                }
            }
        }
        return null;
    }

    private Instance instanceOf(String source) {
        if (current != null && current.source.equals(source)) {
            return current;
        }
        if (previous != null && previous.source.equals(source)) {
            return previous;
        }
        return null;
    }
}
