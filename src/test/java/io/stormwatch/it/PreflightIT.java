package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.testing.CliProcess;
import io.stormwatch.testing.Oracle;
import io.stormwatch.testing.RedisServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/stormwatch local} as a process, when what it is given cannot work: the checks before the
 * topology starts make it exit 2 with one line on stderr and no stack trace, and a run that can work still
 * runs and exits 0. Runs after {@code package}, so the jar is there and current.
 */
class PreflightIT {

    private static final String PASSWORD = "preflight-secret";

    private static RedisServer redis;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisServer.start(PASSWORD);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void aMissingFileIsOneLineAndExitCode2() throws Exception {
        CliProcess run = local(Map.of(), "--source", "file:/missing");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr().lines()).containsExactly("stormwatch local: --source file:/missing: no such file");
    }

    @Test
    void aRedisHostThatDoesNotResolveIsOneLineAndExitCode2() throws Exception {
        CliProcess run = local(Map.of(), "--source", "file:" + log(), "--state", "redis://nohost.invalid:1");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr().lines()).containsExactly(
                "stormwatch local: --state redis://nohost.invalid:1: cannot resolve host 'nohost.invalid'");
    }

    @Test
    void aClosedRedisPortIsOneLineAndExitCode2() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        CliProcess run = local(Map.of(), "--source", "file:" + log(), "--state", "redis://127.0.0.1:" + closed);

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr().lines()).containsExactly("stormwatch local: --state redis://127.0.0.1:" + closed
                + ": cannot connect to 127.0.0.1:" + closed + ": connection refused");
    }

    @Test
    void aWrongRedisPasswordIsOneLineAndExitCode2() throws Exception {
        String url = "redis://127.0.0.1:" + redis.port() + "/0";
        CliProcess run = local(Map.of(StormwatchConfig.REDIS_PASSWORD_ENV, "not-" + PASSWORD),
                "--source", "file:" + log(), "--output", url);

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr().lines()).containsExactly("stormwatch local: --output " + url
                + ": authentication failed: wrong password (from $" + StormwatchConfig.REDIS_PASSWORD_ENV + ")");
    }

    @Test
    void verboseAddsTheException() throws Exception {
        CliProcess run = local(Map.of(), "--source", "file:" + log(), "--state", "redis://nohost.invalid:1", "--verbose");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(2);
        assertThat(run.stderr().lines().toList().get(0))
                .isEqualTo("stormwatch local: --state redis://nohost.invalid:1: cannot resolve host 'nohost.invalid'");
        assertThat(run.stderr()).contains("java.net.UnknownHostException");
    }

    @Test
    void aRunThatPassesTheChecksStillRunsAndExits0() throws Exception {
        Path log = log();
        Path out = tmp.resolve("out");
        CliProcess run = local(Map.of(StormwatchConfig.REDIS_PASSWORD_ENV, PASSWORD),
                "--source", "file:" + log, "--state", "redis://127.0.0.1:" + redis.port() + "/1",
                "--output", "jsonl:" + out);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(out.resolve(JsonLinesSink.SUCCESS)).exists();
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(Oracle.totals(log));
    }

    private Path log() throws IOException {
        Path log = tmp.resolve("access.log");
        return Files.exists(log) ? log : Oracle.generate(log, 500, 47, 0.0);
    }

    private CliProcess local(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(CliProcess.LAUNCHER.toString(), "local", "log-analytics"));
        command.addAll(List.of(args));
        // A limit only so a hung run fails the test instead of the build; no assertion on time.
        return CliProcess.run(tmp, Duration.ofMinutes(3), command, env -> {
            env.remove(StormwatchConfig.REDIS_PASSWORD_ENV);
            env.putAll(environment);
        });
    }
}
