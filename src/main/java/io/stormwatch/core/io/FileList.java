package io.stormwatch.core.io;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fixed list of files, each read once from its start, as a {@link ReliableFileReader.Catalog}. The user's
 * files are never renamed, moved or written; a file that fails is only logged. No progress is kept: a
 * restarted reader reads the files again from their start. An unchanged file gets the same source
 * ({@link FileIdentity#sourceOf}) every time, so its repeated lines are recognisable downstream by source and
 * offset; a file changed in between (size, modification time or file key) is another instance with another
 * source. So a completed file is never retired ({@link #retiresCompletedFiles()} is false): downstream must
 * still recognise its lines when the list is read again.
 */
public final class FileList implements ReliableFileReader.Catalog {

    private static final Logger LOG = LoggerFactory.getLogger(FileList.class);

    private final List<Path> files;
    private int next;

    public FileList(List<Path> files) {
        this.files = List.copyOf(files);
    }

    /**
     * The files reader {@code taskIndex} of {@code taskCount} reads: every {@code taskCount}-th of
     * {@code files}, starting at {@code taskIndex}, so that no two readers read the same file.
     */
    public static List<Path> share(List<Path> files, int taskIndex, int taskCount) {
        return IntStream.range(0, files.size())
                .filter(i -> i % taskCount == taskIndex)
                .mapToObj(files::get)
                .toList();
    }

    @Override
    public Claim nextFile() {
        return next < files.size() ? new Claim(files.get(next++), 0, null) : null;
    }

    @Override
    public boolean exhausted() {
        return next >= files.size();
    }

    @Override
    public void checkpoint(Path file, long offset, FileIdentity identity) {
        // Nothing is kept: a file list is read once per run.
    }

    @Override
    public void completed(Path file) {
        LOG.info("read all of {}", file);
    }

    @Override
    public void failed(Path file, String reason) {
        LOG.error("{} {}; no further line of it is read", file, reason);
    }
}
