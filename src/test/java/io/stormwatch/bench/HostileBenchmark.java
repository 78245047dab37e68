package io.stormwatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.gen.HostileLines;
import io.stormwatch.core.gen.HostileLines.Flavor;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Jobs;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.testing.KafkaServer;
import io.stormwatch.testing.Oracle;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code bin/bench-topology hostile}: a million {@link HostileLines} (random bytes, invalid UTF-8, NULs, over-length
 * lines, five 10 MB lines without a newline — the input ends inside the last —, truncated and glued records,
 * stray CRs; invalid JSON for the tweets) through each source of {@code bin/stormwatch local}, run as a process with
 * a bounded heap ({@code --heap}, default {@code -Xmx256m}): the spool (log-analytics, ends by itself), a raw
 * socket (log-analytics, stopped with SIGINT once every line is counted) and Kafka (hashtags, the JSON job; records
 * put in by {@code stormwatch produce}, then stopped the same way). Per source: whether the process survived (exit
 * 0 or 130, no halted worker), {@code records + rejected} against the lines sent, the totals against the batch
 * oracle over the same bytes, wall time and lines/s (start-up included), peak RSS and peak heap (GC log).
 *
 * <p>Options: {@code --lines N} (1,000,000), {@code --only spool,socket,kafka}, {@code --heap -XmxN},
 * {@code --seed S}. Inputs are kept in {@code target/bench/}.
 */
final class HostileBenchmark {

    private HostileBenchmark() {}

    public static void main(String[] args) {
        Bench.runAndExit(() -> benchmark(args));
    }

    private static void benchmark(String[] args) throws Exception {
        long lines = 1_000_000;
        long seed = 42;
        String heap = "-Xmx256m";
        Set<String> only = Set.of("spool", "socket", "kafka");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lines" -> lines = Long.parseLong(args[++i].replace("_", ""));
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--heap" -> heap = args[++i];
                case "--only" -> only = Set.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (--lines N, --seed S, --heap -XmxN, --only spool,socket,kafka)");
            }
        }
        System.out.println(Bench.machine());
        Path access = input(lines, seed, Flavor.ACCESS_LOG);
        Path tweets = only.contains("kafka") ? input(lines, seed, Flavor.TWEETS) : null;
        Bench.Table table = new Bench.Table("source", "job", "lines sent", "records", "rejected", "sum = sent",
                "totals = batch", "exit", "wall", "lines/s", "peak RSS", "peak heap");
        Path work = Bench.WORK.resolve("hostile-runs").toAbsolutePath();
        Bench.deleteTree(work);
        Files.createDirectories(work);
        if (only.contains("spool")) {
            Path spool = Files.createDirectories(work.resolve("spool"));
            Files.copy(access, spool.resolve("hostile.log.tmp"));
            Files.move(spool.resolve("hostile.log.tmp"), spool.resolve("hostile.log"));
            row(table, "spool", "log-analytics", "spool:" + spool, access, lines, work.resolve("out-spool"), heap, false);
        }
        if (only.contains("socket")) {
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Thread sender = new Thread(() -> {
                    try (Socket client = server.accept(); OutputStream to = client.getOutputStream();
                            InputStream from = Files.newInputStream(access)) {
                        from.transferTo(to);
                    } catch (IOException e) {
                        System.out.println("hostile sender: " + e);
                    }
                }, "hostile-sender");
                sender.setDaemon(true);
                sender.start();
                row(table, "socket (raw bytes)", "log-analytics", "socket:127.0.0.1:" + server.getLocalPort(), access, lines,
                        work.resolve("out-socket"), heap, true);
            }
        }
        if (only.contains("kafka")) {
            try (KafkaServer kafka = KafkaServer.start()) {
                long start = System.nanoTime();
                kafka.produce("hostile", 2, tweets);
                System.out.printf(Locale.ROOT, "produce: %,d lines into Kafka in %.1f s%n", lines, (System.nanoTime() - start) / 1e9);
                row(table, "kafka (produce)", "hashtags", "kafka:" + kafka.bootstrap() + "/hostile", tweets, lines,
                        work.resolve("out-kafka"), heap, true);
            }
        }
        System.out.println();
        System.out.println("hostile input, " + String.format(Locale.ROOT, "%,d", lines) + " lines per source, local with " + heap);
        table.print(System.out);
    }

    private static Path input(long lines, long seed, Flavor flavor) throws IOException {
        HostileLines.Options options = new HostileLines.Options(lines, seed, flavor);
        String name = "hostile-" + flavor.name().toLowerCase(Locale.ROOT) + "-" + lines + "-" + seed + ".txt";
        return Bench.kept(name, lines, out -> System.out.println("written: " + new HostileLines(options).writeTo(out)));
    }

    private static void row(Bench.Table table, String source, String job, String spec, Path input, long lines, Path out,
            String heap, boolean endless) throws Exception {
        long batchStart = System.nanoTime();
        Job<?> oracleJob = Jobs.fromConfig(job, Map.of());
        JsonNode expected = Oracle.asRead(json(oracleJob, new Batch<>(oracleJob, AccessLogParser.DEFAULT_MAX_LINE_LENGTH)
                .run(List.of(input), Batch.DeadLetterSink.DISCARD, bytes -> {})));
        System.out.printf(Locale.ROOT, "%s: batch oracle in %.1f s%n", source, (System.nanoTime() - batchStart) / 1e9);
        // An endless source is stopped by SIGINT (a graceful stop: final totals written, exit 130) once every line is
        // counted; the launcher execs java, so the pid is the JVM's.
        StormwatchProcess.Probe stopWhenCounted = pid -> {
            if (endless && JsonLinesSink.linesCounted(out) >= lines) {
                new ProcessBuilder("kill", "-INT", String.valueOf(pid)).start().waitFor();
            }
        };
        StormwatchProcess.Run run = StormwatchProcess.run("hostile-" + source.split(" ")[0],
                List.of("local", job, "--source", spec, "--output", "jsonl:" + out), List.of(heap), Map.of(), false,
                Duration.ofMinutes(30), stopWhenCounted);
        JsonNode totals = Files.exists(out.resolve(JsonLinesSink.TOTALS)) ? Oracle.readJson(out.resolve(JsonLinesSink.TOTALS)) : null;
        long records = totals == null ? -1 : totals.path("records").asLong();
        long rejected = totals == null ? -1 : totals.path("rejected").asLong();
        String stderr = Files.readString(run.stderr());
        boolean died = stderr.contains("Halting process") || stderr.contains("OutOfMemoryError");
        table.row(source, job, String.format(Locale.ROOT, "%,d", lines), String.format(Locale.ROOT, "%,d", records),
                String.format(Locale.ROOT, "%,d", rejected), records + rejected == lines ? "yes" : "NO",
                expected.equals(totals) ? "yes" : "NO", run.exit() + (died ? " (worker died)" : ""),
                String.format(Locale.ROOT, "%.1f s", run.seconds()), Bench.count(lines / run.seconds()),
                Bench.mb(run.peakRssBytes()), Bench.mb(run.heap().peakUsedBytes()));
        System.out.printf(Locale.ROOT, "%s: exit %d in %.1f s, %s; stderr in %s%n", source, run.exit(), run.seconds(),
                run.cpuSummary(), run.stderr());
        if (!expected.equals(totals)) {
            System.out.println("  batch:  " + expected);
            System.out.println("  stream: " + totals);
        }
    }

    private static JsonNode json(Job<?> job, Tally tally) {
        return job.views().json(tally);
    }
}
