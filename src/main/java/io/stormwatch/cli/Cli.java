package io.stormwatch.cli;

import io.stormwatch.storm.sink.JsonLinesSink;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.zip.ZipException;

/** Helpers shared by the subcommands' own output. */
final class Cli {

    private Cli() {}

    /**
     * What a finite run could not read, on one line: the items of the {@link JsonLinesSink#INCOMPLETE} marker
     * beside {@code doneMarker}, joined by "; ".
     */
    static String unread(Path doneMarker) {
        Path incomplete = doneMarker.resolveSibling(JsonLinesSink.INCOMPLETE);
        try {
            return String.join("; ", Files.readAllLines(incomplete, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return "see " + incomplete + " (" + describe(e) + ")";
        }
    }

    /**
     * How many lines the final totals in {@code dir} count, records and rejected lines: "N lines counted", or
     * why that cannot be said.
     */
    static String counted(Path dir) {
        try {
            long counted = JsonLinesSink.linesCounted(dir);
            return counted < 0 ? "no totals written" : String.format("%,d lines counted", counted);
        } catch (IOException e) {
            return "no totals written (" + describe(e) + ")";
        }
    }

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
