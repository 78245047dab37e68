package io.stormwatch.storm;

import org.apache.storm.tuple.Fields;

/**
 * Stream and field names shared by stormwatch's spouts and bolts. Read fields by these names, never by
 * position.
 *
 * <p>Every line carries its source position from the spout on, so that downstream state can tell a
 * replayed line from a new one:
 * <ul>
 *   <li>{@link #SOURCE}: the stream it was read from, one instance of it, never reused for other content
 *       (a reused name would make new lines look like replays): {@code <absolute path>#<instance id>} for a
 *       complete file (spool directory, {@code file:}), the id being {@code <modification time ms>-<size>-<file
 *       key>} as recorded at pick-up, e.g. {@code /var/spool/access.log#1700000000123-4096-dev.fe00.ino.2147253}
 *       (a new file dropped in under a used name gets another; an unchanged file read again the same);
 *       {@code <path>#<generation>} for a followed file; {@code socket:host:port#connection};</li>
 *   <li>{@link #OFFSET}: the byte offset of the line's first byte, or a line sequence number where there
 *       are no bytes to count (a socket);</li>
 *   <li>{@link #NEXT_OFFSET}: where the next line starts — the byte offset just past the line and its
 *       terminator ({@code \r\n} counts two bytes), or sequence number + 1.</li>
 * </ul>
 * The line occupies {@code [offset, next-offset)}, and consecutive lines of a source touch:
 * {@code line[k].next-offset == line[k + 1].offset}. Example: {@code "GET /a\r\n"} at offset 0 followed by
 * {@code "GET /b\n"} gives {@code (0, 8)} and {@code (8, 15)}. A replayed line carries the same pair again.
 * That is what lets a set of counted lines stay a few ranges per source ({@code OffsetSet}).
 */
public final class Schema {

    private Schema() {}

    // --- spout → parse (default stream)
    public static final String LINE = "line";
    public static final String SOURCE = "source";
    public static final String OFFSET = "offset";
    public static final String NEXT_OFFSET = "next-offset";
    public static final Fields LINE_FIELDS = new Fields(LINE, SOURCE, OFFSET, NEXT_OFFSET);

    /**
     * Control stream a finite source (a file, a spool directory run to exhaustion) emits on exactly once
     * per spout task, unanchored, after every line it emitted has been acked. Bolts forward it once they
     * have heard it from all their upstream tasks, so downstream windows can be closed (a final watermark)
     * and totals written.
     */
    public static final String END_OF_INPUT_STREAM = "end-of-input";
    public static final Fields END_OF_INPUT_FIELDS = new Fields(SOURCE);

    // --- parse → windows and totals
    public static final String RECORD = "record";
    /** Default stream of the parse bolt: one {@code LogRecord} per parsed line. */
    public static final Fields RECORD_FIELDS = new Fields(RECORD, SOURCE, OFFSET, NEXT_OFFSET);

    /** Lines the parser rejected, for the dead-letter sink and the totals. */
    public static final String REJECTED_STREAM = "rejected";
    public static final String REASON = "reason";
    public static final String DETAIL = "detail";
    public static final Fields REJECTED_FIELDS = new Fields(REASON, DETAIL, LINE, SOURCE, OFFSET, NEXT_OFFSET);

    // --- windows and totals (the pane, window and running-totals bolts)
    /** Closed panes, pane bolt → window bolt; {@link #PANE_END} is the window bolt's event timestamp. */
    public static final String PANES_STREAM = "panes";
    public static final String PANE_END = "pane-end";
    public static final String PANE = "pane";
    public static final Fields PANE_FIELDS = new Fields(PANE_END, PANE);

    /** Records the pane bolt found late (their pane was already closed): same fields as parsed records. */
    public static final String LATE_STREAM = "late";
    public static final Fields LATE_FIELDS = new Fields(RECORD, SOURCE, OFFSET, NEXT_OFFSET);

    /** One {@code WindowResult} per window that holds data. */
    public static final String WINDOWS_STREAM = "windows";
    public static final String WINDOW = "window";
    public static final Fields WINDOW_FIELDS = new Fields(WINDOW);

    /** Snapshots of the all-time {@code LogStats}; {@link #FINAL} is true for the one at end of input. */
    public static final String TOTALS_STREAM = "totals";
    public static final String TOTALS = "totals";
    public static final String FINAL = "final";
    public static final Fields TOTALS_FIELDS = new Fields(TOTALS, FINAL);
}
