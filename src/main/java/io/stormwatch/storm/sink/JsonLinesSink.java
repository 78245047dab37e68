package io.stormwatch.storm.sink;

import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.job.DeadLetter;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.apache.storm.task.TopologyContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes any job's results as files in one directory, for scripts, tests and the CLI:
 * <ul>
 *   <li>{@value #WINDOWS}: each window's {@link Result#json()} on one line, flushed at once unless the
 *       previous window was flushed less than {@value #WINDOW_FLUSH_MILLIS} ms ago (a backfill writes
 *       thousands a second; the one-second flush catches up);</li>
 *   <li>{@value #TOTALS}: the latest totals' JSON, pretty-printed, replaced atomically (temp file + rename),
 *       so a reader never sees half of it;</li>
 *   <li>{@value #REJECTED}: dead letters {@code {source, offset, reason, detail, line}};</li>
 *   <li>{@value #LATE}: late lines {@code {source, offset, time, reportedIn}}, times ISO-8601 UTC;</li>
 *   <li>{@value #SUCCESS}: an empty marker written at end of input after everything above is flushed, when
 *       every line of the input is in the results — the CLI waits for it;</li>
 *   <li>{@value #INCOMPLETE}: instead of {@value #SUCCESS} when the input could not be read whole: what was
 *       not read, one item per line (the results above hold the rest).</li>
 * </ul>
 * JSON-lines files are appended to (a restarted worker continues them); dead letters and late lines are
 * buffered and flushed about every second. Use one task: the files are not shared between writers.
 */
public final class JsonLinesSink implements ResultSink {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesSink.class);

    public static final String WINDOWS = "windows.jsonl";
    public static final String TOTALS = "totals.json";
    public static final String REJECTED = "rejected.jsonl";
    public static final String LATE = "late.jsonl";
    public static final String SUCCESS = "_SUCCESS";
    public static final String INCOMPLETE = "_INCOMPLETE";

    /** A window is flushed at once unless the previous one was flushed less than this long ago. */
    static final long WINDOW_FLUSH_MILLIS = 50;

    private final String directory;
    private transient Path dir;
    private transient long lastWindowFlushNanos;
    private transient Writer windows;
    private transient Writer rejected;
    private transient Writer late;

    /** @param directory created if missing */
    public JsonLinesSink(String directory) {
        this.directory = directory;
    }

    @Override
    public void open(Map<String, Object> topoConf, TopologyContext context) throws IOException {
        dir = Path.of(directory);
        Files.createDirectories(dir);
        cutTornLine(dir.resolve(WINDOWS));
        windows = append(WINDOWS);
        rejected = append(REJECTED);
        late = append(LATE);
        lastWindowFlushNanos = System.nanoTime() - WINDOW_FLUSH_MILLIS * 1_000_000L;
        LOG.info("Writing results to {}", dir.toAbsolutePath());
    }

    /** Reads at most this much of the end of {@value #WINDOWS} to find its last window. */
    private static final int TAIL_BYTES = 4 << 20;

    /**
     * Cuts a last line without its newline off {@code file}: what a writer killed mid-line left (a reader
     * would take it for a broken window).
     */
    private static void cutTornLine(Path file) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long from = Math.max(0, channel.size() - TAIL_BYTES);
            ByteBuffer tail = tail(channel, from);
            int end = tail.position();
            int keep = end;
            while (keep > 0 && tail.get(keep - 1) != '\n') {
                keep--;
            }
            if (keep < end && (keep > 0 || from == 0)) {
                LOG.warn("{} ended in a line cut short ({} bytes, a writer killed mid-line): removed it", file, end - keep);
                channel.truncate(from + keep);
            }
        }
    }

    /** The end of the last window in {@value #WINDOWS}, from an earlier run of this task. */
    @Override
    public long lastWindowEnd() throws IOException {
        Path file = dir.resolve(WINDOWS);
        if (!Files.exists(file) || Files.size(file) == 0) {
            return Long.MIN_VALUE;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer tail = tail(channel, Math.max(0, channel.size() - TAIL_BYTES));
            String text = new String(tail.array(), 0, tail.position(), StandardCharsets.UTF_8).stripTrailing();
            String last = text.substring(text.lastIndexOf('\n') + 1);
            try {
                return java.time.Instant.parse(SinkJson.parseObject(last, "window").get("windowEnd").asText()).toEpochMilli();
            } catch (RuntimeException e) {
                LOG.warn("Cannot tell the last window of {}: windows may be written again", file, e);
                return Long.MIN_VALUE;
            }
        }
    }

    /** The bytes of {@code channel} from {@code from} to its end; its position is how many were read. */
    private static ByteBuffer tail(FileChannel channel, long from) throws IOException {
        ByteBuffer tail = ByteBuffer.allocate((int) (channel.size() - from));
        while (tail.hasRemaining() && channel.read(tail, from + tail.position()) >= 0) {
            // a read may return fewer bytes than asked
        }
        return tail;
    }

    private Writer append(String name) throws IOException {
        return new BufferedWriter(Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
    }

    @Override
    public void window(Result window) throws IOException {
        String json = window.json();
        if (json.indexOf('\n') >= 0 || json.indexOf('\r') >= 0) {
            // Results are compact by contract, but one pretty-printed object would break every reader of the file.
            json = SinkJson.write(SinkJson.parseObject(json, "window"));
        }
        windows.write(json);
        windows.write('\n');
        long now = System.nanoTime();
        if (now - lastWindowFlushNanos >= WINDOW_FLUSH_MILLIS * 1_000_000L) {
            windows.flush();
            lastWindowFlushNanos = now;
        }
    }

    @Override
    public void totals(Result totals) throws IOException {
        byte[] pretty = SinkJson.MAPPER.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(SinkJson.parseObject(totals.json(), "totals"));
        Path temp = dir.resolve(TOTALS + ".tmp");
        Files.write(temp, pretty);
        try {
            Files.move(temp, dir.resolve(TOTALS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, dir.resolve(TOTALS), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void rejected(DeadLetter deadLetter) throws IOException {
        writeLine(rejected, SinkJson.write(SinkJson.deadLetter(deadLetter)));
    }

    @Override
    public void late(LateLine lateLine) throws IOException {
        writeLine(late, SinkJson.write(SinkJson.late(lateLine)));
    }

    private static void writeLine(Writer writer, String json) throws IOException {
        writer.write(json);
        writer.write('\n');
    }

    @Override
    public void flush() throws IOException {
        windows.flush();
        rejected.flush();
        late.flush();
    }

    @Override
    public void endOfInput(String unread) throws IOException {
        flush();
        if (unread.isEmpty()) {
            Files.write(dir.resolve(SUCCESS), new byte[0]);
            LOG.info("End of input: results complete in {}", dir.toAbsolutePath());
        } else {
            Files.writeString(dir.resolve(INCOMPLETE), unread + "\n", StandardCharsets.UTF_8);
            LOG.info("End of input: results in {} are partial, {} says what was not read", dir.toAbsolutePath(),
                    INCOMPLETE);
        }
    }

    /**
     * How many lines the totals in {@code dir} count, records and rejected lines together (every job's totals
     * have both), or -1 when no totals are written there yet.
     */
    public static long linesCounted(Path dir) throws IOException {
        Path totals = dir.resolve(TOTALS);
        if (!Files.exists(totals)) {
            return -1;
        }
        JsonNode node = SinkJson.MAPPER.readTree(totals.toFile());
        return node.path("records").asLong() + node.path("rejected").asLong();
    }

    @Override
    public void close() {
        for (Writer writer : new Writer[] {windows, rejected, late}) {
            if (writer != null) {
                try {
                    writer.close();
                } catch (IOException e) {
                    LOG.warn("Cannot close a result file in {}", dir, e);
                }
            }
        }
    }

    @Override
    public String toString() {
        return "json-lines " + directory;
    }
}
