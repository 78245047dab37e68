package io.stormwatch.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a file looked like when it was looked at: its file-system key (device and inode on Linux, null where
 * the file system has none), size and modification time in milliseconds.
 *
 * <p>{@link #sameInstance} compares the key only: a renamed file keeps it, a file replaced by another under
 * the same name does not (unless the inode was reused). {@link #equals} compares all three, which tells
 * whether a file that should be complete has been written to since.
 *
 * <p>{@link #instanceId()} names the file instance in the lines' source: a complete file's lines are
 * {@code (<absolute path>#<instance id>, offset)}, so a new file under a name used before never shares a
 * source with the old one, while the same unchanged file always gets the same source (see
 * {@link #sourceOf}).
 */
public record FileIdentity(String fileKey, long size, long lastModifiedMillis) {

    private static final Pattern NOT_ALPHANUMERIC = Pattern.compile("[^A-Za-z0-9]+");

    public static FileIdentity of(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        Object key = attributes.fileKey();
        return new FileIdentity(
                key == null ? null : key.toString(), attributes.size(), attributes.lastModifiedTime().toMillis());
    }

    /** True when both are the same file instance; true when either key is unknown (nothing to compare). */
    public boolean sameInstance(FileIdentity other) {
        return fileKey == null || other.fileKey == null || fileKey.equals(other.fileKey);
    }

    /**
     * {@code <modification time in ms>-<size>-<key>}, the key's runs of characters other than ASCII letters
     * and digits each turned into one {@code .} (none at either end), or {@code <modification time>-<size>}
     * without a key. Example on Linux: key {@code (dev=fe00,ino=2147253)}, 4096 bytes, modified at
     * 1700000000123 → {@code 1700000000123-4096-dev.fe00.ino.2147253}.
     *
     * <p>Equal identities give equal ids and, but for keys differing only in punctuation, different
     * identities give different ids. It holds no {@code #}, so a source {@code <path>#<id>} splits at its
     * last {@code #}.
     */
    public String instanceId() {
        String id = lastModifiedMillis + "-" + size;
        if (fileKey == null) {
            return id;
        }
        String key = NOT_ALPHANUMERIC.splitAsStream(fileKey).filter(part -> !part.isEmpty())
                .collect(Collectors.joining("."));
        return key.isEmpty() ? id : id + "-" + key;
    }

    /**
     * The source of the lines of {@code file} as this instance: {@code <absolute path>#<instance id>}, e.g.
     * {@code /var/spool/access.log#1700000000123-4096-dev.fe00.ino.2147253}.
     */
    public String sourceOf(Path file) {
        return file.toAbsolutePath() + "#" + instanceId();
    }
}
