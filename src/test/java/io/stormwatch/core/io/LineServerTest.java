package io.stormwatch.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineServerTest {

    @TempDir
    Path dir;

    private LineServer server;
    private final List<String> events = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private LineServer start(List<Path> files, double rate, boolean loop) throws IOException {
        server = new LineServer(InetAddress.getLoopbackAddress(), 0, files, rate, loop, new LineServer.Listener() {
            @Override
            public void connected(String client) {
                events.add("connected");
            }

            @Override
            public void finished(String client, long linesSent, boolean complete) {
                events.add((complete ? "complete " : "gone ") + linesSent);
            }
        });
        server.start();
        return server;
    }

    private Socket connect() throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), server.port());
    }

    private static List<String> readAll(Socket socket) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        return in.lines().toList();
    }

    private Path file(String name, int lines) throws IOException {
        return Files.writeString(dir.resolve(name),
                IntStream.range(0, lines).mapToObj(i -> name + " " + i).collect(Collectors.joining("\r\n", "", "\r\n")));
    }

    @Test
    void everyClientGetsTheWholeStreamFromTheStartAndTheServerIsThenDone() throws Exception {
        Path a = file("a", 3);
        Path b = file("b", 2);
        // Paced, so the first client cannot have everything (which closes the server) before the second connects.
        start(List.of(a, b), 50, false);
        List<String> expected = List.of("a 0", "a 1", "a 2", "b 0", "b 1");
        try (Socket first = connect(); Socket second = connect()) {
            assertThat(readAll(first)).isEqualTo(expected);
            assertThat(readAll(second)).isEqualTo(expected);
        }
        assertThat(server.awaitDone(10, TimeUnit.SECONDS)).isTrue();
        assertThat(events).containsExactlyInAnyOrder("connected", "connected", "complete 5", "complete 5");
        assertThat(server.totalLinesSent()).isEqualTo(10);
    }

    @Test
    void aClientThatLeavesEarlyDoesNotEndTheServer() throws Exception {
        start(List.of(file("a", 100_000)), 0, false);
        try (Socket leaving = connect()) {
            leaving.getInputStream().read();
        }
        try (Socket staying = connect()) {
            assertThat(readAll(staying)).hasSize(100_000);
        }
        assertThat(server.awaitDone(10, TimeUnit.SECONDS)).isTrue();
        assertThat(events).contains("complete 100000").anyMatch(e -> e.startsWith("gone "));
    }

    @Test
    void pacesLinesAtTheRate() throws Exception {
        start(List.of(file("a", 30)), 100, false);
        long started = System.nanoTime();
        try (Socket client = connect()) {
            assertThat(readAll(client)).hasSize(30);
        }
        // Line 29 is due 290 ms after the client connected.
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(280));
    }

    @Test
    void loopsOverTheFilesUntilTheClientLeaves() throws Exception {
        start(List.of(file("a", 2)), 0, true);
        try (Socket client = connect()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                lines.add(in.readLine());
            }
            assertThat(lines).containsExactly("a 0", "a 1", "a 0", "a 1", "a 0", "a 1", "a 0");
        }
        assertThat(server.awaitDone(100, TimeUnit.MILLISECONDS)).isFalse();
    }

    @Test
    void servesGzipFilesDecompressed() throws Exception {
        Path gz = dir.resolve("a.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("zipped 1\nzipped 2\n".getBytes(StandardCharsets.UTF_8));
        }
        start(List.of(gz), 0, false);
        try (Socket client = connect()) {
            assertThat(readAll(client)).containsExactly("zipped 1", "zipped 2");
        }
    }

    @Test
    void closeDropsConnectedClients() throws Exception {
        start(List.of(file("a", 1000)), 1, true);
        try (Socket client = connect()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("a 0");
            server.close();
            assertThat(in.readLine()).isNull();
        }
        assertThat(server.awaitDone(0, TimeUnit.SECONDS)).isTrue();
    }
}
