package io.stormwatch.bench;

import io.stormwatch.core.io.BlockBounds;
import io.stormwatch.core.io.FileList;
import io.stormwatch.core.io.Inputs;
import io.stormwatch.core.io.LineBlock;
import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.io.ReliableFileReader;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.storm.spout.ReliableFileSpout;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cost of reading a log file into blocks of lines, without Storm and without parsing, one thread, in ns
 * per line (CPU time of the reading thread; the user part of it, in 10 ms ticks, the rest being mostly the
 * kernel copying from the page cache; wall time):
 * <ul>
 *   <li>{@code batch}: what {@code Batch} does: {@link LineReader} over {@link Inputs#open(java.io.InputStream)},
 *       lines gathered into arrays of 1,024;</li>
 *   <li>{@code reliable}: what {@link io.stormwatch.storm.spout.FileSpout} does per {@code nextTuple}:
 *       {@link ReliableFileReader#next()} over a {@link FileList} with the spout's defaults (blocks of
 *       1,024 lines or 1 MiB, {@value ReliableFileSpout#DEFAULT_MAX_IN_FLIGHT} lines in flight), each block
 *       acked at once;</li>
 *   <li>{@code reliable-lag}: the same, acks coming {@value #ACK_LAG_LINES} lines behind, as in a topology
 *       whose totals bolt acks only once a checkpoint covers a block: the lines stay reachable for replay,
 *       which the garbage collector pays for.</li>
 * </ul>
 * Every way must see the same lines with the same offsets (checked by a checksum). Rounds alternate the ways
 * after warm-up rounds, so a change in the machine's load hits all of them; min, median and max per way and
 * the ratio of medians to {@code batch} are printed, with the GC time of the process.
 *
 * <pre>
 * bin/bench-topology read [FILE] [--rounds N] [--warmup N] [--only batch,reliable,reliable-lag]
 * </pre>
 * Without FILE, a 1 M-line Combined log is generated under {@code target/bench}.
 */
public final class ReadPathBenchmark {

    static final int ACK_LAG_LINES = 200_000;
    private static final int BLOCK_LINES = 1024;

    private ReadPathBenchmark() {}

    /** One way to read the file; returns a checksum of the lines, offsets and line count. */
    private interface Way {
        Result read(Path file) throws IOException;
    }

    private record Result(long lines, long checksum) {}

    public static void main(String[] args) {
        Bench.runAndExit(() -> benchmark(args));
    }

    private static void benchmark(String[] args) throws Exception {
        Path file = null;
        int rounds = 7;
        int warmup = 2;
        List<String> only = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                default -> {
                    if (args[i].startsWith("-")) {
                        throw new IllegalArgumentException("usage: [FILE] [--rounds N] [--warmup N] [--only WAY,...]");
                    }
                    file = Path.of(args[i]);
                }
            }
        }
        if (file == null) {
            file = Bench.combinedLog(1_000_000, 42);
        }
        System.out.println("== read path: " + file + ", " + (Files.size(file) >> 20) + " MB");
        System.out.println(Bench.machine());

        Map<String, Way> ways = new LinkedHashMap<>();
        ways.put("batch", ReadPathBenchmark::batch);
        ways.put("reliable", f -> reliable(f, 0));
        ways.put("reliable-lag", f -> reliable(f, ACK_LAG_LINES));
        if (only != null) {
            ways.keySet().retainAll(only);
        }

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, List<double[]>> samples = new LinkedHashMap<>();
        Result expected = null;
        for (int round = 0; round < warmup + rounds; round++) {
            boolean measured = round >= warmup;
            StringBuilder row = new StringBuilder(measured ? "round " + (round - warmup + 1) : "warm-up " + (round + 1));
            for (Map.Entry<String, Way> way : ways.entrySet()) {
                long gcBefore = Bench.gcMillis();
                long cpuBefore = threads.getCurrentThreadCpuTime();
                long userBefore = threads.getCurrentThreadUserTime();
                long wallBefore = System.nanoTime();
                Result result = way.getValue().read(file);
                double wall = System.nanoTime() - wallBefore;
                double cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
                double user = threads.getCurrentThreadUserTime() - userBefore;
                long gc = Bench.gcMillis() - gcBefore;
                if (expected == null) {
                    expected = result;
                } else if (!expected.equals(result)) {
                    throw new IllegalStateException(way.getKey() + " read " + result + ", expected " + expected);
                }
                double lines = result.lines();
                row.append(String.format(Locale.ROOT, "  %s %.0f cpu / %.0f wall ns/line, gc %d ms;", way.getKey(),
                        cpu / lines, wall / lines, gc));
                if (measured) {
                    samples.computeIfAbsent(way.getKey(), k -> new ArrayList<>())
                            .add(new double[] {cpu / lines, wall / lines, gc, user / lines});
                }
            }
            System.out.println(row);
        }

        System.out.printf(Locale.ROOT, "%n%,d lines per read; ns/line as min / median / max over %d rounds%n",
                expected.lines(), rounds);
        double batchCpu = samples.containsKey("batch") ? median(samples.get("batch"), 0) : Double.NaN;
        Bench.Table table = new Bench.Table("way", "cpu ns/line", "of which user", "wall ns/line", "gc ms (median)",
                "cpu vs batch");
        for (Map.Entry<String, List<double[]>> way : samples.entrySet()) {
            List<double[]> s = way.getValue();
            table.row(way.getKey(), spread(s, 0), spread(s, 3), spread(s, 1),
                    String.format(Locale.ROOT, "%.0f", median(s, 2)),
                    Double.isNaN(batchCpu) ? "-" : Bench.ratio(median(s, 0) / batchCpu));
        }
        table.print(System.out);
    }

    private static String spread(List<double[]> samples, int column) {
        double[] values = samples.stream().mapToDouble(s -> s[column]).sorted().toArray();
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", values[0], Bench.median(values), values[values.length - 1]);
    }

    private static double median(List<double[]> samples, int column) {
        return Bench.median(samples.stream().mapToDouble(s -> s[column]).toArray());
    }

    /** As {@code Batch.run} reads: lines gathered into blocks of 1,024 with their offsets. */
    private static Result batch(Path file) throws IOException {
        long count = 0;
        long checksum = 0;
        List<String> lines = new ArrayList<>(BLOCK_LINES);
        long[] offsets = new long[BLOCK_LINES];
        try (LineReader reader = new LineReader(Inputs.open(Files.newInputStream(file)),
                AccessLogParser.DEFAULT_MAX_LINE_LENGTH)) {
            long next = 0;
            for (LineReader.Line line = reader.next(); ; line = reader.next()) {
                if (line != null) {
                    offsets[lines.size()] = line.offset();
                    lines.add(line.text());
                    next = line.end();
                }
                if (!lines.isEmpty() && (line == null || lines.size() == BLOCK_LINES)) {
                    String[] block = lines.toArray(new String[0]);
                    long[] blockOffsets = Arrays.copyOf(offsets, lines.size());
                    count += block.length;
                    checksum = checksum(checksum, block, blockOffsets, next);
                    lines.clear();
                }
                if (line == null) {
                    break;
                }
            }
        }
        return new Result(count, checksum);
    }

    /** As {@link ReliableFileSpout#nextTuple} reads, acking each block once {@code ackLag} newer lines were read. */
    private static Result reliable(Path file, int ackLag) {
        long count = 0;
        long checksum = 0;
        ArrayDeque<LineBlock> unacked = new ArrayDeque<>();
        int unackedLines = 0;
        try (ReliableFileReader reader = new ReliableFileReader(new FileList(List.of(file)),
                new ReliableFileReader.Settings(ReliableFileSpout.DEFAULT_MAX_IN_FLIGHT,
                        AccessLogParser.DEFAULT_MAX_LINE_LENGTH, BlockBounds.DEFAULT, 1_000),
                System.currentTimeMillis(), System::currentTimeMillis)) {
            while (!reader.drained()) {
                LineBlock block = reader.next();
                if (block != null) {
                    count += block.lineCount();
                    checksum = checksum(checksum, block.lines(), block.offsets(), block.nextOffset());
                    unacked.add(block);
                    unackedLines += block.lineCount();
                }
                while (!unacked.isEmpty() && (unackedLines > ackLag || block == null)) {
                    LineBlock acked = unacked.poll();
                    unackedLines -= acked.lineCount();
                    reader.ack(acked.source(), acked.offset());
                }
            }
        }
        return new Result(count, checksum);
    }

    private static long checksum(long checksum, String[] lines, long[] offsets, long nextOffset) {
        for (int i = 0; i < lines.length; i++) {
            checksum = checksum * 31 + lines[i].length() * 17L + offsets[i];
        }
        return checksum * 31 + nextOffset;
    }
}
