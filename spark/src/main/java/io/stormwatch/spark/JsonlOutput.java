package io.stormwatch.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stormwatch.core.probe.ProgressMessage;
import io.stormwatch.core.probe.ProgressSender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * A {@code jsonl:DIR} output laid out as stormwatch's ({@code JsonLinesSink}), so a Spark run and a stormwatch
 * run compare file to file: {@code totals.json} (the latest totals, pretty-printed, replaced atomically),
 * {@code windows.jsonl} (one window object a line, appended) and {@code _SUCCESS} once a finite input was
 * read whole. Written by the driver only (foreachBatch / foreachRDD), one batch at a time. Serializable (by
 * its directory's name), since a checkpointed DStream graph serializes the functions that write to it.
 *
 * <p>With a {@code progress:HOST:PORT} beside it ({@code --output jsonl:DIR,progress:HOST:PORT}) the same writes
 * also report to {@code stormwatch compare}'s latency probe ({@link ProgressSender}): {@link #counted} after the
 * running totals were updated, {@link #windowed} for each window written.
 */
public final class JsonlOutput implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    public static final String TOTALS = "totals.json";
    public static final String WINDOWS = "windows.jsonl";
    public static final String SUCCESS = "_SUCCESS";

    private static final ObjectMapper MAPPER = new ObjectMapper();


    private final String dir;
    private final ProgressMessage.Address progress;

    public JsonlOutput(Path dir) {
        this(dir, null);
    }

    /** @param progress where to report progress, or null */
    public JsonlOutput(Path dir, ProgressMessage.Address progress) {
        this.dir = dir.toString();
        this.progress = progress;
        try {
            Files.createDirectories(dir());
            Files.deleteIfExists(dir().resolve(SUCCESS));
            Files.deleteIfExists(dir().resolve(WINDOWS));
            Files.deleteIfExists(dir().resolve(TOTALS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the output directory " + dir, e);
        }
    }

    /** {@code jsonl:DIR}, optionally followed by {@code ,progress:HOST:PORT} → the output; anything else is refused. */
    public static JsonlOutput parse(String spec) {
        String jsonl = spec;
        ProgressMessage.Address progress = null;
        int comma = spec.indexOf(",progress:");
        if (comma >= 0) {
            jsonl = spec.substring(0, comma);
            progress = ProgressMessage.address(spec.substring(comma + 1));
        }
        if (!jsonl.startsWith("jsonl:") || jsonl.length() == "jsonl:".length() || jsonl.contains(",")) {
            throw new IllegalArgumentException("not an output: '" + spec + "' (expected jsonl:DIR[,progress:HOST:PORT])");
        }
        return new JsonlOutput(Path.of(jsonl.substring("jsonl:".length())), progress);
    }

    /** The running totals now hold {@code lines} lines (records and rejected): reported to the probe, if any. */
    public void counted(long lines) {
        if (progress != null) {
            ProgressSender.to(progress).count(lines);
        }
    }

    /** A window ending at {@code endMillis} was written: reported to the probe, if any. */
    public void windowed(long endMillis) {
        if (progress != null) {
            ProgressSender.to(progress).window(endMillis);
        }
    }

    /** The probe's address, or null. */
    public ProgressMessage.Address progress() {
        return progress;
    }

    public Path dir() {
        return Path.of(dir);
    }

    /** Replaces the totals with {@code json} (one compact JSON object). */
    public synchronized void totals(String json) {
        try {
            byte[] pretty = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(MAPPER.readTree(json));
            Path temp = dir().resolve(TOTALS + ".tmp");
            Files.write(temp, pretty);
            try {
                Files.move(temp, dir().resolve(TOTALS), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, dir().resolve(TOTALS), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir().resolve(TOTALS), e);
        }
    }

    /** Appends window objects, one a line. */
    public synchronized void windows(List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        try {
            Files.writeString(dir().resolve(WINDOWS), text, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir().resolve(WINDOWS), e);
        }
    }

    /** Marks the input as read whole. */
    public void success() {
        try {
            Files.write(dir().resolve(SUCCESS), new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir().resolve(SUCCESS), e);
        }
    }
}
