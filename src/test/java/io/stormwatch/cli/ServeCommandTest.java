package io.stormwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ServeCommandTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int execute(String... args) {
        return new CommandLine(new StormwatchCli()).setErr(new PrintWriter(err, true)).execute(args);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Test
    void sendsTheFilesToAClientAndExitsWhenItHasEverything() throws Exception {
        Path log = Files.writeString(dir.resolve("access.log"), "first line\nsecond line\nthird line\n");
        int port = freePort();
        CompletableFuture<Integer> serve = CompletableFuture.supplyAsync(
                () -> execute("serve", "--port", Integer.toString(port), "--rate", "1000", log.toString()));

        AtomicReference<Socket> client = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> client.compareAndSet(null, new Socket(InetAddress.getLoopbackAddress(), port)));
        try (Socket socket = client.get()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.lines().toList()).containsExactly("first line", "second line", "third line");
        }

        assertThat(serve.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(err.toString())
                .contains("serving 1 file(s) on 127.0.0.1:" + port + " at 1,000 lines/s per client")
                .contains("received everything after 3 lines")
                .contains("done; 3 lines sent");
    }

    @Test
    void refusesAFileItCannotRead() {
        int code = execute("serve", "--port", "0", dir.resolve("missing.log").toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read " + dir.resolve("missing.log"));
    }

    @Test
    void needsAPortAndAFile() {
        assertThat(execute("serve", "--port", "0")).isEqualTo(2);
        assertThat(execute("serve", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter: 'FILE'", "Missing required option: '--port");
    }
}
