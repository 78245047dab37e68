package io.stormwatch.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a live log file like {@code tail -F}, at least once per line, resuming after a restart.
 *
 * <p><b>Instances and sources.</b> Every file instance seen at the path gets a generation number, 1 for the
 * first; the lines' source is {@code <absolute path>#<generation>} and their offset the byte offset in that
 * instance, so a rotated file's offsets never collide with its successor's. The generation is kept with
 * the resume point, so a restart continues with the same source.
 *
 * <p><b>Following.</b> One instance is read at a time: a new generation is read only once every line of the
 * previous one is acked, so the durable resume point always belongs to a single instance. Complete lines
 * are returned as they are appended; an unterminated last line is held until its terminator arrives (one
 * ending in {@code \r} until the next byte shows whether it is a {@code \r\n}), so each line's next
 * offset is exact and a replay carries the same one. Once caught up, the path is checked every
 * {@code pollIntervalMillis}:
 * <ul>
 *   <li><i>Rotation by rename</i> (another file key at the path, e.g. {@code mv access.log access.log.1}
 *       and a new {@code access.log}): the old instance is read to its end through the open handle, including
 *       an unterminated last line, and the new instance (next generation, from offset 0) is read only once
 *       every line of the old one is acked. While the path is missing the old handle is still read.</li>
 *   <li><i>Truncation</i> (size below what was read, e.g. {@code copytruncate} or {@code > access.log}): the
 *       content is read again from offset 0 as the next generation, once the lines of the old content still
 *       in flight (replayed from memory if they fail) are acked; an unterminated line held at the truncation
 *       is dropped. A file truncated and regrown past the read position between two checks looks like an
 *       append (not detectable by size); with {@code copytruncate}, lines written between the last read and
 *       the copy are only in the copy, which is not read.</li>
 * </ul>
 * On file systems without file keys rotation by rename cannot be told from appends; only truncation is seen.
 *
 * <p><b>Restarts.</b> A {@link ProgressStore} (key: the file name) keeps the generation, file key and
 * resume offset (start of the oldest unacked line) of the instance in progress, written about every
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
 * counters.
 */
public final class FileTailer implements Closeable {

    public record Settings(int maxInFlight, int maxLineLength, long pollIntervalMillis, long checkpointIntervalMillis) {}

    private static final Logger LOG = LoggerFactory.getLogger(FileTailer.class);

    /** One file instance: an open handle, its reader and its in-flight lines. */
    private final class Instance implements Closeable {
        final long generation;
        final String source;
        final FileIdentity identity;
        final FileChannel channel;
        final LineReader reader;
        final LineTracker tracker;
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
            this.tracker = new LineTracker(offset);
        }

        /** The next complete line, registered as in flight, or null. */
        LineReader.Line read() throws IOException {
            if (ended) {
                return null;
            }
            LineReader.Line line = reader.next();
            if (line != null) {
                tracker.emitted(line.offset(), line.end(), line.text());
            }
            return line;
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

    private final AtomicLong linesEmitted = new AtomicLong();
    private final AtomicLong linesReplayed = new AtomicLong();
    private final AtomicLong rotations = new AtomicLong();
    private final AtomicLong truncations = new AtomicLong();

    public FileTailer(Path file, ProgressStore store, Settings settings, LongSupplier clockMillis) {
        this.path = file.toAbsolutePath();
        this.key = path.getFileName().toString();
        this.store = store;
        this.settings = settings;
        this.clockMillis = clockMillis;
    }

    /** The default place of a file's progress records: {@code <its directory>/.stormwatch/tail/}. */
    public static Path defaultStateDirectory(Path file) {
        return file.toAbsolutePath().getParent().resolve(".stormwatch").resolve("tail");
    }

    /** The next line to emit (a replay first), or null when there is none now. Never throws. */
    public SourcedLine next() {
        long now = clockMillis.getAsLong();
        if (now >= nextCheckpointAtMillis) {
            checkpoint();
            nextCheckpointAtMillis = now + settings.checkpointIntervalMillis();
        }
        SourcedLine replay = replay(previous);
        if (replay == null) {
            replay = replay(current);
        }
        if (replay != null || now < retryAtMillis || inFlight() >= settings.maxInFlight()) {
            return replay;
        }
        try {
            SourcedLine line = read(now);
            backoff.reset();
            return line;
        } catch (IOException | RuntimeException e) {
            long delay = backoff.nextDelayMillis();
            LOG.warn("cannot follow {} ({}); retrying in {} ms", path, e.toString(), delay);
            retryAtMillis = now + delay;
            return null;
        }
    }

    /** Routes an ack; false when the line is not in flight. */
    public boolean ack(String source, long offset) {
        Instance instance = instanceOf(source);
        return instance != null && instance.tracker.ack(offset);
    }

    /** Queues a line for replay; false when it is not in flight. */
    public boolean fail(String source, long offset) {
        Instance instance = instanceOf(source);
        return instance != null && instance.tracker.fail(offset);
    }

    public int inFlight() {
        return (previous == null ? 0 : previous.tracker.inFlight()) + (current == null ? 0 : current.tracker.inFlight());
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

    public long linesReplayed() {
        return linesReplayed.get();
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

    private SourcedLine replay(Instance instance) {
        if (instance == null) {
            return null;
        }
        LineReader.Line line = instance.tracker.nextReplay();
        if (line == null) {
            return null;
        }
        linesReplayed.incrementAndGet();
        return new SourcedLine(line.text(), instance.source, line.offset(), line.end());
    }

    private SourcedLine read(long now) throws IOException {
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
            LineReader.Line line = previous.read();
            if (line != null) {
                return emitted(previous, line);
            }
            previous.end();
            if (!previous.done()) {
                return null;
            }
            previous = null;
            checkpoint();
        }
        LineReader.Line line = current.read();
        if (line != null) {
            return emitted(current, line);
        }
        if (now >= nextStatAtMillis) {
            nextStatAtMillis = now + settings.pollIntervalMillis();
            followPath();
        }
        return null;
    }

    private SourcedLine emitted(Instance instance, LineReader.Line line) {
        linesEmitted.incrementAndGet();
        return new SourcedLine(line.text(), instance.source, line.offset(), line.end());
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
                    }
                    reading = new Instance(path, now, last.generation() + 1, 0);
                } else {
                    LOG.warn("{} was truncated while stopped (now {} bytes, resume offset was {}); reading it from"
                            + " its start", path, now.size(), last.offset());
                    reading = new Instance(path, now, last.generation() + 1, 0);
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
