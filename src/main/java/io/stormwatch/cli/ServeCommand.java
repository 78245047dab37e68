package io.stormwatch.cli;

import io.stormwatch.core.io.LineServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stormwatch serve}: a {@link LineServer} on the command line, the tutorial's {@code stream.sh}
 * without netcat. Progress goes to stderr once a second per client (lines sent, rate over the last second);
 * Ctrl-C closes the connections and exits.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve log lines over TCP at a paced rate, like 'nc -lk' fed by a script.",
            "Every client that connects gets all lines of FILE... from the start (gzip files are decompressed).",
            "Without --loop, exits once a client has received everything; with --loop, sends the files over and"
                    + " over until Ctrl-C.",
            "Point `stormwatch local --source socket:HOST:PORT` (or Spark's socketTextStream) at it."
        })
final class ServeCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--port", required = true, description = "TCP port to listen on (0: any free port).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--rate", defaultValue = "100", paramLabel = "R",
            description = "Lines per second per client; 0 sends as fast as the client reads (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--loop", description = "Send the files over and over, and keep serving until Ctrl-C.")
    boolean loop;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Log files to send, in order.")
    List<Path> files;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (rate < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate must not be negative");
        }
        for (Path file : files) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + file);
            }
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "unknown host " + host);
        }

        LineServer server = new LineServer(address, port, files, rate, loop, new LineServer.Listener() {
            @Override
            public void connected(String client) {
                say(err, "client %s connected", client);
            }

            @Override
            public void finished(String client, long linesSent, boolean complete) {
                say(err, "client %s %s after %,d lines", client, complete ? "received everything" : "gone", linesSent);
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            err.printf("stormwatch serve: cannot listen on %s:%d (%s)%n", host, port, e.getMessage());
            err.flush();
            return 1;
        }
        Thread stopOnCtrlC = new Thread(() -> {
            server.close();
            say(err, "stopped; %,d lines sent", server.totalLinesSent());
        }, "stormwatch-serve-stop");
        Runtime.getRuntime().addShutdownHook(stopOnCtrlC);

        say(err, "serving %d file(s) on %s:%d at %s%s; Ctrl-C to stop", files.size(), host, server.port(),
                rate == 0 ? "full speed" : String.format("%,.0f lines/s per client", rate),
                loop ? ", looping" : "");
        Map<String, Long> lastSent = new HashMap<>();
        long lastNanos = System.nanoTime();
        while (!server.awaitDone(1, TimeUnit.SECONDS)) {
            long now = System.nanoTime();
            double seconds = (now - lastNanos) / 1e9;
            Map<String, Long> sent = server.linesSentByClient();
            sent.forEach((client, lines) -> say(err, "client %s: %,d lines sent (%,.1f lines/s)", client, lines,
                    (lines - lastSent.getOrDefault(client, 0L)) / seconds));
            lastSent.clear();
            lastSent.putAll(sent);
            lastNanos = now;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnCtrlC);
        } catch (IllegalStateException shuttingDown) {
            return 130;
        }
        server.close();
        say(err, "done; %,d lines sent", server.totalLinesSent());
        return 0;
    }

    private static void say(PrintWriter err, String format, Object... args) {
        synchronized (err) {
            err.printf("[serve] " + format + "%n", args);
            err.flush();
        }
    }
}
