package io.stormwatch.storm.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.job.loganalytics.StatsJson;
import io.stormwatch.core.window.WindowResult;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.apache.storm.task.TopologyContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes results as files in one directory, for scripts, tests and the CLI:
 * <ul>
 *   <li>{@value #WINDOWS}: one JSON object per window ({@link WindowResult#toJson}), flushed at once;</li>
 *   <li>{@value #TOTALS}: the batch JSON object ({@link StatsJson}) of the latest totals, replaced
 *       atomically (temp file + rename), so a reader never sees half of it;</li>
 *   <li>{@value #REJECTED}: dead letters {@code {source, offset, reason, detail, line}};</li>
 *   <li>{@value #LATE}: late records {@code {source, offset, time, client, request, status, bytes}};</li>
 *   <li>{@value #SUCCESS}: an empty marker written at end of input after everything above is flushed —
 *       the CLI waits for it.</li>
 * </ul>
 * JSON-lines files are appended to (a restarted worker continues them); dead letters and late records are
 * buffered and flushed about every second. Use one task: the files are not shared between writers.
 */
public final class JsonLinesSink implements StatsSink {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesSink.class);

    public static final String WINDOWS = "windows.jsonl";
    public static final String TOTALS = "totals.json";
    public static final String REJECTED = "rejected.jsonl";
    public static final String LATE = "late.jsonl";
    public static final String SUCCESS = "_SUCCESS";

    private final String directory;
    private final long clientsThreshold;
    private final int topK;
    private transient Path dir;
    private transient ObjectMapper json;
    private transient Writer windows;
    private transient Writer rejected;
    private transient Writer late;

    /**
     * @param directory        created if missing
     * @param clientsThreshold as the batch JSON's clients-over threshold
     * @param topK             as the batch JSON's number of top endpoints
     */
    public JsonLinesSink(String directory, long clientsThreshold, int topK) {
        this.directory = directory;
        this.clientsThreshold = clientsThreshold;
        this.topK = topK;
    }

    public JsonLinesSink(String directory) {
        this(directory, LogStats.DEFAULT_CLIENT_THRESHOLD, LogStats.DEFAULT_TOP_ENDPOINTS);
    }

    @Override
    public void open(Map<String, Object> topoConf, TopologyContext context) throws IOException {
        dir = Path.of(directory);
        Files.createDirectories(dir);
        json = new ObjectMapper();
        windows = append(WINDOWS);
        rejected = append(REJECTED);
        late = append(LATE);
        LOG.info("Writing results to {}", dir.toAbsolutePath());
    }

    private Writer append(String name) throws IOException {
        return new BufferedWriter(Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), 64 * 1024);
    }

    @Override
    public void window(WindowResult window) throws IOException {
        writeLine(windows, window.toJson(clientsThreshold, topK));
        windows.flush();
    }

    @Override
    public void totals(LogStats totals, boolean isFinal) throws IOException {
        Path temp = dir.resolve(TOTALS + ".tmp");
        Files.write(temp, json.writerWithDefaultPrettyPrinter()
                .writeValueAsBytes(StatsJson.toJson(totals, clientsThreshold, topK)));
        try {
            Files.move(temp, dir.resolve(TOTALS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, dir.resolve(TOTALS), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public void rejected(DeadLetter deadLetter) throws IOException {
        ObjectNode line = json.createObjectNode()
                .put("source", deadLetter.source())
                .put("offset", deadLetter.offset())
                .put("reason", deadLetter.reason())
                .put("detail", deadLetter.detail())
                .put("line", deadLetter.line());
        writeLine(rejected, line);
    }

    @Override
    public void late(LateRecord lateRecord) throws IOException {
        LogRecord record = lateRecord.record();
        ObjectNode line = json.createObjectNode()
                .put("source", lateRecord.source())
                .put("offset", lateRecord.offset())
                .put("time", record.time().toString())
                .put("client", record.client())
                .put("request", record.request())
                .put("status", record.status())
                .put("bytes", record.bytesSent());
        writeLine(late, line);
    }

    private void writeLine(Writer writer, ObjectNode value) throws IOException {
        writer.write(json.writeValueAsString(value));
        writer.write('\n');
    }

    @Override
    public void flush() throws IOException {
        windows.flush();
        rejected.flush();
        late.flush();
    }

    @Override
    public void endOfInput() throws IOException {
        flush();
        Files.write(dir.resolve(SUCCESS), new byte[0]);
        LOG.info("End of input: results complete in {}", dir.toAbsolutePath());
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
