package io.stormwatch.core.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A spooling directory (Flume's spooldir semantics) as a {@link ReliableFileReader.Catalog}: producers move
 * complete files into the directory; each is read once, oldest first (modification time, then name), and
 * renamed with a suffix (default {@value #DEFAULT_COMPLETED_SUFFIX}) or moved into a done directory once every
 * line of it is acked; its source is then retired ({@link #retiresCompletedFiles()}). A file renamed
 * {@value #ERROR_SUFFIX} is not retired: moved back in unchanged, it is the same instance again.
 *
 * <p><b>Which files.</b> Regular files whose name does not start with {@code .}, does not end with the
 * completed suffix or {@value #ERROR_SUFFIX}, and does not match the ignore pattern (a regular expression over
 * the whole name, default {@value #DEFAULT_IGNORE_PATTERN}). With several readers on one directory (spout
 * tasks), reader {@code i} of {@code n} takes only the names with {@code floorMod(name.hashCode(), n) == i}:
 * no two readers read the same file, and a name goes to the same reader on every restart as long as
 * {@code n} is unchanged.
 *
 * <p><b>Progress.</b> {@code <directory>/.stormwatch/spool/} holds one record per file in progress, keyed by
 * name: its identity when picked up (size, modification time, file key) and its durable resume offset. A
 * restarted reader resumes each such file at its recorded offset and never sees completed files (renamed).
 * Records of files that no longer exist are deleted when reading starts. The recorded identity is also what
 * names the file's lines ({@link FileIdentity#sourceOf}), so a resumed file keeps the source it had, and a
 * new file under a name used before gets another one.
 *
 * <p><b>Errors.</b> A file that changed after it was picked up, or cannot be read (e.g. a corrupt gzip), is
 * logged at ERROR and renamed with {@value #ERROR_SUFFIX}; its record is deleted. Reusing the name of a
 * file whose completion was interrupted by a crash before its record was deleted is reported the same way.
 *
 * <p>Reads the directory at most every {@code pollIntervalMillis} while it finds nothing to do. With
 * {@code stopWhenDrained}, the catalog is {@linkplain #exhausted() exhausted} once a listing found no file.
 */
public final class SpoolDirectory implements ReliableFileReader.Catalog {

    public static final String DEFAULT_COMPLETED_SUFFIX = ".COMPLETED";
    public static final String ERROR_SUFFIX = ".ERROR";
    public static final String DEFAULT_IGNORE_PATTERN = ".*\\.tmp";
    public static final String STATE_DIRECTORY = ".stormwatch";

    /**
     * @param completedSuffix    appended to a done file's name when {@code completedDirectory} is null
     * @param completedDirectory where done files are moved, or null to rename them in place
     * @param ignorePattern      regular expression over file names that are never read
     * @param taskIndex          this reader's index among {@code taskCount} readers of the directory
     */
    public record Settings(String completedSuffix, Path completedDirectory, String ignorePattern,
            boolean stopWhenDrained, int taskIndex, int taskCount, long pollIntervalMillis) {

        public Settings {
            if (taskCount < 1 || taskIndex < 0 || taskIndex >= taskCount) {
                throw new IllegalArgumentException("task " + taskIndex + " of " + taskCount);
            }
            if (completedDirectory == null && (completedSuffix == null || completedSuffix.isEmpty())) {
                throw new IllegalArgumentException("a completed suffix or a completed directory is needed");
            }
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(SpoolDirectory.class);

    private final Path directory;
    private final Settings settings;
    private final Pattern ignore;
    private final ProgressStore progress;
    private final LongSupplier clockMillis;
    private final Set<String> inProgress = new HashSet<>();
    private final Set<String> unrenamable = new HashSet<>();
    private boolean staleRecordsDeleted;
    private boolean lastListingEmpty;
    private long nextListingAtMillis;

    public SpoolDirectory(Path directory, Settings settings, LongSupplier clockMillis) {
        this.directory = directory.toAbsolutePath();
        this.settings = settings;
        this.ignore = Pattern.compile(settings.ignorePattern());
        this.progress = new ProgressStore(this.directory.resolve(STATE_DIRECTORY).resolve("spool"));
        this.clockMillis = clockMillis;
    }

    public Path directory() {
        return directory;
    }

    @Override
    public Claim nextFile() throws IOException {
        long now = clockMillis.getAsLong();
        if (now < nextListingAtMillis) {
            return null;
        }
        if (!staleRecordsDeleted) {
            deleteStaleRecords();
            staleRecordsDeleted = true;
        }
        List<Candidate> candidates = list();
        lastListingEmpty = candidates.isEmpty();
        if (lastListingEmpty) {
            nextListingAtMillis = now + settings.pollIntervalMillis();
            return null;
        }
        Candidate next = candidates.get(0);
        String name = next.file().getFileName().toString();
        Optional<ProgressStore.Progress> recorded = loadRecord(name);
        long offset = 0;
        FileIdentity pickedUpAs = next.identity();
        if (recorded.isPresent()) {
            offset = recorded.get().offset();
            pickedUpAs = recorded.get().identity();
        } else {
            progress.save(name, new ProgressStore.Progress(0, pickedUpAs, 0));
        }
        inProgress.add(name);
        return new Claim(next.file(), offset, pickedUpAs);
    }

    @Override
    public boolean exhausted() {
        return settings.stopWhenDrained() && lastListingEmpty;
    }

    @Override
    public void checkpoint(Path file, long offset, FileIdentity identity) throws IOException {
        progress.save(file.getFileName().toString(), new ProgressStore.Progress(offset, identity, 0));
    }

    @Override
    public void completed(Path file) throws IOException {
        String name = file.getFileName().toString();
        Path target = settings.completedDirectory() == null
                ? freeName(directory, name, settings.completedSuffix())
                : freeName(Files.createDirectories(settings.completedDirectory()), name, "");
        move(file, target);
        progress.delete(name);
        inProgress.remove(name);
        LOG.info("completed {} (now {})", file, target);
    }

    /**
     * True: a done file is renamed (or moved away) and never read again, and a new file under its name is
     * another instance with another source.
     */
    @Override
    public boolean retiresCompletedFiles() {
        return true;
    }

    @Override
    public void failed(Path file, String reason) {
        String name = file.getFileName().toString();
        inProgress.remove(name);
        try {
            Path target = freeName(directory, name, ERROR_SUFFIX);
            move(file, target);
            LOG.error("{} {}; renamed to {}", file, reason, target.getFileName());
        } catch (NoSuchFileException e) {
            LOG.error("{} {}", file, reason);
        } catch (IOException e) {
            unrenamable.add(name);
            LOG.error("{} {}; cannot rename it to *{} ({}), so it is skipped until restart",
                    file, reason, ERROR_SUFFIX, e.toString());
        }
        try {
            progress.delete(name);
        } catch (IOException e) {
            LOG.warn("cannot delete the progress record of {} ({})", file, e.toString());
        }
    }

    private record Candidate(Path file, FileIdentity identity) {}

    private List<Candidate> list() throws IOException {
        List<Candidate> candidates = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!eligible(name)) {
                    continue;
                }
                try {
                    BasicFileAttributes attributes = Files.readAttributes(entry, BasicFileAttributes.class);
                    if (attributes.isRegularFile()) {
                        Object key = attributes.fileKey();
                        candidates.add(new Candidate(entry, new FileIdentity(key == null ? null : key.toString(),
                                attributes.size(), attributes.lastModifiedTime().toMillis())));
                    }
                } catch (NoSuchFileException e) {
                    // Moved away between listing and looking: not a candidate any more.
                }
            }
        }
        candidates.sort(Comparator.comparingLong((Candidate c) -> c.identity().lastModifiedMillis())
                .thenComparing(c -> c.file().getFileName().toString()));
        return candidates;
    }

    private boolean eligible(String name) {
        return !name.startsWith(".")
                && !(settings.completedDirectory() == null && name.endsWith(settings.completedSuffix()))
                && !name.endsWith(ERROR_SUFFIX)
                && !ignore.matcher(name).matches()
                && mine(name)
                && !inProgress.contains(name)
                && !unrenamable.contains(name);
    }

    private boolean mine(String name) {
        return Math.floorMod(name.hashCode(), settings.taskCount()) == settings.taskIndex();
    }

    private Optional<ProgressStore.Progress> loadRecord(String name) {
        try {
            return progress.load(name);
        } catch (IOException e) {
            LOG.error("unreadable progress record of {} ({}); reading it from its start", name, e.toString());
            return Optional.empty();
        }
    }

    private void deleteStaleRecords() throws IOException {
        for (String name : progress.sourceIds()) {
            if (mine(name) && !Files.exists(directory.resolve(name))) {
                LOG.info("deleting the progress record of {}, which is no longer in {}", name, directory);
                progress.delete(name);
            }
        }
    }

    /** {@code name + suffix} in {@code dir}, or {@code name-2 + suffix}, … when that exists already. */
    private static Path freeName(Path dir, String name, String suffix) {
        Path target = dir.resolve(name + suffix);
        for (int n = 2; Files.exists(target); n++) {
            target = dir.resolve(name + "-" + n + suffix);
        }
        return target;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }
}
