package io.stormwatch.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.spark.SparkConf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Spark run's settings and files: the {@link SparkConf} every job here runs with, and a directory of the
 * run's own ({@code $TMPDIR/stormwatch-spark-<pid>-<n>}) that holds Spark's scratch space and every checkpoint
 * directory. {@link #close} stops what was registered with {@link #onClose} (the streaming queries and the
 * Spark context, in reverse order) and deletes the directory; a shutdown hook does the same (after Spark's own hooks have stopped Spark) when the JVM is
 * ended by a signal (SIGTERM, Ctrl-C), so no run leaves its checkpoints or scratch files behind.
 *
 * <p>Settings ({@code ../shared/FACTS.md}): {@code local[2]}, driver bound to 127.0.0.1, no UI, 2 shuffle
 * partitions (200 make a windowed aggregation several times slower for nothing on 2 cores).
 */
public final class SparkRun implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SparkRun.class);
    private static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();

    /** Below {@code FileSystem.SHUTDOWN_HOOK_PRIORITY + 30}, the priority of Spark's hook manager. */
    static final int HOOK_PRIORITY = 30;

    private final Path dir;
    private final List<AutoCloseable> closers = new ArrayList<>();
    private final Runnable hook = this::closeQuietly;
    private boolean closed;

    /** Creates the run's directory (under {@code java.io.tmpdir}) and registers the shutdown hook. */
    public SparkRun() {
        try {
            dir = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"))
                    .resolve("stormwatch-spark-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the run directory", e);
        }
        // Through Hadoop's hook manager, below Spark's own hooks (priority 40: streaming contexts, then the
        // Spark context, then Spark's temp directories): the files go once Spark has stopped writing them.
        ShutdownHookManager.get().addShutdownHook(hook, HOOK_PRIORITY);
    }

    /** The settings every job here runs with; {@code master} is e.g. {@code local[2]}. */
    public SparkConf conf(String appName, String master) {
        return new SparkConf()
                .setAppName(appName)
                .setMaster(master)
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false")
                .set("spark.sql.shuffle.partitions", "2")
                .set("spark.default.parallelism", "2")
                .set("spark.local.dir", dir.resolve("scratch").toString())
                .set("spark.sql.streaming.checkpointLocation", checkpoint("sql").toString())
                .set("spark.sql.session.timeZone", "UTC")
                // Each query is stopped by this run, which deletes its checkpoints: no temporary ones to keep.
                .set("spark.sql.streaming.forceDeleteTempCheckpointLocation", "true");
    }

    /** The run's directory. */
    public Path dir() {
        return dir;
    }

    /** A checkpoint directory of this run, deleted with it. */
    public Path checkpoint(String name) {
        return dir.resolve("checkpoints").resolve(name);
    }

    /** Registers something to stop when the run closes; the last registered is stopped first. */
    public synchronized void onClose(AutoCloseable closer) {
        closers.add(closer);
    }

    /** Stops what was registered, newest first, and deletes the run's directory. Idempotent. */
    @Override
    public void close() {
        closeQuietly();
        if (!ShutdownHookManager.get().isShutdownInProgress()) {
            ShutdownHookManager.get().removeShutdownHook(hook);
        }
    }

    private synchronized void closeQuietly() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = closers.size() - 1; i >= 0; i--) {
            try {
                closers.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", closers.get(i), e.toString());
            }
        }
        try {
            deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
