package io.stormwatch.storm.spout;

import io.stormwatch.core.io.FileList;
import io.stormwatch.core.io.ReliableFileReader;
import java.nio.file.Path;
import java.util.List;
import org.apache.storm.task.TopologyContext;

/**
 * Reads the given files once, in blocks of lines, at least once per line, and then signals end of input:
 * the spout behind {@code --source file:PATH}. The files are never renamed, moved or written.
 *
 * <p>Tuples are those of {@link ReliableFileSpout}: {@code block} (a {@link io.stormwatch.core.io.LineBlock}
 * of up to {@link io.stormwatch.core.io.BlockBounds#DEFAULT 1,024 lines or 1 MiB} of one file), {@code source}
 * = {@code <absolute path>#<instance id>} of the file as it is when its reading starts
 * ({@link io.stormwatch.core.io.FileIdentity#sourceOf}, e.g.
 * {@code /data/access.log#1700000000123-4096-dev.fe00.ino.2147253}: modification time in ms, size, file key),
 * {@code offset} = byte offset of the block's first line (decompressed for gzip, recognised by content),
 * {@code next-offset} = byte offset just past its last line's terminator, message id
 * {@code (source, offset)}; a failed block comes back from memory as single-line parts. Files are read in
 * the order given; with several tasks, task {@code i} of {@code n} reads files {@code i, i + n, …} of the
 * list. After every block of its files is acked, each task emits one unanchored tuple on the end-of-input
 * stream (source = the paths, comma-separated) and stops.
 *
 * <p>A missing or unreadable file, or one that changes while read, is logged at ERROR and counted in
 * {@code files-failed}; the other files are still read. No progress is kept on disk: a restarted topology
 * reads the files again from their start (at-least-once).
 *
 * <p><b>Running again with durable state</b> (Redis): the same unchanged file gets the same source every
 * time, so a restarted topology, or {@code --source file:PATH} run again, repeats only
 * {@code (source, offset)} ranges downstream has counted, and nothing is counted twice. That is also why this
 * spout never emits on the retired stream: a file read to its end may be read again under the same source.
 * A file that changed in between — appended to, rewritten, replaced, even {@code touch}ed: another size,
 * modification time or inode — is a new instance, and all its lines count. Example: a run of
 * {@code access.log} with 1,000 lines counts 1,000; running it again counts nothing; after 10 lines are
 * appended, the next run counts 1,010 (the first 1,000 are now in the totals twice). To read a file that
 * grows, follow it with {@link TailFileSpout}.
 */
public class FileSpout extends ReliableFileSpout<FileSpout> {

    private static final long serialVersionUID = 1L;

    private final List<String> paths;

    public FileSpout(String path) {
        this(List.of(path));
    }

    public FileSpout(List<String> paths) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("no file to read");
        }
        this.paths = List.copyOf(paths);
    }

    @Override
    protected ReliableFileReader.Catalog catalog(TopologyContext context) {
        int taskCount = context.getComponentTasks(context.getThisComponentId()).size();
        List<Path> files = paths.stream().map(Path::of).toList();
        return new FileList(FileList.share(files, context.getThisTaskIndex(), taskCount));
    }

    @Override
    protected String describeInput() {
        return String.join(",", paths.stream().map(p -> Path.of(p).toAbsolutePath().toString()).toList());
    }
}
