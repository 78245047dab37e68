package io.stormwatch.storm;

import org.apache.storm.tuple.Fields;

/**
 * Stream and field names shared by stormwatch's spouts and bolts, and by the Flux files. Read fields by these
 * names, never by position.
 *
 * <p>Lines travel in blocks ({@link io.stormwatch.core.io.LineBlock}): consecutive lines of one source. Every
 * block carries its source position from the spout on, so that downstream state can tell a replayed block
 * from a new one:
 * <ul>
 *   <li>{@link #SOURCE}: the stream it was read from, one instance of it, never reused for other content
 *       (a reused name would make new lines look like replays): {@code <absolute path>#<instance id>} for a
 *       complete file (spool directory, {@code file:}), the id being {@code <modification time ms>-<size>-<file
 *       key>} as recorded at pick-up, e.g. {@code /var/spool/access.log#1700000000123-4096-dev.fe00.ino.2147253}
 *       (a new file dropped in under a used name gets another; an unchanged file read again the same);
 *       {@code <path>#<generation>} for a followed file; {@code socket:host:port#connection};</li>
 *   <li>{@link #OFFSET}: the byte offset of the block's first byte, or a line sequence number where there
 *       are no bytes to count (a socket);</li>
 *   <li>{@link #NEXT_OFFSET}: where the line after the block starts — the byte offset just past its last
 *       line and terminator ({@code \r\n} counts two bytes), or sequence number + 1.</li>
 * </ul>
 * The block occupies {@code [offset, next-offset)}, and consecutive blocks of a source touch. Example: the
 * lines {@code "GET /a\r\n"} and {@code "GET /b\n"} at offset 0 in one block give {@code (0, 15)}; as two
 * one-line blocks {@code (0, 8)} and {@code (8, 15)}. A replayed block carries the same pair again (or its
 * lines come back one by one, each with its own pair). That is what lets a set of counted lines stay a few
 * ranges per source ({@code OffsetSet}).
 */
public final class Schema {

    private Schema() {}

    // --- spout → parse (default stream)
    /** A {@code LineBlock}: the lines, their offsets and the block's position in its spout task's order. */
    public static final String BLOCK = "block";
    public static final String SOURCE = "source";
    public static final String OFFSET = "offset";
    public static final String NEXT_OFFSET = "next-offset";
    public static final Fields BLOCK_FIELDS = new Fields(BLOCK, SOURCE, OFFSET, NEXT_OFFSET);

    /**
     * Control stream a finite source (a file, a spool directory run to exhaustion) emits on exactly once
     * per spout task, unanchored, after every block it emitted has been acked. The window and totals bolts
     * hear it from every spout task (all-grouping) and then close the last windows (a final watermark) and
     * write the final totals; they forward it, and the sinks complete their output once they heard it from
     * both. {@link #UNREAD} says what of the input could not be read; only an input read whole makes the
     * sinks mark their output complete.
     */
    public static final String END_OF_INPUT_STREAM = "end-of-input";
    /**
     * What the input could not read (a file missing, unreadable or cut short), one item per line, each naming
     * the file and why; empty when every line of the input was read.
     */
    public static final String UNREAD = "unread";
    public static final Fields END_OF_INPUT_FIELDS = new Fields(SOURCE, UNREAD);

    /**
     * Sources a spout will never emit again (a spool file marked done, a rotated file, a closed connection),
     * once all their blocks are acked: the totals bolt forgets their counted ranges after a grace period.
     */
    public static final String RETIRED_STREAM = "retired";
    public static final Fields RETIRED_FIELDS = new Fields(SOURCE);

    // --- parse → windows and totals
    /** A {@code BlockPanes}: the block counted and cut by pane. */
    public static final String PANES = "panes";
    /** Default stream of the parse bolt: one {@code BlockPanes} per block. */
    public static final Fields PANES_FIELDS = new Fields(PANES, SOURCE, OFFSET, NEXT_OFFSET);

    /** Lines the parse bolt rejected, for the dead-letter sinks: one tuple per block that had any. */
    public static final String REJECTED_STREAM = "rejected";
    /** A {@code DeadLetter[]}. */
    public static final String DEAD_LETTERS = "dead-letters";
    public static final Fields REJECTED_FIELDS = new Fields(DEAD_LETTERS);

    // --- windows and totals → sinks
    /**
     * Windows that hold data, rendered: a {@code Result[]} of the windows one input made due, in end order —
     * one window at a time in a live stream, hundreds when a backfill's block spans hours.
     */
    public static final String WINDOWS_STREAM = "windows";
    public static final String RESULTS = "results";
    public static final Fields WINDOWS_FIELDS = new Fields(RESULTS);
    /** A {@code Result}: what the job's views rendered. */
    public static final String RESULT = "result";
    public static final Fields RESULT_FIELDS = new Fields(RESULT);

    /** The all-time totals, rendered (a {@code Result}), when they changed and once more, final, at the end. */
    public static final String TOTALS_STREAM = "totals";

    /** Lines the window bolt found late: a {@code LateLine[]}, each counted in the {@code late} of a later pane. */
    public static final String LATE_STREAM = "late";
    public static final String LATE = "late";
    public static final Fields LATE_FIELDS = new Fields(LATE);
}
