package io.stormwatch.storm.spout;

import io.stormwatch.core.io.ReliableFileReader;
import io.stormwatch.core.io.SpoolDirectory;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.apache.storm.task.TopologyContext;

/**
 * Reads the files moved into a spooling directory in blocks of lines, at least once, and marks each done only
 * after every block of it is acked (Flume's spooling-directory source for Storm). Usable from Flux: a
 * constructor taking the directory and {@code with...} configuration methods.
 *
 * <p><b>Contract for producers.</b> Only complete files may appear in the directory: write elsewhere (or
 * under a {@code *.tmp} name) and move them in. Files are read oldest first (modification time, then name).
 * Gzip files (recognised by their magic bytes, not their name) are decompressed; offsets count decompressed
 * bytes. Hidden files, {@code *.COMPLETED} (the completed suffix), {@code *.ERROR} and names matching the
 * ignore pattern (default {@code .*\.tmp}) are never read.
 *
 * <p><b>Tuples.</b> One per block of lines ({@link ReliableFileSpout}): {@code block} (up to
 * {@link #withBlockBounds block bounds}, by default 1,024 lines or 1 MiB, of one file), {@code source} =
 * {@code <absolute path>#<instance id>}, {@code offset} = byte offset of the block's first line in the file,
 * {@code next-offset} = byte offset just past its last line's terminator (where the next block starts);
 * message id {@code (source, offset)}. A failed block is replayed from memory as single-line parts, each
 * with its own offsets and message id (at most {@code maxInFlight} lines per task, default 131,072, are
 * unacked). Example: a 2,500-line file with blocks of 1,000 lines gives three tuples, lines 0–999, 1,000–1,999
 * and 2,000–2,499, whose ranges touch; if the second fails, its 1,000 lines come back as 1,000 tuples, parts
 * 0 … 999 of 1,000 of the same position.
 *
 * <p><b>Sources name file instances.</b> The path is the file's in the directory (its name before the
 * completed rename); the instance id is {@code <modification time in ms>-<size>-<file key>} of the file as
 * it was picked up ({@link io.stormwatch.core.io.FileIdentity#instanceId()}), e.g.
 * {@code /var/spool/access.log#1700000000123-4096-dev.fe00.ino.2147253}. A file keeps its source for its
 * whole life in the spool: the identity is recorded with its progress at pick-up, so lines resumed after a
 * restart carry the source they had before, and it is never read again from disk, so the rename when the
 * file is done changes nothing (a rename keeps size, modification time and inode anyway). A new file under a
 * name used before ({@code access.log} dropped in again after the previous one became
 * {@code access.log.COMPLETED}) differs in inode, modification time or size and so gets another source:
 * downstream counts its lines instead of taking them for replays of the old file's, and a late ack or fail
 * of the old file never reaches the new one.
 *
 * <p><b>Done files.</b> Once all blocks of a file are acked it is renamed with the completed suffix (or
 * moved into the completed directory); a name that is taken gets {@code -2}, {@code -3}, … before the suffix.
 * Then the spout emits one unanchored tuple {@code (source)} on {@link io.stormwatch.storm.Schema#RETIRED_STREAM}:
 * the file instance will never be emitted again, so downstream may forget the ranges it counted of it. A file
 * renamed {@code .ERROR} is not retired.
 *
 * <p><b>Restarts and guarantees.</b> {@code <dir>/.stormwatch/spool/} keeps, per file in progress, its
 * identity at pick-up and its resume offset: the start of its oldest unacked block or part, written atomically
 * about every {@code checkpointIntervalMillis} (default 1 s) and on deactivate/close. A restarted topology
 * never reads a completed file again and resumes each file in progress at its recorded offset. Lines after
 * that offset that had been acked in the meantime are emitted again: at-least-once. Example: blocks
 * {@code [0, 160)} and {@code [160, 320)} are emitted, the first is acked and the record says 160 after the
 * last checkpoint, then the second is acked and the worker is killed before the next checkpoint → the
 * restarted spout emits lines from 160 again with the same source and offsets (in blocks that may be cut
 * elsewhere), which downstream uses to drop them.
 *
 * <p><b>Changed files.</b> A file whose size, modification time or identity changes after it was picked up
 * (checked at pick-up and restart, every 1000 lines or so, at its end and before it is marked done) is
 * logged at ERROR, renamed with {@code .ERROR} and counted in {@code files-failed}; the same happens to a
 * file that cannot be read (e.g. a corrupt gzip). Blocks emitted from it before the change was seen stay
 * emitted and are replayed from memory until acked; no further line is read from it. A change after the
 * file was read to its end is seen before it is marked done, and makes it {@code .ERROR} instead of
 * completed. Move it back in under its old name to have it read again: unchanged since its pick-up (say it
 * was unreadable for a passing reason) it is the same instance, with the same source, and downstream
 * recognises the lines it counted before; changed (the usual case: a producer still wrote to it) it is a new
 * instance and all its lines count, including those emitted from its earlier state before the error.
 *
 * <p><b>Several tasks.</b> Task {@code i} of {@code n} reads only the files whose name hashes to {@code i}
 * ({@code floorMod(name.hashCode(), n)}), so tasks never read the same file. Keep the parallelism when
 * restarting with files in progress; after a change a file in progress may be continued by another task,
 * which finds its record too.
 *
 * <p><b>End of input.</b> With {@link #withStopWhenDrained(boolean) stopWhenDrained} (used by
 * {@code stormwatch local}), once a listing finds no file for this task and every block is acked, the spout
 * emits one unanchored tuple on the end-of-input stream (source = the directory) and then stops reading.
 *
 * <p>I/O problems with the directory are logged and retried with backoff; nothing is thrown into Storm.
 */
