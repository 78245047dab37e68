package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.gen.HostileLines;
import io.stormwatch.core.gen.HostileLines.Flavor;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Jobs;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.testing.CliProcess;
import io.stormwatch.testing.KafkaServer;
import io.stormwatch.testing.Oracle;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hostile input ({@link HostileLines}: random bytes, invalid UTF-8, NULs, over-length lines, 10 MB lines without
 * a newline — each stream ends inside one —, truncated and glued records, stray CRs, invalid JSON) through the
 * spool, socket and Kafka sources of {@code bin/stormwatch local}, run as a process with a bounded heap
 * ({@value #HEAP}): the run never dies (no halted worker, the process is alive until stopped), each line sent is
 * accepted or rejected once ({@code records + rejected == lines}) and the totals equal the batch oracle's over the
 * same bytes. The volume here is CI's; {@code bin/bench-topology hostile} runs a million lines per source.
 */
class HostileInputIT {

    private static final Logger LOG = LoggerFactory.getLogger(HostileInputIT.class);
    private static final String HEAP = "-Xmx256m";
    private static final long LINES = 20_000;
    /** Beyond this the run's memory is not bounded (256 MB of heap, metaspace, threads, direct buffers). */
    private static final long RSS_LIMIT = 900L << 20;

    @TempDir
    Path tmp;

    /** Writes a hostile stream to {@code file} and returns the lines a reader counts in it. */
    private static long hostile(Path file, long lines, long seed, Flavor flavor, int huge) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            return new HostileLines(new HostileLines.Options(lines, seed, flavor, huge, HostileLines.DEFAULT_HUGE_BYTES))
                    .writeTo(out).lines();
        }
    }

    /** {@code batch --json --job job} of the files, as read back from its text. */
    private static JsonNode batch(String name, List<Path> files) throws IOException {
        Job<?> job = Jobs.fromConfig(name, Map.of());
        return Oracle.asRead(json(job, new Batch<>(job, AccessLogParser.DEFAULT_MAX_LINE_LENGTH)
                .run(files, Batch.DeadLetterSink.DISCARD, bytes -> {})));
    }

    private static JsonNode json(Job<?> job, Tally tally) {
        return job.views().json(tally);
    }

    /** Starts {@code bin/stormwatch local job --source source --output jsonl:out} with a bounded heap. */
    private static Process local(String job, String source, Path out, Path stderr) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(CliProcess.LAUNCHER.toString(), "local", job, "--source", source,
                "--output", "jsonl:" + out)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile());
        builder.environment().put("STORMWATCH_JAVA_OPTS", HEAP);
        builder.environment().remove(StormwatchConfig.REDIS_PASSWORD_ENV);
        return builder.start();
    }

    /** Peak resident memory so far of a process (the JVM: the launcher execs java), from the kernel; -1 once gone. */
    private static long peakRss(Process process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) << 10;
                }
            }
        } catch (IOException e) {
            // the process has ended
        }
        return -1;
    }

    /**
     * Waits until the run counted {@code lines} while staying alive, then (for an endless source) stops it with
     * SIGTERM; returns the exit code. Fails at once when the process ends early (a dead worker halts it).
     */
    private static int awaitCounted(Process local, Path out, Path stderr, long lines, boolean endless, String what)
            throws Exception {
        AtomicLong rss = new AtomicLong(-1);
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
                rss.accumulateAndGet(peakRss(local), Math::max);
                assertThat(local.isAlive() || !endless).as("%s alive; stderr:%n%s", what, Files.readString(stderr)).isTrue();
                return JsonLinesSink.linesCounted(out) >= lines && (endless || !local.isAlive());
            });
            rss.accumulateAndGet(peakRss(local), Math::max);
            LOG.info("{}: {} lines counted, peak RSS {} MB", what, lines, rss.get() >> 20);
            assertThat(rss.get()).as("%s peak RSS", what).isLessThan(RSS_LIMIT);
            if (endless) {
                local.destroy(); // SIGTERM: a graceful stop that writes the final totals
            }
            assertThat(local.waitFor(2, TimeUnit.MINUTES)).isTrue();
            return local.exitValue();
        } finally {
            local.destroyForcibly();
        }
    }

    private static void assertSurvived(Path stderr, int exit, int expected) throws IOException {
        String text = Files.readString(stderr);
        assertThat(exit).as(text).isEqualTo(expected);
        assertThat(text).doesNotContain("Halting process", "OutOfMemoryError", "Worker died");
    }

    @Test
    void spoolFilesOfHostileLinesAreEachAcceptedOrRejectedOnce() throws Exception {
        Path spool = Files.createDirectories(tmp.resolve("spool"));
        Path staging = Files.createDirectories(tmp.resolve("staging"));
        List<Path> files = new ArrayList<>();
        long lines = 0;
        for (int i = 0; i < 2; i++) {
            Path file = staging.resolve("hostile-" + i + ".log");
            lines += hostile(file, LINES / 2, 100 + i, Flavor.ACCESS_LOG, 1);
            files.add(file);
        }
        JsonNode expected = batch("log-analytics", files);
        for (Path file : files) {
            Files.copy(file, spool.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Path out = tmp.resolve("out-spool");
        Path stderr = tmp.resolve("stderr-spool.txt");

        int exit = awaitCounted(local("log-analytics", "spool:" + spool, out, stderr), out, stderr, lines, false, "spool");

        assertSurvived(stderr, exit, 0);
        assertThat(JsonLinesSink.linesCounted(out)).isEqualTo(lines);
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(expected);
    }

    @Test
    void aSocketSendingHostileBytesHasEachLineAcceptedOrRejectedOnce() throws Exception {
        Path file = tmp.resolve("hostile.log");
        long lines = hostile(file, LINES, 200, Flavor.ACCESS_LOG, 2);
        JsonNode expected = batch("log-analytics", List.of(file));
        Path out = tmp.resolve("out-socket");
        Path stderr = tmp.resolve("stderr-socket.txt");

        // The raw bytes, as a broken or malicious sender writes them (LineServer would cut lines first), then the
        // connection closes mid-line: the stream ends inside a 10 MB line.
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread sender = new Thread(() -> {
                try (Socket client = server.accept(); OutputStream to = client.getOutputStream();
                        InputStream from = Files.newInputStream(file)) {
                    from.transferTo(to);
                } catch (IOException e) {
                    LOG.warn("hostile sender: {}", e.toString());
                }
            }, "hostile-sender");
            sender.setDaemon(true);
            sender.start();
            int exit = awaitCounted(local("log-analytics", "socket:127.0.0.1:" + server.getLocalPort(), out, stderr),
                    out, stderr, lines, true, "socket");
            sender.join(TimeUnit.SECONDS.toMillis(10));
            assertSurvived(stderr, exit, 143);
        }
        assertThat(JsonLinesSink.linesCounted(out)).isEqualTo(lines);
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(expected);
    }

    @Test
    void aKafkaTopicOfHostileTweetsHasEachRecordAcceptedOrRejectedOnce() throws Exception {
        Path file = tmp.resolve("hostile.jsonl");
        long lines = hostile(file, LINES, 300, Flavor.TWEETS, 2);
        JsonNode expected = batch("hashtags", List.of(file));
        Path out = tmp.resolve("out-kafka");
        Path stderr = tmp.resolve("stderr-kafka.txt");

        try (KafkaServer kafka = KafkaServer.start()) {
            // produce reads the file as every source does: one record per line, a line over the bound cut just
            // past it (so a 10 MB line is a 64 Ki-character record, still rejected as too long).
            kafka.produce("hostile", 2, file);
            int exit = awaitCounted(local("hashtags", "kafka:" + kafka.bootstrap() + "/hostile", out, stderr),
                    out, stderr, lines, true, "kafka");
            assertSurvived(stderr, exit, 143);
        }
        assertThat(JsonLinesSink.linesCounted(out)).isEqualTo(lines);
        assertThat(Oracle.readJson(out.resolve(JsonLinesSink.TOTALS))).isEqualTo(expected);
    }
}
