package io.stormwatch.cli;

import io.stormwatch.core.io.Inputs;
import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.io.Pacer;
import io.stormwatch.core.log.AccessLogParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stormwatch produce}: the Kafka twin of {@code serve}. Sends every line of the files to a topic, one
 * record per line (the line's bytes as read, bad bytes included, no key), optionally paced ({@link Pacer}, as
 * {@code serve} paces). Lines go to the partitions in turn (line {@code i} to partition {@code i mod P}), so every
 * partition gets its share and each partition keeps the files' order. A missing topic is created with
 * {@code --partitions} partitions (replication factor 1, for a local broker); an existing one is used as it is.
 * Progress goes to stderr once a second; the final line says how many lines were acknowledged by the broker.
 */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description = {
            "Send log lines to a Kafka topic, one record per line, optionally at a paced rate (the Kafka twin of serve).",
            "Lines go to the topic's partitions in turn. A missing topic is created with --partitions partitions.",
            "Then: stormwatch local log-analytics --source kafka:BOOTSTRAP/TOPIC"
        })
final class ProduceCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT[,...]",
            description = "Kafka bootstrap servers, e.g. the address `stormwatch kafka up` printed.")
    String bootstrap;

    @Option(names = "--topic", required = true, description = "Topic to send to.")
    String topic;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "R",
            description = "Lines per second; 0 sends as fast as the broker takes them (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--partitions", defaultValue = "1", paramLabel = "P",
            description = "Partitions of the topic when it has to be created (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Log files to send, in order (gzip decompressed).")
    List<Path> files;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (rate < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--rate must not be negative");
        }
        if (partitions < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--partitions must be at least 1");
        }
        for (Path file : files) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + file);
            }
        }
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("key.serializer", ByteArraySerializer.class.getName());
        props.put("value.serializer", ByteArraySerializer.class.getName());
        props.put("acks", "all");
        props.put("linger.ms", "5");
        props.put("max.block.ms", "15000");
        int topicPartitions;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap, "default.api.timeout.ms", 15_000,
                "request.timeout.ms", 15_000))) {
            topicPartitions = ensureTopic(admin, err);
        } catch (ExecutionException | org.apache.kafka.common.KafkaException e) {
            err.printf("stormwatch produce: cannot reach Kafka at %s or create topic '%s' (%s)%n", bootstrap, topic,
                    e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            err.flush();
            return 1;
        }
        AtomicReference<Exception> failure = new AtomicReference<>();
        long sent = 0;
        long started = System.nanoTime();
        long lastReport = started;
        java.util.concurrent.atomic.AtomicLong acked = new java.util.concurrent.atomic.AtomicLong();
        Pacer pacer = new Pacer(rate);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (Path file : files) {
                try (LineReader lines = new LineReader(Inputs.open(file), AccessLogParser.DEFAULT_MAX_LINE_LENGTH)) {
                    for (LineReader.Line line; (line = lines.next()) != null && failure.get() == null; ) {
                        if (pacer.nanosUntil(sent) > 0) {
                            producer.flush(); // what is due goes out now, not after linger.ms
                            pacer.await(sent, () -> false);
                        }
                        producer.send(new ProducerRecord<>(topic, (int) (sent % topicPartitions), null,
                                LineReader.encode(line.text())), (metadata, e) -> {
                                    if (e != null) {
                                        failure.compareAndSet(null, e);
                                    } else {
                                        acked.incrementAndGet();
                                    }
                                });
                        sent++;
                        long now = System.nanoTime();
                        if (now - lastReport >= TimeUnit.SECONDS.toNanos(1)) {
                            err.printf("[produce] %,d lines sent (%,.0f lines/s)%n", sent,
                                    sent / ((now - started) / 1e9));
                            err.flush();
                            lastReport = now;
                        }
                    }
                }
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        if (failure.get() != null) {
            err.printf("stormwatch produce: sending to '%s' failed after %,d lines acknowledged: %s%n", topic,
                    acked.get(), failure.get().getMessage());
            err.flush();
            return 1;
        }
        err.printf("stormwatch produce: %,d lines to '%s' (%d partition(s)) at %s in %.1f s (%,.0f lines/s)%n",
                acked.get(), topic, topicPartitions, bootstrap, seconds, acked.get() / Math.max(seconds, 1e-9));
        err.flush();
        return 0;
    }

    /** Creates the topic when missing; returns its partition count. */
    private int ensureTopic(Admin admin, PrintWriter err) throws ExecutionException, InterruptedException {
        Set<String> topics = admin.listTopics().names().get();
        if (!topics.contains(topic)) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
                err.printf("stormwatch produce: created topic '%s' with %d partition(s)%n", topic, partitions);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        int count = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        if (topics.contains(topic) && count != partitions && spec.commandLine().getParseResult().hasMatchedOption("--partitions")) {
            err.printf("stormwatch produce: topic '%s' exists with %d partition(s); --partitions %d ignored%n", topic,
                    count, partitions);
        }
        err.flush();
        return count;
    }
}
