package io.stormwatch.core.io;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks that what a run will read or write is usable, made before the run starts so a mistake is one clear
 * line instead of a stack trace later (or, worse, a run that succeeds over nothing). Each method returns
 * normally when the thing is usable and otherwise throws {@link Failure}, whose message is the reason alone,
 * short and lower-case (e.g. {@code no such file}), for the caller to put after the name the user gave.
 *
 * <p>The checks see only what is true now: a file can vanish a moment later, and as root permission bits do
 * not stop reading or writing, so "readable" and "writable" then always hold. They do not create or change
 * anything.
 */
public final class Checks {

    /** Why something is not usable; the message is the reason alone, the cause (if any) what said so. */
    public static final class Failure extends Exception {
        public Failure(String reason) {
            super(reason);
        }

        public Failure(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    private Checks() {}

    /** A file to read ({@code file:PATH}): it exists, is a regular file (not a directory) and is readable. */
    public static void readableFile(Path file) throws Failure {
        if (!Files.exists(file)) {
            throw new Failure("no such file");
        }
        if (Files.isDirectory(file)) {
            throw new Failure("is a directory, not a file");
        }
        if (!Files.isRegularFile(file)) {
            throw new Failure("not a regular file");
        }
        if (!Files.isReadable(file)) {
            throw new Failure("not readable (permission denied)");
        }
    }

    /**
     * A spooling directory ({@code spool:DIR}): it exists, is a directory, and is readable and writable, since
     * the spool renames the files it is done with and keeps its progress in
     * {@code DIR/}{@value SpoolDirectory#STATE_DIRECTORY}{@code /}.
     */
    public static void spoolDirectory(Path dir) throws Failure {
        if (!Files.exists(dir)) {
            throw new Failure("no such directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new Failure("is a file, not a directory");
        }
        if (!Files.isReadable(dir)) {
            throw new Failure("directory not readable (permission denied)");
        }
        if (!Files.isWritable(dir)) {
            throw new Failure("directory not writable (the spool renames its files and keeps its progress in "
                    + SpoolDirectory.STATE_DIRECTORY + "/ there)");
        }
    }

    /**
     * A file to follow ({@code tail:PATH}): the file itself may appear later, but its directory must exist and
     * be readable (to see it appear) and writable (the tailer keeps its position in
     * {@code .stormwatch/tail/} there, {@link FileTailer#defaultStateDirectory}). A path that exists must not
     * be a directory.
     */
    public static void tailedFile(Path file) throws Failure {
        Path absolute = file.toAbsolutePath().normalize();
        if (Files.isDirectory(absolute)) {
            throw new Failure("is a directory, not a file");
        }
        Path dir = absolute.getParent();
        if (dir == null || !Files.exists(dir)) {
            throw new Failure("its directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new Failure("its directory " + dir + " is a file");
        }
        if (!Files.isReadable(dir)) {
            throw new Failure("its directory " + dir + " is not readable (permission denied)");
        }
        if (!Files.isWritable(dir)) {
            throw new Failure("its directory " + dir + " is not writable (the tailer keeps its position in .stormwatch/ there)");
        }
    }

    /**
     * A directory to write results to ({@code jsonl:DIR}): it is a writable directory, or it does not exist
     * yet and its nearest existing ancestor is a writable directory (the sink creates it).
     */
    public static void writableDirectory(Path dir) throws Failure {
        Path absolute = dir.toAbsolutePath().normalize();
        if (Files.exists(absolute)) {
            if (!Files.isDirectory(absolute)) {
                throw new Failure("is a file, not a directory");
            }
            if (!Files.isWritable(absolute)) {
                throw new Failure("directory not writable (permission denied)");
            }
            return;
        }
        Path ancestor = absolute.getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null) {
            throw new Failure("cannot be created: no existing parent directory");
        }
        if (!Files.isDirectory(ancestor)) {
            throw new Failure("cannot be created: " + ancestor + " is a file");
        }
        if (!Files.isWritable(ancestor)) {
            throw new Failure("cannot be created: " + ancestor + " is not writable (permission denied)");
        }
    }

    /** A host name that resolves to an address now (a literal address always does). */
    public static InetAddress resolvableHost(String host) throws Failure {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new Failure("cannot resolve host '" + host + "'", e);
        }
    }
}
