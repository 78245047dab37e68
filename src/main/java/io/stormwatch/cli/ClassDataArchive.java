package io.stormwatch.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the class-data-sharing archive that later runs of {@code bin/stormwatch} start from: the classes this
 * JVM loaded — a whole in-process Storm cluster's, our job's, Jackson's — parsed and verified, so that the next
 * JVM maps them instead of loading them again (a third of a short {@code local} run's CPU).
 *
 * <p>The launcher asks for it with the system property {@value #PROPERTY} (the archive's path) and
 * {@code -XX:+RecordDynamicDumpInfo}, on a {@code local} or {@code flux} run when no archive newer than the jar
 * exists; the CLI calls {@link #writeIfAsked} once that run has ended well, so that the archive holds what a
 * whole run loads, not the few classes of a run that stopped at a typo. The archive is written beside its
 * final name and moved into place, so a concurrent run never maps half of one. Any failure is logged at DEBUG
 * and costs nothing but the speed-up: the next such run tries again.
 */
final class ClassDataArchive {

    /** The archive to write, set by {@code bin/stormwatch}. */
    static final String PROPERTY = "stormwatch.cds.archive";

    private static final Logger LOG = LoggerFactory.getLogger(ClassDataArchive.class);

    private ClassDataArchive() {}

    /** Writes the archive named by {@value #PROPERTY}, if the property is set. */
    static void writeIfAsked() {
        String target = System.getProperty(PROPERTY);
        if (target == null || target.isBlank()) {
            return;
        }
        Path archive = Path.of(target).toAbsolutePath();
        Path partial = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.createDirectories(archive.getParent());
            long start = System.nanoTime();
            Object said = dump(partial);
            if (!Files.isRegularFile(partial)) {
                LOG.debug("No class-data archive written: {}", said);
                return;
            }
            moveIntoPlace(partial, archive);
            LOG.debug("Class-data archive {} written in {} ms", archive, (System.nanoTime() - start) / 1_000_000);
        } catch (IOException | JMException | RuntimeException e) {
            LOG.debug("No class-data archive written to {}", archive, e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                LOG.debug("Cannot delete {}", partial, e);
            }
        }
    }

    /**
     * {@code jcmd VM.cds dynamic_dump}, asked of this JVM itself (JDK 17+, with {@code -XX:+RecordDynamicDumpInfo}).
     * The JDK says "Dynamic dump to file …" on {@code System.out}, which is the command's own output: it goes
     * nowhere instead (the CLI has said all it had to say by now).
     */
    private static Object dump(Path file) throws JMException {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmCds",
                    new Object[] {new String[] {"dynamic_dump", file.toString()}},
                    new String[] {String[].class.getName()});
        } finally {
            System.setOut(out);
        }
    }

    private static void moveIntoPlace(Path partial, Path archive) throws IOException {
        try {
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
