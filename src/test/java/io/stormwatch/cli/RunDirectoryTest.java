package io.stormwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a killed run leaves in the temp directory (its {@code stormwatch-run-<pid>}: the in-process cluster's
 * ZooKeeper, Nimbus and worker files) is deleted by the next run — only stormwatch's own, only of processes
 * that are gone.
 */
class RunDirectoryTest {

    @TempDir
    Path tmp;

    private final String savedProperty = System.getProperty(RunDirectory.PROPERTY);

    @AfterEach
    void restore() {
        if (savedProperty == null) {
            System.clearProperty(RunDirectory.PROPERTY);
        } else {
            System.setProperty(RunDirectory.PROPERTY, savedProperty);
        }
    }

    @Test
    void theNextRunDeletesTheDirectoriesOfDeadRunsAndNothingElse() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        long deadPid = finished.pid();
        long livePid = ProcessHandle.current().parent().map(ProcessHandle::pid).orElseThrow();
        Path dead = Files.createDirectories(tmp.resolve("stormwatch-run-" + deadPid).resolve("zookeeper"));
        Files.writeString(dead.resolve("snapshot"), "left behind");
        Path live = Files.createDirectories(tmp.resolve("stormwatch-run-" + livePid));
        Path notOurs = Files.createDirectories(tmp.resolve("stormwatch-run-backup"));
        Path other = Files.createDirectories(tmp.resolve("other-tool-" + deadPid));
        Path own = Files.createDirectories(tmp.resolve("stormwatch-run-" + ProcessHandle.current().pid()));
        System.setProperty(RunDirectory.PROPERTY, own.toString());

        RunDirectory.cleanEarlierRuns();

        assertThat(tmp.resolve("stormwatch-run-" + deadPid)).as("a dead run's directory").doesNotExist();
        assertThat(live).as("a running process's").exists();
        assertThat(own).as("this run's own").exists();
        assertThat(notOurs).as("not named by a pid").exists();
        assertThat(other).as("another tool's").exists();
    }
}
