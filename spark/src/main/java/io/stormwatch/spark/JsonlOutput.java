package io.stormwatch.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
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
 */
public final class JsonlOutput implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    public static final String TOTALS = "totals.json";
    public static final String WINDOWS = "windows.jsonl";
    public static final String SUCCESS = "_SUCCESS";

    private static final ObjectMapper MAPPER = new ObjectMapper();


    private final String dir;

    public JsonlOutput(Path dir) {
        this.dir = dir.toString();
        try {
            Files.createDirectories(dir());
            Files.deleteIfExists(dir().resolve(SUCCESS));
            Files.deleteIfExists(dir().resolve(WINDOWS));
            Files.deleteIfExists(dir().resolve(TOTALS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the output directory " + dir, e);
        }
    }

    /** {@code jsonl:DIR} → the output; anything else is refused. */
    public static JsonlOutput parse(String spec) {
        if (!spec.startsWith("jsonl:") || spec.length() == "jsonl:".length()) {
            throw new IllegalArgumentException("not an output: '" + spec + "' (expected jsonl:DIR)");
        }
        return new JsonlOutput(Path.of(spec.substring("jsonl:".length())));
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
