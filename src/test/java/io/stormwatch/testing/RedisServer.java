package io.stormwatch.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.Jedis;

/**
 * A real {@code redis-server} for tests, on a free port, without persistence, in its own temporary
 * directory. Start it in {@code @BeforeAll}, {@link #close()} it in {@code @AfterAll}: the process is
 * stopped by its own handle, never by name.
 *
 * <pre>
 * static RedisServer redis;
 * &#64;BeforeAll static void start() throws IOException { redis = RedisServer.start(); }
 * &#64;AfterAll static void stop() { redis.close(); }
 * </pre>
 *
 * Needs {@code redis-server} on the PATH (Debian: {@code apt-get install -y redis-server}).
 */
public final class RedisServer implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path dir;
    private final String password;

    private RedisServer(Process process, int port, Path dir, String password) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.password = password;
    }

    /** Starts a server without a password. */
    public static RedisServer start() throws IOException {
        return start(null);
    }

    /** Starts a server that requires {@code password} (none when null). */
    public static RedisServer start(String password) throws IOException {
        int port = freePort();
        Path dir = Files.createTempDirectory("redis-test");
        List<String> command = new ArrayList<>(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        RedisServer server = new RedisServer(process, port, dir, password);
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .ignoreExceptions()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
                        }
                        try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                            if (password != null) {
                                jedis.auth(password);
                            }
                            return "PONG".equals(jedis.ping());
                        }
                    });
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** A client connected to this server, for assertions; the caller closes it. */
    public Jedis client() {
        Jedis jedis = new Jedis(host(), port);
        if (password != null) {
            jedis.auth(password);
        }
        return jedis;
    }

    /** Stops the server (by its process handle) and deletes its directory. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }
}
