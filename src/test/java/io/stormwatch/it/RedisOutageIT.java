package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stormwatch.core.io.LineServer;
import io.stormwatch.core.window.WindowSpec;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code bin/stormwatch local} with its running totals in a real {@code redis-server} that goes away mid-run and
 * comes back: frozen (SIGSTOP, as a stalled or partitioned Redis looks) then let go (SIGCONT), or stopped for 10 s
 * (SIGTERM) and started again with its append-only file. The run survives without a restart (the process stays up,
 * no worker halts), says so in a line or two instead of a stack trace per tuple, resumes by itself, and its totals
 * count every line exactly once. Each test logs a {@code figures:} line (outage, recovery).
 */
class RedisOutageIT {

    private static final Logger LOG = LoggerFactory.getLogger(RedisOutageIT.class);
    private static final int LINES = 12_000;
    private static final LineServer.Listener QUIET = new LineServer.Listener() {
        @Override
        public void connected(String client) {}

        @Override
        public void finished(String client, long linesSent, boolean complete) {}
    };

    /** What is done to Redis once lines are being counted; returns when Redis is back. */
    @FunctionalInterface
    private interface Outage {
        void happen(RedisServer redis, Path stderr) throws Exception;
    }

    @TempDir
    Path tmp;

    @Test
    void aFrozenRedisStateHoldsTheRunBackAndTheTotalsStayExact() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            survives(redis, 49, "SIGSTOP 10 s", (server, stderr) -> {
                server.pause();
                long frozen = System.nanoTime();
                try {
                    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(100))
                            .until(() -> Files.readString(stderr).contains("is unreachable")
                                    && System.nanoTime() - frozen >= TimeUnit.SECONDS.toNanos(10));
                } finally {
                    server.resume();
                }
            });
        }
    }

    @Test
    void aRedisStoppedForTenSecondsAndRestartedWithItsDataIsWaitedForAndTheTotalsStayExact() throws Exception {
        try (RedisServer redis = RedisServer.startPersistent()) {
            survives(redis, 50, "stopped 10 s, restarted (appendonly)", (server, stderr) -> {
                server.stop();
                await().pollDelay(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(11)).until(() -> true);
                server.restart();
            });
        }
    }

    private void survives(RedisServer redis, long seed, String what, Outage outage) throws Exception {
        Path log = Oracle.generate(tmp.resolve("access.log"), LINES, seed, 0.01);
        Path out = tmp.resolve("out");
        Path stderr = tmp.resolve("stderr.txt");
        int exit;
        long outageNanos;
        long recoveryNanos;
        try (LineServer server = new LineServer(InetAddress.getLoopbackAddress(), 0, List.of(log), 2_000, false, QUIET)) {
            server.start();
            ProcessBuilder builder = new ProcessBuilder(CliProcess.LAUNCHER.toString(), "local", "log-analytics",
                    "--source", "socket:127.0.0.1:" + server.port(), "--state", "redis://127.0.0.1:" + redis.port(),
                    "--output", "jsonl:" + out)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile());
            builder.environment().remove(StormwatchConfig.REDIS_PASSWORD_ENV);
            Process local = builder.start();
            try {
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100)).until(() -> JsonLinesSink.linesCounted(out) >= 2_000);
                long start = System.nanoTime();
                outage.happen(redis, stderr);
                long back = System.nanoTime();
                outageNanos = back - start;
                long counted = JsonLinesSink.linesCounted(out);
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                        .until(() -> JsonLinesSink.linesCounted(out) > counted || JsonLinesSink.linesCounted(out) == LINES);
                recoveryNanos = System.nanoTime() - back;
                assertThat(local.isAlive()).as("the run goes on without a restart").isTrue();
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
        LOG.info("figures: Redis {}: outage {} ms, totals counting again {} ms after Redis was back; {} lines",
                what, TimeUnit.NANOSECONDS.toMillis(outageNanos), TimeUnit.NANOSECONDS.toMillis(recoveryNanos), LINES);
        assertThat(exit).as(String.join("\n", lines)).isEqualTo(143);
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).as("every line counted once")
                .isEqualTo(Oracle.totals(log));
        assertThat(Files.readAllLines(out.resolve(JsonLinesSink.WINDOWS))).as("every window once, as batch's")
                .containsExactlyElementsOf(Oracle.windows(WindowSpec.parse("30s", "10s", "5s"), log));
        // Every stateful component has a Redis state of its own (checkpoints, totals, windows, each sink): each
        // that noticed the outage says so once.
        List<String> unreachable = lines.stream().filter(l -> l.contains("is unreachable"))
                .map(l -> l.replaceAll(".*Redis state '([^']+)'.*", "$1")).toList();
        assertThat(unreachable).as("said once per state").isNotEmpty().doesNotHaveDuplicates();
        assertThat(lines).filteredOn(l -> l.contains("is reachable again")).isNotEmpty();
        assertThat(lines).filteredOn(l -> l.startsWith("\tat ")).as("no stack trace").isEmpty();
        assertThat(lines).noneMatch(l -> l.contains("Halting process"));
    }
}
