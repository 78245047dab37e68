package io.stormwatch.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stormwatch.core.io.LineServer;
import java.io.File;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Spark run ended by SIGTERM (the CLI in a JVM of its own, reading a socket that never ends), once it has written
 * checkpoint files, stops Spark and leaves nothing in its temporary directory: no run directory, no checkpoints,
 * no Spark scratch files.
 */
class StopBySignalTest {

    static final Path HOME = Path.of(System.getProperty("stormwatch.home", ".."));

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"structured", "dstream"})
    void sigtermStopsSparkAndDeletesTheRunsFiles(String style) throws Exception {
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Path out = tmp.resolve("out");
        try (LineServer server = new LineServer(InetAddress.getLoopbackAddress(), 0,
                List.of(HOME.resolve("data/access-sample.log")), 2_000, true, new QuietListener())) {
            server.start();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(Arrays.asList(System.getProperty("spark.jvm.opens").trim().split("\\s+")));
            command.addAll(List.of("-Xmx512m", "-Djava.io.tmpdir=" + javaTmp, "-cp", System.getProperty("java.class.path"),
                    SparkCli.class.getName(), style, "log-analytics", "--source", "socket:127.0.0.1:" + server.port(),
                    "--output", "jsonl:" + out));
            if (style.equals("dstream")) {
                command.addAll(List.of("--batch", "500ms"));
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("cli.log").toFile()).start();
            try {
                // Running, with its run directory and a checkpoint in it (a cold Spark on a busy 2-core machine took
                // > 90 s to get there).
                await().atMost(Duration.ofSeconds(180)).until(() -> hasCheckpoint(javaTmp));

                process.destroy(); // SIGTERM
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("ended within 60 s").isTrue();
                assertThat(process.exitValue()).isEqualTo(143);
                assertThat(runDirectories(javaTmp)).as("left in java.io.tmpdir; log: %s", tmp.resolve("cli.log")).isEmpty();
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private static boolean hasCheckpoint(Path javaTmp) throws Exception {
        for (String name : runDirectories(javaTmp)) {
            Path checkpoints = javaTmp.resolve(name).resolve("checkpoints");
            if (name.startsWith("stormwatch-spark-") && Files.isDirectory(checkpoints)) {
                try (Stream<Path> files = Files.walk(checkpoints)) {
                    if (files.anyMatch(Files::isRegularFile)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<String> runDirectories(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("hsperfdata")).toList();
        }
    }

    private static final class QuietListener implements LineServer.Listener {
        @Override
        public void connected(String client) {}

        @Override
        public void finished(String client, long linesSent, boolean complete) {}
    }
}
