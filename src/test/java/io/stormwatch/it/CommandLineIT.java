package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.testing.CliProcess;
import io.stormwatch.testing.Oracle;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The commands a user types, as processes: {@code bin/stormwatch} on the packaged jar, and the submitter
 * the way {@code storm local} starts it. Runs after {@code package}, so the jar is there and current.
 */
class CommandLineIT {

    private static final Path LAUNCHER = CliProcess.LAUNCHER;

    @TempDir
    Path tmp;

    @Test
    void localRunOfAFileWritesTotalsAndWindowsEqualToBatch() throws Exception {
        Path log = Oracle.generate(tmp.resolve("access.log"), 6_000, 41, 0.03);
        Path out = tmp.resolve("out");

        CliProcess batch = run(List.of(LAUNCHER.toString(), "batch", "--json", log.toString()), Duration.ofMinutes(2));
        CliProcess batchWindows = run(List.of(LAUNCHER.toString(), "batch", "--window", "30s", "--slide", "10s", "--lag", "5s",
                "--json", log.toString()), Duration.ofMinutes(2));
        CliProcess local = run(List.of(LAUNCHER.toString(), "local", "log-analytics", "--source", "file:" + log,
                "--output", "jsonl:" + out), Duration.ofMinutes(3));

        assertThat(batch.exitCode()).as(batch.stderr()).isZero();
        assertThat(batchWindows.exitCode()).as(batchWindows.stderr()).isZero();
        assertThat(local.exitCode()).as(local.stderr()).isZero();
        assertThat(out.resolve(JsonLinesSink.SUCCESS)).exists();
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.asRead(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(batch.stdout())));
        List<String> windows = Files.readAllLines(out.resolve(JsonLinesSink.WINDOWS));
        assertThat(windows).isNotEmpty().containsExactlyElementsOf(batchWindows.stdout().lines().toList());
        assertThat(local.stderr()).contains("final totals").contains("window (");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"status-codes, 30s", "top-urls, 5m"})
    void otherAccessLogJobsRunOnTheSamePipelineWithTheirOwnWindows(String job, String window) throws Exception {
        Path log = Oracle.generate(tmp.resolve("access.log"), 3_000, 43, 0.03);
        Path out = tmp.resolve("out");

        CliProcess batch = run(List.of(LAUNCHER.toString(), "batch", "--job", job, "--json", log.toString()),
                Duration.ofMinutes(2));
        // --slide and --lag unset: the job's own, as `local` takes them.
        CliProcess batchWindows = run(List.of(LAUNCHER.toString(), "batch", "--job", job, "--window", window, "--json",
                log.toString()), Duration.ofMinutes(2));
        CliProcess local = run(List.of(LAUNCHER.toString(), "local", job, "--source", "file:" + log,
                "--output", "jsonl:" + out), Duration.ofMinutes(3));

        assertThat(local.exitCode()).as(local.stderr()).isZero();
        assertThat(batchWindows.exitCode()).as(batchWindows.stderr()).isZero();
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.asRead(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(batch.stdout())));
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS)).get("records").asLong()).isPositive();
        assertThat(Files.readAllLines(out.resolve(JsonLinesSink.WINDOWS))).isNotEmpty()
                .containsExactlyElementsOf(batchWindows.stdout().lines().toList());
    }

    @Test
    void theSubmitterRunsUnderStormLocalWithAConfFileAndCommandLineOptions() throws Exception {
        Path log = Oracle.generate(tmp.resolve("access.log"), 2_000, 42, 0.02);
        Path out = tmp.resolve("out");
        String jar = jarPath();
        // What `storm local JAR SubmitTopology log-analytics -conf conf/local.yaml -c k=v` runs: LocalCluster's
        // main around ours, -c values in storm.options, and -conf parsed by Storm's launcher into a bare file.
        String options = String.join(",",
                encode("stormwatch.source=file:" + log),
                encode("stormwatch.outputs=jsonl:" + out));
        List<String> command = new ArrayList<>(List.of("java",
                "--add-opens", "java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                "-Dstorm.local.sleeptime=300", "-Dstorm.options=" + options, "-Dstorm.jar=" + jar,
                "-cp", jar + ":" + Files.readString(Path.of("target/storm-classpath.txt")).trim(),
                "org.apache.storm.LocalCluster", "io.stormwatch.storm.topology.SubmitTopology",
                "log-analytics", "conf/local.yaml"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("storm-local.log").toFile()).start();
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.exists(out.resolve(JsonLinesSink.SUCCESS)) || !process.isAlive());
            assertThat(out.resolve(JsonLinesSink.SUCCESS)).as(Files.readString(tmp.resolve("storm-local.log"))).exists();
            assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.totals(log));
        } finally {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String jarPath() throws IOException {
        try (var jars = Files.list(Path.of("target"))) {
            return jars.filter(p -> p.getFileName().toString().matches("stormwatch-.*\\.jar")
                            && !p.getFileName().toString().startsWith("original-"))
                    .findFirst().orElseThrow().toAbsolutePath().toString();
        }
    }

    private static String encode(String option) {
        return URLEncoder.encode(option, StandardCharsets.UTF_8);
    }

    private CliProcess run(List<String> command, Duration limit) throws Exception {
        return CliProcess.run(tmp, limit, command);
    }
}
