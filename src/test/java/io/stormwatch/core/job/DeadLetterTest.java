package io.stormwatch.core.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins down {@link DeadLetter#of}: a dead letter keeps at most {@value DeadLetter#LINE_CHARS} chars of its
 * line, cut one char shorter rather than between the two halves of a surrogate pair, and keeps source,
 * offset, reason and detail as given.
 */
class DeadLetterTest {

    private static final String PAIR = "\uD83D\uDE00"; // one code point, two chars
    private static final int MAX = DeadLetter.LINE_CHARS;

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("empty", "", ""),
                Arguments.of("short: kept whole", "abc" + PAIR, "abc" + PAIR),
                Arguments.of("exactly the bound: kept whole", "a".repeat(MAX), "a".repeat(MAX)),
                Arguments.of("a pair ending exactly at the bound: kept whole",
                        "a".repeat(MAX - 2) + PAIR, "a".repeat(MAX - 2) + PAIR),
                Arguments.of("one over: cut to the bound", "a".repeat(MAX + 1), "a".repeat(MAX)),
                Arguments.of("a pair ending at the bound, more after: cut after the pair",
                        "a".repeat(MAX - 2) + PAIR + "tail", "a".repeat(MAX - 2) + PAIR),
                Arguments.of("a pair across the bound: cut before it",
                        "a".repeat(MAX - 1) + PAIR + "tail", "a".repeat(MAX - 1)),
                Arguments.of("nothing but pairs, across the bound: cut before the pair",
                        PAIR.repeat(MAX), PAIR.repeat(MAX / 2)),
                Arguments.of("nothing but pairs, one char off: cut before the split pair",
                        "a" + PAIR.repeat(MAX), "a" + PAIR.repeat(MAX / 2 - 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lines")
    void keepsTheLineCutToTheBoundWithoutSplittingASurrogatePair(String name, String line, String kept) {
        DeadLetter deadLetter = DeadLetter.of("s", 0, "too-long", "detail", line);

        assertThat(deadLetter.line()).isEqualTo(kept);
        assertThat(deadLetter.line().length()).isLessThanOrEqualTo(MAX);
        assertThat(Character.isHighSurrogate(kept.isEmpty() ? 'a' : kept.charAt(kept.length() - 1))).isFalse();
    }

    @Test
    void keepsSourceOffsetReasonAndDetail() {
        DeadLetter deadLetter = DeadLetter.of("logs/a.log.gz", 123_456_789_012L, "malformed", "field 3: not a number", "x");

        assertThat(deadLetter).isEqualTo(
                new DeadLetter("logs/a.log.gz", 123_456_789_012L, "malformed", "field 3: not a number", "x"));
    }

    @Test
    void aBadByteMarkerIsShownAsReplacementButTheLowHalfOfAValidPairIsKeptAndLoneSurrogatesAreReplaced() {
        String projector = "\uD83D\uDCFD"; // U+1F4FD: its low half is the reader's marker char U+DCFD

        DeadLetter letter = DeadLetter.of("s", 0, "r", "detail \uD800 quoted", "a\uDCFDb" + projector + "c\uD83D");

        assertThat(letter.line()).isEqualTo("a\uFFFDb" + projector + "c\uFFFD");
        assertThat(letter.detail()).isEqualTo("detail \uFFFD quoted");
        assertThat(java.nio.charset.StandardCharsets.UTF_8.newEncoder().canEncode(letter.line() + letter.detail())).isTrue();
    }
}
