package io.stormwatch.core.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallySchema;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.core.window.PanePartial;
import io.stormwatch.core.window.WindowSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins down {@link BlockCounter}, with a small job of its own ({@link Words}) so that only the counter's rules
 * are under test: a line over the bound in code points (not chars) is rejected as {@code too-long} before
 * the extractor sees it; an extractor that throws gets its line rejected as {@code malformed}, kept as a dead
 * letter, and no exception escapes; every dead letter names the block's source, the line's offset, the reason
 * and the detail; and every line comes out exactly once — a record in one of the block's tallies or a
 * rejection — whatever the extractor does with it.
 */
class BlockCounterTest {

    private static final WindowSpec PANES = new WindowSpec(10_000, 10_000, 0);
    private static final int MAX = 20;

    @Test
    void countsRecordsIntoTheirPanesAndRejectionsAsDeadLetters() {
        BlockCounter<Word> counter = new BlockCounter<>(new Words(), PANES, MAX);

        BlockCounter.Counted counted = count(counter, "a.log", 100,
                "1000 apple", "", "1500 apple", "x banana", "12000 pear");

        BlockPanes panes = counted.panes();
        assertThat(panes.source()).isEqualTo("a.log");
        assertThat(panes.offset()).isEqualTo(100);
        assertThat(panes.nextOffset()).isEqualTo(150);
        assertThat(panes.channel()).isEqualTo(3);
        assertThat(panes.position()).isEqualTo(BlockPosition.whole(7, 11));
        assertThat(Arrays.stream(panes.panes()).map(PanePartial::paneEnd)).containsExactly(10_000L, 20_000L);
        assertThat(panes.panes()[0].tally().<String>dim(Words.WORDS).toMap()).containsOnly(Map.entry("apple", 2L));
        assertThat(panes.panes()[0].offsets()).containsExactly(100, 120);
        assertThat(panes.panes()[1].tally().<String>dim(Words.WORDS).toMap()).containsOnly(Map.entry("pear", 1L));
        assertThat(panes.rest().rejected()).isEqualTo(2);
        assertThat(panes.rest().<String>dim(TallySchema.REJECT_REASONS).toMap())
                .containsOnly(Map.entry("empty", 1L), Map.entry("no-time", 1L));
        assertThat(counted.deadLetters())
                .extracting(DeadLetter::source, DeadLetter::offset, DeadLetter::reason, DeadLetter::detail, DeadLetter::line)
                .containsExactly(
                        tuple("a.log", 110L, "empty", "blank line", ""),
                        tuple("a.log", 130L, "no-time", "not a time: 'x'", "x banana"));
    }

