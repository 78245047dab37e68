package io.stormwatch.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The temporary directory of one run of {@code bin/stormwatch}: {@code <tmp>/stormwatch-run-<pid>}, which the
 * launcher makes the JVM's {@code java.io.tmpdir}, so that everything an in-process Storm cluster leaves there
 * (ZooKeeper and Nimbus data, worker directories, the RocksDB library: about 100 MB) is in one place. The run
 * deletes it when its command returns — not from a shutdown hook: hooks run at once, and the cluster's own
 * shutdown still needs its files. A run that could not delete it (killed, crashed, ended by a signal) leaves
 * it for the next run, which deletes every such directory whose process is gone — only stormwatch's own.
 */
final class RunDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);
    /** Set by bin/stormwatch to this run's directory. */
    static final String PROPERTY = "stormwatch.run.tmp";
    private static final Pattern NAME = Pattern.compile("stormwatch-run-(\\d+)");

    private RunDirectory() {}

    /** This run's directory, or null when not started by bin/stormwatch. */
    static Path own() {
        String own = System.getProperty(PROPERTY);
        return own == null ? null : Path.of(own);
    }

    /** Deletes the directories earlier runs left behind. */
    static void cleanEarlierRuns() {
        Path dir = own();
        if (dir == null) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent == null) {
            return;
        }
        try (DirectoryStream<Path> runs = Files.newDirectoryStream(parent, "stormwatch-run-*")) {
            for (Path run : runs) {
                Matcher m = NAME.matcher(run.getFileName().toString());
                if (m.matches() && !run.equals(dir) && !alive(Long.parseLong(m.group(1)))) {
                    deleteQuietly(run);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot look for directories of earlier runs in {}", parent, e);
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("cannot delete {} completely", dir, e);
        }
    }
}
