package io.stormwatch.bench;

import io.stormwatch.core.gen.TextGenerator;
import io.stormwatch.core.text.Tokenizer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Lines per second of splitting text into words (one operation is one line), on generated text
 * ({@code generate --text}: ~8 words a line, mostly ASCII, some German, Greek, Cyrillic, CJK, Arabic and emoji):
 * <ul>
 *   <li>{@code tokenizer}: {@link Tokenizer}, what word-count runs;</li>
 *   <li>{@code regexUnicode}: the closest regular expression — split on runs of what is not a letter, digit,
 *       mark, apostrophe or hyphen ({@code [^\p{L}\p{N}\p{M}'-]+}), then {@code toLowerCase(Locale.ROOT)} per
 *       word (no NFC, no joiner rules, no CJK split: less than the tokenizer does);</li>
 *   <li>{@code sparkSplit}: NetworkWordCount's {@code line.split(" ")}, no case folding, punctuation kept: the
 *       floor of what splitting can cost.</li>
 * </ul>
 * Run with {@code bin/bench TokenizerBenchmark} (JMH, wall time), or {@code bin/bench-topology tokenizer}
 * ({@link #main}: thread CPU time per line, the variants interleaved round by round, with the load average —
 * what to read on a shared machine, where wall-time scores swing with the other processes).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenizerBenchmark {

    static final int LINES = 100_000;
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}\\p{M}'-]+");

    private String[] lines;
    private Tokenizer tokenizer;

    @Setup
    public void setUp() {
        TextGenerator generator = new TextGenerator(new TextGenerator.Options(LINES, 42));
        lines = new String[LINES];
        for (int i = 0; i < LINES; i++) {
            lines[i] = generator.nextLine();
        }
        tokenizer = new Tokenizer();
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void tokenizer(Blackhole hole) {
        for (String line : lines) {
            tokenizer.tokenize(line, hole::consume);
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void regexUnicode(Blackhole hole) {
        for (String line : lines) {
            for (String word : NOT_WORD.split(line)) {
                if (!word.isEmpty()) {
                    hole.consume(word.toLowerCase(Locale.ROOT));
                }
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public void sparkSplit(Blackhole hole) {
        for (String line : lines) {
            for (String word : line.split(" ")) {
                hole.consume(word);
            }
        }
    }

    /** Thread CPU time per line of each variant, best and median of {@code --rounds} interleaved rounds. */
    public static void main(String[] args) {
        int rounds = args.length == 2 && args[0].equals("--rounds") ? Integer.parseInt(args[1]) : 15;
        TokenizerBenchmark bench = new TokenizerBenchmark();
        bench.setUp();
        Blackhole hole = new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        Map<String, Consumer<Blackhole>> variants = new LinkedHashMap<>();
        variants.put("Tokenizer (word-count)", bench::tokenizer);
        variants.put("Tokenizer into String[] (the extractor)", bench::tokenizerToArray);
        variants.put("regex [^\\p{L}\\p{N}\\p{M}'-]+ split + toLowerCase", bench::regexUnicode);
        variants.put("split(\" \") (Spark's NetworkWordCount)", bench::sparkSplit);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, long[]> nanos = new LinkedHashMap<>();
        variants.keySet().forEach(k -> nanos.put(k, new long[rounds]));
        System.out.printf(Locale.ROOT, "== tokenizer: CPU ns per line, %,d generated lines of text, %d rounds (3 warm-up)%n",
                LINES, rounds);
        System.out.println(Bench.machine());
        for (int round = -3; round < rounds; round++) {
            for (Map.Entry<String, Consumer<Blackhole>> v : variants.entrySet()) {
                long start = threads.getCurrentThreadCpuTime();
                v.getValue().accept(hole);
                long spent = threads.getCurrentThreadCpuTime() - start;
                if (round >= 0) {
                    nanos.get(v.getKey())[round] = spent;
                }
            }
        }
        double base = best(nanos.get("Tokenizer (word-count)"));
        Bench.Table table = new Bench.Table("variant", "best ns/line", "median ns/line", "lines/s of CPU (best)", "× Tokenizer");
        nanos.forEach((k, n) -> table.row(k, String.format(Locale.ROOT, "%.0f", best(n)),
                String.format(Locale.ROOT, "%.0f", Bench.median(Arrays.stream(n).mapToDouble(x -> (double) x / LINES).toArray())),
                Bench.count(1e9 / best(n)), Bench.ratio(best(n) / base)));
        table.print(System.out);
        System.out.println(Bench.machineAfter());
    }

    private static double best(long[] nanos) {
        return (double) Arrays.stream(nanos).min().orElseThrow() / LINES;
    }

    /** The words of every line through the tokenizer into a list: what the extractor allocates besides. */
    @Benchmark
    @OperationsPerInvocation(LINES)
    public void tokenizerToArray(Blackhole hole) {
        List<String> words = new ArrayList<>();
        for (String line : lines) {
            words.clear();
            tokenizer.tokenize(line, words::add);
            hole.consume(words.toArray(new String[0]));
        }
    }
}
