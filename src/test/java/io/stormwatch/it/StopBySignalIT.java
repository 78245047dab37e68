package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.testing.CliProcess;
import io.stormwatch.testing.Oracle;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/stormwatch local} on an endless source (a socket that stays open) stopped by a signal, as a user's
 * Ctrl-C or a scheduler's SIGTERM stops it: the lines received are all counted, the final windows and totals
 * are written, the output says it is incomplete (the source did not end), and the exit code is 128 + the
 * signal's number, with one line saying how many lines were received and counted.
 */
class StopBySignalIT {

    private static final int LINES = 3_000;

    @TempDir
    Path tmp;

    @Test
    void sigtermAfterLinesArrivedWritesFinalResultsAndExits143() throws Exception {
        stopWith("TERM", 143);
    }

    @Test
    void sigintAsCtrlCSendsItWritesFinalResultsAndExits130() throws Exception {
        Assumptions.assumeFalse(sigintIgnored(), "this JVM was started with SIGINT ignored (a background job of a"
                + " non-interactive shell), so its children ignore it too and cannot be stopped with it");
        stopWith("INT", 130);
    }

    private void stopWith(String signal, int expectedExit) throws Exception {
        Path log = Oracle.generate(tmp.resolve("access.log"), LINES, 48, 0.02);
        Path out = tmp.resolve("out");
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CountDownLatch sent = new CountDownLatch(1);
            Thread feeder = new Thread(() -> serveThenHold(server, log, sent), "feeder");
            feeder.setDaemon(true);
            feeder.start();
            Path stderr = tmp.resolve("stderr.txt");
            Process local = new ProcessBuilder(CliProcess.LAUNCHER.toString(), "local",
                    "log-analytics", "--source", "socket:127.0.0.1:" + server.getLocalPort(), "--output", "jsonl:" + out)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
            try {
                assertThat(sent.await(3, TimeUnit.MINUTES)).as("the run connected and took the lines").isTrue();
                // Running totals are rendered every second: once they count every line, all were received.
                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                        .until(() -> JsonLinesSink.linesCounted(out) == LINES);

                new ProcessBuilder("kill", "-" + signal, Long.toString(local.pid())).start().waitFor();

                assertThat(local.waitFor(2, TimeUnit.MINUTES)).as("the run stops").isTrue();
            } finally {
                local.destroyForcibly();
            }
            List<String> own = Files.readAllLines(stderr).stream().filter(l -> l.startsWith("stormwatch local:")).toList();
            assertThat(local.exitValue()).as(Files.readString(stderr)).isEqualTo(expectedExit);
            assertThat(own).last().asString().isEqualTo(String.format("stormwatch local: stopped by SIG%s: "
                    + "socket:127.0.0.1:%d: stopped before the end of its input, after %,d lines; %,d lines counted; "
                    + "final windows and totals written in %s", signal, server.getLocalPort(), LINES, LINES, out.toAbsolutePath()));
            assertThat(out.resolve(JsonLinesSink.SUCCESS)).as("a stopped source is not a complete input").doesNotExist();
            assertThat(out.resolve(JsonLinesSink.INCOMPLETE)).exists();
            JsonNode totals = Oracle.readJson(out.resolve(JsonLinesSink.TOTALS));
            assertThat(totals).as("the final totals count every line received").isEqualTo(Oracle.totals(log));
            assertThat(Oracle.readJsonLines(out.resolve(JsonLinesSink.WINDOWS)))
                    .as("the final watermark closed the last windows").isNotEmpty()
                    .last().satisfies(w -> assertThat(w.get("records").asLong()).isPositive());
        }
    }

    /** Sends every line of {@code log} to the first client, then keeps the connection open: an endless source. */
    private static void serveThenHold(ServerSocket server, Path log, CountDownLatch sent) {
        try (Socket client = server.accept(); OutputStream to = client.getOutputStream()) {
            Files.copy(log, to);
            to.flush();
            sent.countDown();
            // Hold the connection until the run closes it.
            client.getInputStream().read();
        } catch (IOException e) {
            // The run went away: nothing more to serve.
        }
    }


    private static boolean sigintIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring("SigIgn:".length()).trim(), 16) & 0x2) != 0;
            }
        }
        return false;
    }
}