public class SpoolDirectorySpout extends ReliableFileSpout<SpoolDirectorySpout> {

    private static final long serialVersionUID = 1L;

    private final String directory;
    private String completedSuffix = SpoolDirectory.DEFAULT_COMPLETED_SUFFIX;
    private String completedDirectory;
    private String ignorePattern = SpoolDirectory.DEFAULT_IGNORE_PATTERN;
    private boolean stopWhenDrained;
    private long pollIntervalMillis = 500;
    private long checkpointIntervalMillis = 1_000;

    public SpoolDirectorySpout(String directory) {
        this.directory = directory;
    }

    /** Suffix appended to a done file's name (default {@code .COMPLETED}); clears a completed directory. */
    public SpoolDirectorySpout withCompletedSuffix(String suffix) {
        if (suffix == null || suffix.isEmpty()) {
            throw new IllegalArgumentException("the completed suffix must not be empty");
        }
        this.completedSuffix = suffix;
        this.completedDirectory = null;
        return this;
    }

    /** Moves done files into {@code doneDirectory} (created if needed) instead of renaming them in place. */
    public SpoolDirectorySpout withCompletedDirectory(String doneDirectory) {
        this.completedDirectory = doneDirectory;
        return this;
    }

    /** Regular expression over whole file names never to read (default {@code .*\.tmp}). */
    public SpoolDirectorySpout withIgnorePattern(String regex) {
        Pattern.compile(regex);
        this.ignorePattern = regex;
        return this;
    }

    /** True: emit end of input and stop once the directory is drained (default false: wait for files). */
    public SpoolDirectorySpout withStopWhenDrained(boolean stop) {
        this.stopWhenDrained = stop;
        return this;
    }

    /** How often an idle spout looks for new files (default 500 ms). */
    public SpoolDirectorySpout withPollIntervalMillis(long millis) {
        this.pollIntervalMillis = millis;
        return this;
    }

    /** How often resume points are written to disk (default 1000 ms; 0 = on every call). */
    public SpoolDirectorySpout withCheckpointIntervalMillis(long millis) {
        this.checkpointIntervalMillis = millis;
        return this;
    }

    @Override
    protected ReliableFileReader.Catalog catalog(TopologyContext context) {
        int taskCount = context.getComponentTasks(context.getThisComponentId()).size();
        return new SpoolDirectory(Path.of(directory),
                new SpoolDirectory.Settings(completedSuffix,
                        completedDirectory == null ? null : Path.of(completedDirectory),
                        ignorePattern, stopWhenDrained, context.getThisTaskIndex(), taskCount, pollIntervalMillis),
                System::currentTimeMillis);
    }

    @Override
    protected long checkpointIntervalMillis() {
        return checkpointIntervalMillis;
    }

    @Override
    protected String describeInput() {
        return Path.of(directory).toAbsolutePath().toString();
    }
}
