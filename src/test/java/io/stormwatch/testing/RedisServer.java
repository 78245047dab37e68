package io.stormwatch.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
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
 * {@link #startTls} serves TLS only, with a throwaway self-signed certificate for {@code 127.0.0.1} (made
 * with {@code openssl} in the server's directory); clients must trust it: {@link #trustStore()} is a PKCS12
 * trust store holding it, {@link #client()} trusts it by itself.
 *
 * Needs {@code redis-server} on the PATH (Debian: {@code apt-get install -y redis-server}), and for TLS
 * {@code openssl} and a redis-server built with TLS (Debian's is).
 */
public final class RedisServer implements AutoCloseable {

    /** Password of {@link #trustStore()}; it protects nothing secret. */
    public static final String TRUST_STORE_PASSWORD = "changeit";

    private volatile Process process;
    private final List<String> command;
    private final int port;
    private final Path dir;
    private final String password;
    private final SSLSocketFactory tls;

    private RedisServer(Process process, List<String> command, int port, Path dir, String password, SSLSocketFactory tls) {
        this.process = process;
        this.command = command;
        this.port = port;
        this.dir = dir;
        this.password = password;
        this.tls = tls;
    }

    /** Starts a server without a password. */
    public static RedisServer start() throws IOException {
        return start(null);
    }

    /** Starts a server that requires {@code password} (none when null). */
    public static RedisServer start(String password) throws IOException {
        Path dir = Files.createTempDirectory("redis-test");
        int port = freePort();
        return start(dir, port, password, List.of("--port", Integer.toString(port)), null);
    }

    /**
     * Starts a server without a password that persists every write (append-only file, fsync always), so that
     * {@link #restart()} finds its data again, as a production Redis with persistence on does.
     */
    public static RedisServer startPersistent() throws IOException {
        Path dir = Files.createTempDirectory("redis-test");
        int port = freePort();
        return start(dir, port, null, List.of("--port", Integer.toString(port), "--appendonly", "yes",
                "--appendfsync", "always"), null);
    }

    /**
     * Starts a server that speaks TLS only (no plain-text port), requires {@code password} (none when null)
     * and does not ask clients for certificates.
     */
    public static RedisServer startTls(String password) throws IOException {
        Path dir = Files.createTempDirectory("redis-test");
        int port = freePort();
        Path cert = dir.resolve("redis.crt");
        Path key = dir.resolve("redis.key");
        SSLSocketFactory trusting;
        try {
            selfSignedCertificate(dir, cert, key);
            KeyStore trust = trustStoreWith(cert);
            try (OutputStream out = Files.newOutputStream(dir.resolve("trust.p12"))) {
                trust.store(out, TRUST_STORE_PASSWORD.toCharArray());
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            trusting = context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            delete(dir);
            throw new IOException("cannot make the test certificate's trust store", e);
        } catch (IOException | RuntimeException e) {
            delete(dir);
            throw e;
        }
        return start(dir, port, password, List.of("--port", "0", "--tls-port", Integer.toString(port),
                "--tls-cert-file", cert.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", cert.toString(), "--tls-auth-clients", "no"), trusting);
    }

    private static RedisServer start(Path dir, int port, String password, List<String> listen, SSLSocketFactory tls)
            throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-server"));
        command.addAll(List.of("--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString()));
        command.addAll(listen); // after the defaults: a later option wins
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        RedisServer server = new RedisServer(launch(command, dir), List.copyOf(command), port, dir, password, tls);
        try {
            server.awaitReady();
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private static Process launch(List<String> command, Path dir) throws IOException {
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()))
                .start();
    }

    /** Waits until the server answers PING (10 s at most); fails at once if it exited. */
    private void awaitReady() {
        Process launched = process;
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .ignoreExceptions()
                .until(() -> {
                    if (!launched.isAlive()) {
                        throw new IllegalStateException("redis-server exited: " + Files.readString(dir.resolve("redis.log")));
                    }
                    try (Jedis jedis = client()) {
                        return "PONG".equals(jedis.ping());
                    }
                });
    }

    /** Stops the server as an operator does (SIGTERM: Redis writes its append-only file and exits); data stays. */
    public void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    /** Starts the stopped server again: same port, same directory, same options (so its data, when persistent). */
    public void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("redis-server is still running");
        }
        process = launch(command, dir);
        awaitReady();
    }

    /** A throwaway EC key and a self-signed certificate for 127.0.0.1, valid for a day. */
    private static void selfSignedCertificate(Path dir, Path cert, Path key) throws IOException {
        Path log = dir.resolve("openssl.log");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec",
                "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=stormwatch test redis", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!openssl.waitFor(30, TimeUnit.SECONDS) || openssl.exitValue() != 0) {
                openssl.destroyForcibly();
                throw new IOException("openssl could not make a test certificate: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            openssl.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making a test certificate", e);
        }
    }

    private static KeyStore trustStoreWith(Path cert) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("redis", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        return trust;
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

    /**
     * The PKCS12 trust store (password {@value #TRUST_STORE_PASSWORD}) that holds this server's certificate.
     *
     * @throws IllegalStateException for a server without TLS
     */
    public Path trustStore() {
        if (tls == null) {
            throw new IllegalStateException("this redis-server does not use TLS");
        }
        return dir.resolve("trust.p12");
    }

    /** A client connected to this server (with TLS if it uses TLS), for assertions; the caller closes it. */
    public Jedis client() {
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder();
        if (tls != null) {
            config.ssl(true).sslSocketFactory(tls);
        }
        if (password != null) {
            config.password(password);
        }
        return new Jedis(new HostAndPort(host(), port), config.build());
    }

    /**
     * Freezes the server (SIGSTOP), as a stalled or partitioned Redis looks to clients: connections stay open and
     * nothing answers, so they time out. {@link #resume()} lets it go on.
     */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
    }

    public void resume() throws IOException, InterruptedException {
        signal("CONT");
    }

    private void signal(String name) throws IOException, InterruptedException {
        int exit = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " exited with " + exit);
        }
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
        delete(dir);
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary directory is harmless.
        }
    }

    /**
     * Makes this JVM trust this server's certificate through the standard {@code javax.net.ssl.trustStore*}
     * properties (read once, at the JVM's first TLS connection: set it before any, in a class of its own);
     * {@link SystemTrust#close()} puts the properties back.
     */
    public SystemTrust trustInThisJvm() {
        return new SystemTrust(Map.of("javax.net.ssl.trustStore", trustStore().toString(),
                "javax.net.ssl.trustStorePassword", TRUST_STORE_PASSWORD, "javax.net.ssl.trustStoreType", "PKCS12"));
    }

    /** System properties set for a while, then restored. */
    public static final class SystemTrust implements AutoCloseable {

        private final Map<String, String> saved = new HashMap<>();

        private SystemTrust(Map<String, String> properties) {
            properties.forEach((name, value) -> {
                saved.put(name, System.getProperty(name));
                System.setProperty(name, value);
            });
        }

        @Override
        public void close() {
            saved.forEach((name, value) -> {
                if (value == null) {
                    System.clearProperty(name);
                } else {
                    System.setProperty(name, value);
                }
            });
        }
    }
}
