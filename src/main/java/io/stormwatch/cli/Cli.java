package io.stormwatch.cli;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.zip.ZipException;

/** Helpers shared by the subcommands' own output. */
final class Cli {

    private Cli() {}

    /** A short reason for an I/O error, for one-line messages (Java's own name only the file for some). */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileSystemException fileError && fileError.getReason() != null) {
            return fileError.getReason(); // its message starts with the file, which the caller names already
        }
        if (e instanceof EOFException) {
            return "unexpected end of data (a cut gzip file?)";
        }
        if (e instanceof ZipException) {
            return "not valid gzip (" + e.getMessage() + ")";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
