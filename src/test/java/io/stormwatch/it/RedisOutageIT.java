package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stormwatch.core.io.LineServer;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.testing.CliProcess;
import io.stormwatch.testing.Oracle;
import io.stormwatch.testing.RedisServer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/stormwatch local} with its running totals in a real {@code redis-server} that freezes mid-run
 * (SIGSTOP, as a stalled or partitioned Redis looks) and comes back (SIGCONT): the run survives, says so in a
 * line or two instead of a stack trace per tuple, and its totals count every line exactly once.
 */
class RedisOutageIT {

    private static final int LINES = 12_000;
    private static final LineServer.Listener QUIET = new LineServer.Listener() {
        @Override
        public void connected(String client) {}

        @Override
        public void finished(String client, long linesSent, boolean complete) {}
    };

    @TempDir
    Path tmp;

    @Test
    void aFrozenRedisStateHoldsTheRunBackAndTheTotalsStayExact() throws Exception {
        Path log = Oracle.generate(tmp.resolve("access.log"), LINES, 49, 0.01);
        Path out = tmp.resolve("out");
        Path stderr = tmp.resolve("stderr.txt");
        int exit;
        try (RedisServer redis = RedisServer.start();
                LineServer server = new LineServer(InetAddress.getLoopbackAddress(), 0, List.of(log), 2_000, false, QUIET)) {
            server.start();
            ProcessBuilder builder = new ProcessBuilder(CliProcess.LAUNCHER.toString(), "local", "log-analytics",
                    "--source", "socket:127.0.0.1:" + server.port(), "--state", "redis://127.0.0.1:" + redis.port(),
                    "--output", "jsonl:" + out)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile());
            builder.environment().remove(StormwatchConfig.REDIS_PASSWORD_ENV);
            Process local = builder.start();
            try {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> JsonLinesSink.linesCounted(out) >= 2_000);
                redis.pause();
                try {
                    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                            .until(() -> Files.readString(stderr).contains("is unreachable"));
                } finally {
                    redis.resume();
                }
                assertThat(server.awaitDone(2, TimeUnit.MINUTES)).as("every line sent").isTrue();
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> JsonLinesSink.linesCounted(out) == LINES);

                local.destroy(); // SIGTERM: a graceful stop
                assertThat(local.waitFor(2, TimeUnit.MINUTES)).isTrue();
                exit = local.exitValue();
            } finally {
                local.destroyForcibly();
            }
        }
        List<String> lines = Files.readAllLines(stderr);
        assertThat(exit).as(String.join("\n", lines)).isEqualTo(143);
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).as("every line counted once")
                .isEqualTo(Oracle.totals(log));
        assertThat(lines).filteredOn(l -> l.contains("is unreachable")).as("said once per state (totals, checkpoints)")
                .hasSizeBetween(1, 2);
        assertThat(lines).filteredOn(l -> l.contains("is reachable again")).isNotEmpty();
        assertThat(lines).filteredOn(l -> l.startsWith("\tat ")).as("no stack trace").isEmpty();
    }
}