    static Stream<Arguments> lengths() {
        String emoji = "\uD83D\uDE00"; // one code point, two chars
        return Stream.of(
                Arguments.of("at the bound", "1 " + "a".repeat(MAX - 2), false),
                Arguments.of("one over the bound", "1 " + "a".repeat(MAX - 1), true),
                Arguments.of("at the bound in code points, twice as many chars", "1 " + emoji.repeat(MAX - 2), false),
                Arguments.of("one code point over, in surrogate pairs", "1 " + emoji.repeat(MAX - 1), true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lengths")
    void linesOverTheBoundInCodePointsAreRejectedBeforeTheExtractor(String name, String line, boolean tooLong) {
        Words job = new Words();
        BlockCounter<Word> counter = new BlockCounter<>(job, PANES, MAX);

        BlockCounter.Counted counted = count(counter, "a.log", 0, line);

        if (tooLong) {
            assertThat(Words.calls(job)).isZero();
            assertThat(counted.deadLetters()).singleElement().satisfies(d -> {
                assertThat(d.reason()).isEqualTo(BlockCounter.TOO_LONG);
                assertThat(d.line()).isEqualTo(line);
            });
        } else {
            assertThat(Words.calls(job)).isEqualTo(1);
            assertThat(counted.deadLetters()).isEmpty();
            assertThat(records(counted.panes())).isEqualTo(1);
        }
    }

    @Test
    void anExtractorThatThrowsGetsItsLineRejectedAsMalformedAndKept() {
        BlockCounter<Word> counter = new BlockCounter<>(new Words(), PANES, MAX);

        BlockCounter.Counted counted = count(counter, "a.log", 0, "1 ok", "throw now", "2 ok");

        assertThat(counted.deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo(BlockCounter.MALFORMED);
            assertThat(d.detail()).contains("extractor error").contains("IllegalStateException").contains("bug on 'throw now'");
            assertThat(d.line()).isEqualTo("throw now");
            assertThat(d.offset()).isEqualTo(10);
            assertThat(d.source()).isEqualTo("a.log");
        });
        assertThat(records(counted.panes())).isEqualTo(2);
        assertThat(counted.panes().rest().<String>dim(TallySchema.REJECT_REASONS).toMap())
                .containsOnly(Map.entry(BlockCounter.MALFORMED, 1L));
    }

    static Stream<Arguments> misbehavingExtractors() {
        return Stream.of(
                Arguments.of("rejects, then throws", "reject-throw", "own"),
                Arguments.of("rejects twice", "reject-twice", "own"),
                Arguments.of("rejects, then returns a record", "reject-record", "own"),
                Arguments.of("returns null without a reason", "null", BlockCounter.MALFORMED));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misbehavingExtractors")
    void aLineIsCountedOnceWhateverTheExtractorDoes(String name, String line, String reason) {
        BlockCounter<Word> counter = new BlockCounter<>(new Words(), PANES, MAX);

        BlockCounter.Counted counted = count(counter, "a.log", 0, "1 ok", line, "2 ok");

        assertThat(records(counted.panes())).isEqualTo(2);
        assertThat(rejected(counted.panes())).isEqualTo(1);
        assertThat(counted.deadLetters()).singleElement().satisfies(d -> {
            assertThat(d.reason()).isEqualTo(reason);
            assertThat(d.line()).isEqualTo(line);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("misbehavingExtractors")
    void oneLineAtATimeHasTheSameOutcomeAsInABlock(String name, String line, String reason) {
        LineExtraction<Word> extraction = new LineExtraction<>(new Words(), MAX);

        assertThat(extraction.rejectReason(line)).isEqualTo(reason);
        assertThat(extraction.rejectReason("1 ok")).as("a record").isNull();
        assertThat(extraction.rejectReason("throw now")).isEqualTo(BlockCounter.MALFORMED);
        assertThat(extraction.rejectReason("x".repeat(MAX + 1))).isEqualTo(BlockCounter.TOO_LONG);
    }

    @Test
    void theCounterStartsAfreshForEachBlock() {
        BlockCounter<Word> counter = new BlockCounter<>(new Words(), PANES, MAX);
        count(counter, "a.log", 0, "1 apple", "");

        BlockCounter.Counted second = count(counter, "b.log", 50, "2 pear");

        assertThat(second.deadLetters()).isEmpty();
        assertThat(records(second.panes())).isEqualTo(1);
        assertThat(rejected(second.panes())).isZero();
        assertThat(second.panes().panes()[0].tally().<String>dim(Words.WORDS).toMap()).containsOnly(Map.entry("pear", 1L));
    }

    @Property(tries = 300)
    void everyLineIsARecordOrARejection(@ForAll("lines") List<String> lines) {
        Words job = new Words();
        BlockCounter<Word> counter = new BlockCounter<>(job, new WindowSpec(30, 10, 5), MAX);

        BlockCounter.Counted counted = count(counter, "s", 0, lines.toArray(new String[0]));

        assertThat(records(counted.panes()) + rejected(counted.panes())).isEqualTo(lines.size());
        assertThat(counted.panes().lineCount()).isEqualTo(lines.size());
        assertThat(counted.deadLetters()).hasSize((int) rejected(counted.panes()));
        assertThat(counted.deadLetters()).extracting(DeadLetter::line)
                .allSatisfy(line -> assertThat(lines).contains(line));
    }

    /** Good lines (times out of order, so some are late within the block), bad ones, long ones, throwing ones. */
    @Provide
    Arbitrary<List<String>> lines() {
        Arbitrary<String> good = Arbitraries.longs().between(0, 60).map(t -> t + " w" + t % 3);
        Arbitrary<String> bad = Arbitraries.of("", "   ", "x y", "-", "throw", "reject-throw", "null", "reject-record",
                "1 " + "z".repeat(MAX), "1 " + "\uD83D\uDE00".repeat(MAX - 2));
        return Arbitraries.frequencyOf(Tuple.of(3, good), Tuple.of(2, bad)).list().ofMinSize(1).ofMaxSize(30);
    }

    private static long records(BlockPanes panes) {
        return Arrays.stream(panes.tallies()).mapToLong(Tally::records).sum();
    }

    private static long rejected(BlockPanes panes) {
        return Arrays.stream(panes.tallies()).mapToLong(Tally::rejected).sum();
    }

    /** Counts {@code lines} as block 11 of epoch 7 on channel 3, each line 10 bytes long from {@code offset}. */
    private static BlockCounter.Counted count(BlockCounter<Word> counter, String source, long offset, String... lines) {
        long[] offsets = new long[lines.length];
        for (int i = 0; i < lines.length; i++) {
            offsets[i] = offset + 10L * i;
        }
        return counter.count(3, BlockPosition.whole(7, 11), source, lines, offsets, offset + 10L * lines.length);
    }

    /** A word at a time (epoch ms). */
    record Word(long time, String word) {}

    /**
     * Lines {@code "<time> <word>"}; a blank line is rejected as {@code empty}, a line whose first token is
     * no number as {@code no-time}. For the tests, some lines make the extractor misbehave: {@code throw…}
     * throws, {@code reject-throw} rejects and then throws, {@code reject-twice} rejects twice,
     * {@code reject-record} rejects and returns a record, {@code null} returns null without a reason.
     */
    static final class Words implements Job<Word> {

        static final int WORDS = 1;
        private static final TallySchema SCHEMA = TallySchema.builder().stringKeys().build();

        private int calls;

        static int calls(Words job) {
            return job.calls;
        }

        @Override
        public String name() {
            return "words";
        }

        @Override
        public Extractor<Word> newExtractor() {
            return (line, rejects) -> {
                calls++;
                switch (line) {
                    case "reject-throw" -> {
                        rejects.reject("own", "first");
                        throw new IllegalStateException("and then a bug");
                    }
                    case "reject-twice" -> {
                        rejects.reject("own", "first");
                        rejects.reject("other", "second");
                        return null;
                    }
                    case "reject-record" -> {
                        rejects.reject("own", "first");
                        return new Word(1, "sneaked");
                    }
                    case "null" -> {
                        return null;
                    }
                    default -> { }
                }
                if (line.startsWith("throw")) {
                    throw new IllegalStateException("bug on '" + line + "'");
                }
                if (line.isBlank()) {
                    rejects.reject("empty", "blank line");
                    return null;
                }
                String[] parts = line.split(" ", 2);
                try {
                    return new Word(Long.parseLong(parts[0]), parts.length > 1 ? parts[1] : "");
                } catch (NumberFormatException e) {
                    rejects.reject("no-time", "not a time: '" + parts[0] + "'");
                    return null;
                }
            };
        }

        @Override
        public long eventTimeMillis(Word record) {
            return record.time();
        }

        @Override
        public Aggregate<Word> aggregate() {
            return new Aggregate<>() {
                @Override
                public TallySchema schema() {
                    return SCHEMA;
                }

                @Override
                public void add(Word record, Tally accumulator) {
                    accumulator.countRecord();
                    accumulator.count(WORDS, record.word());
                }
            };
        }

        @Override
        public Views views() {
            return new Views() {
                @Override
                public void writeFields(Tally tally, com.fasterxml.jackson.core.JsonGenerator json) throws java.io.IOException {
                    json.writeNumberField("records", tally.records());
                }

                @Override
                public String describe(com.fasterxml.jackson.databind.JsonNode json) {
                    return "records=" + json.path("records").asLong();
                }
            };
        }
    }
}
