package io.stormwatch.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins down {@link Inputs}: {@link Inputs#checkReadable} tells a missing file, an unreadable one and a directory
 * apart without opening anything, and {@link Inputs#raw} reads a FIFO (what a pipe or a process substitution
 * is to a command) to its end, gzip told by content as for a file.
 */
class InputsTest {

    @TempDir
    Path dir;

    @Test
    void checkReadableTellsAMissingFileADirectoryAndStandardInputApart() throws IOException {
        Path file = Files.writeString(dir.resolve("a.log"), "x\n");

        assertThatCode(() -> Inputs.checkReadable(file)).doesNotThrowAnyException();
        assertThatCode(() -> Inputs.checkReadable(Inputs.STDIN)).doesNotThrowAnyException();
        assertThatThrownBy(() -> Inputs.checkReadable(dir.resolve("missing.log"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Inputs.checkReadable(dir))
                .isInstanceOfSatisfying(FileSystemException.class, e -> assertThat(e.getReason()).isEqualTo("is a directory"));
    }

    /** Root reads whatever the permissions say, so there is nothing to deny: skipped when the tests run as root. */
    @Test
    void checkReadableTellsAPermissionErrorFromAMissingFile() throws IOException {
        assumeThat(Files.getOwner(dir).getName()).as("running as root, which permissions do not stop").isNotEqualTo("root");
        Path locked = Files.writeString(dir.resolve("locked.log"), "x\n");
        Path closed = Files.createDirectory(dir.resolve("closed"));
        Path behindClosed = Files.writeString(closed.resolve("in.log"), "x\n");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));
        try {
            assertThatThrownBy(() -> Inputs.checkReadable(locked)).isInstanceOf(AccessDeniedException.class);
            // Files.exists says false here, as for a missing file.
            assertThatThrownBy(() -> Inputs.checkReadable(behindClosed)).isInstanceOf(AccessDeniedException.class);
        } finally {
            Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aFifoIsReadToItsEndAndItsGzipDecompressed() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            text.append("line ").append(i).append('\n');
        }
        ByteArrayOutputStream gzip = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gzip)) {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        }
        for (byte[] content : new byte[][] {text.toString().getBytes(StandardCharsets.UTF_8), gzip.toByteArray()}) {
            Path fifo = dir.resolve("fifo");
            Files.deleteIfExists(fifo);
            assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
            // Opening a FIFO for writing waits for its reader, so the writer runs beside the reading.
            CompletableFuture<Path> writer = CompletableFuture.supplyAsync(() -> {
                try {
                    return Files.write(fifo, content);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });

            try (InputStream in = Inputs.open(Inputs.raw(fifo))) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(text.toString());
            }
            writer.get(1, TimeUnit.MINUTES);
        }
    }
}
