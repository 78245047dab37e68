package io.stormwatch.core.io;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable resume points of reliably read sources, one small properties file per source in one directory.
 *
 * <p>A save is atomic and durable: the record is written to a temporary file in the same directory, forced
 * to disk, renamed over the old record, and the directory is forced, so after a crash a record is either
 * the old one or the new one, never a mix. Saves are meant to be periodic (about once a second), not per
 * line.
 *
 * <p>Files in the directory are named after the source id (characters other than letters, digits,
 * {@code .}, {@code _} and {@code -} replaced, plus a hash against clashes); the id itself is stored inside.
 *
 * <p>Not thread-safe; one store per directory per reader (different readers use different ids).
 */
public final class ProgressStore {

    /**
     * Where a source resumes: {@code offset} in its (decompressed) stream, the {@code identity} of the file
     * it was read from, and a {@code generation} that counts instances of a followed path (0 when unused).
     */
    public record Progress(long offset, FileIdentity identity, long generation) {}

    private static final Logger LOG = LoggerFactory.getLogger(ProgressStore.class);
    private static final String SUFFIX = ".progress";

    private final Path directory;

    public ProgressStore(Path directory) {
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /**
     * The record of {@code sourceId}, or empty when there is none.
     *
     * @throws IOException when it cannot be read or is not a valid record
     */
    public Optional<Progress> load(String sourceId) throws IOException {
        Path file = fileOf(sourceId);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        try {
            String fileKey = properties.getProperty("fileKey");
            return Optional.of(new Progress(
                    Long.parseLong(required(properties, "offset")),
                    new FileIdentity(
                            fileKey == null || fileKey.isEmpty() ? null : fileKey,
                            Long.parseLong(required(properties, "size")),
                            Long.parseLong(required(properties, "lastModifiedMillis"))),
                    Long.parseLong(properties.getProperty("generation", "0"))));
        } catch (NumberFormatException e) {
            throw new IOException("invalid progress record " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces the record of {@code sourceId}, atomically and durably (see class comment). */
    public void save(String sourceId, Progress progress) throws IOException {
        Files.createDirectories(directory);
        Properties properties = new Properties();
        properties.setProperty("source", sourceId);
        properties.setProperty("offset", Long.toString(progress.offset()));
        FileIdentity identity = progress.identity();
        properties.setProperty("fileKey", identity.fileKey() == null ? "" : identity.fileKey());
        properties.setProperty("size", Long.toString(identity.size()));
        properties.setProperty("lastModifiedMillis", Long.toString(identity.lastModifiedMillis()));
        properties.setProperty("generation", Long.toString(progress.generation()));
        StringWriter text = new StringWriter();
        properties.store(text, "stormwatch resume point; written atomically, do not edit while running");

        Path target = fileOf(sourceId);
        Path temp = directory.resolve(target.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(text.toString());
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory();
    }

    /** Deletes the record of {@code sourceId}, if any. */
    public void delete(String sourceId) throws IOException {
        if (Files.deleteIfExists(fileOf(sourceId))) {
            forceDirectory();
        }
    }

    /** Ids of all records in the store. */
    public List<String> sourceIds() throws IOException {
        List<String> ids = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return ids;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                Properties properties = new Properties();
                properties.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
                String id = properties.getProperty("source");
                if (id != null) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    private Path fileOf(String sourceId) {
        String readable = sourceId.replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > 100) {
            readable = readable.substring(readable.length() - 100);
        }
        return directory.resolve(readable + "-" + Integer.toHexString(sourceId.hashCode()) + SUFFIX);
    }

    private static String required(Properties properties, String name) throws IOException {
        String value = properties.getProperty(name);
        if (value == null) {
            throw new IOException("progress record lacks '" + name + "'");
        }
        return value;
    }

    /** Makes the rename itself durable; some platforms cannot open a directory, where this is best effort. */
    private void forceDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot force directory {}: {}", directory, e.toString());
        }
    }
}
