package io.stormwatch.bench;

import io.stormwatch.core.gen.TextGenerator;
import io.stormwatch.core.text.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * Run with {@code bin/bench TokenizerBenchmark}.
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
