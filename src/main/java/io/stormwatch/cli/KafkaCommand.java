package io.stormwatch.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stormwatch kafka up|down|status}: a single-node Kafka broker on 127.0.0.1 for users who have none
 * ({@link LocalKafka}). {@code up} prints the bootstrap address on stdout (and nothing else), so
 * {@code B=$(bin/stormwatch kafka up)} works.
 */
@Command(
        name = "kafka",
        mixinStandardHelpOptions = true,
        description = {
            "Start, stop or show a local single-node Kafka broker (KRaft) on 127.0.0.1, for trying the Kafka source.",
            "The broker runs in a JVM of its own, in the background, until `kafka down`; its data and log"
                    + " (broker.log) stay in --dir.",
            "Then: stormwatch produce --bootstrap 127.0.0.1:PORT --topic access FILE...; stormwatch local"
                    + " log-analytics --source kafka:127.0.0.1:PORT/access"
        },
        subcommands = {KafkaCommand.Up.class, KafkaCommand.Down.class, KafkaCommand.Status.class})
final class KafkaCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** Where the broker lives unless --dir says otherwise: stable across runs, outside the project's target/. */
    static Path defaultDir() {
        String tmp = System.getenv().getOrDefault("TMPDIR", "/tmp");
        return Path.of(tmp, "stormwatch-kafka-" + System.getProperty("user.name", "user"));
    }

    static class DirOption {
        @Option(names = "--dir", paramLabel = "DIR",
                description = "The broker's directory: config, data, broker.log (default: $TMPDIR/stormwatch-kafka-$USER).")
        Path dir;

        Path dir() {
            return dir != null ? dir : defaultDir();
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Start the broker and print its bootstrap address (127.0.0.1:PORT). Refuses when it runs already.")
    static final class Up implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DirOption dir;

        @Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
                description = "Client port on 127.0.0.1 (default: a free one).")
        int port;

        @Override
        public Integer call() throws IOException, InterruptedException {
            PrintWriter err = spec.commandLine().getErr();
            try {
                err.printf("stormwatch kafka: starting a broker in %s ...%n", dir.dir());
                err.flush();
                LocalKafka.Broker broker = LocalKafka.up(dir.dir(), port, LocalKafka.projectRoot());
                err.printf("stormwatch kafka: broker up at %s (pid %d; log %s); stop it with `stormwatch kafka down`%n",
                        broker.bootstrap(), broker.pid(), dir.dir().resolve("broker.log"));
                err.flush();
                spec.commandLine().getOut().println(broker.bootstrap());
                spec.commandLine().getOut().flush();
                return 0;
            } catch (IllegalStateException e) {
                err.println("stormwatch kafka: " + e.getMessage());
                err.flush();
                return 1;
            }
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the broker (its data and log stay).")
    static final class Down implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DirOption dir;

        @Override
        public Integer call() throws IOException, InterruptedException {
            Optional<LocalKafka.Broker> stopped = LocalKafka.down(dir.dir());
            PrintWriter err = spec.commandLine().getErr();
            err.println(stopped.map(b -> "stormwatch kafka: broker at " + b.bootstrap() + " (pid " + b.pid() + ") stopped")
                    .orElse("stormwatch kafka: no broker runs in " + dir.dir()));
            err.flush();
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Print the bootstrap address of the running broker; exit 1 when none runs.")
    static final class Status implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.Mixin
        DirOption dir;

        @Override
        public Integer call() throws IOException {
            Optional<LocalKafka.Broker> broker = LocalKafka.status(dir.dir());
            if (broker.isEmpty()) {
                spec.commandLine().getErr().println("stormwatch kafka: no broker runs in " + dir.dir());
                spec.commandLine().getErr().flush();
                return 1;
            }
            spec.commandLine().getOut().println(broker.get().bootstrap());
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().printf("stormwatch kafka: running (pid %d, dir %s)%n", broker.get().pid(), dir.dir());
            spec.commandLine().getErr().flush();
            return 0;
        }
    }
}
