package io.stormwatch.core.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a file looked like when it was looked at: its file-system key (device and inode on Linux, null where
 * the file system has none), size and modification time in milliseconds.
 *
 * <p>{@link #sameInstance} compares the key only: a renamed file keeps it, a file replaced by another under
 * the same name does not (unless the inode was reused). {@link #equals} compares all three, which tells
 * whether a file that should be complete has been written to since.
 */
public record FileIdentity(String fileKey, long size, long lastModifiedMillis) {

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
}
