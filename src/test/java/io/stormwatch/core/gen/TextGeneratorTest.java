package io.stormwatch.core.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.text.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The text generator: the same options give the same bytes; the words are Zipf-skewed with non-ASCII ones
 * among them; a large vocabulary shows nearly all its words; some lines have no words.
 */
class TextGeneratorTest {

    private static String text(TextGenerator.Options options) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new TextGenerator(options).writeTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theSameOptionsGiveTheSameBytesAndAnotherSeedOthers() throws IOException {
        String a = text(new TextGenerator.Options(2_000, 7));

        assertThat(text(new TextGenerator.Options(2_000, 7))).isEqualTo(a);
        assertThat(text(new TextGenerator.Options(2_000, 8))).isNotEqualTo(a);
        assertThat(a.lines()).hasSize(2_000);
    }

    @Test
    void wordsAreSkewedWithNonAsciiOnesAndSomeLinesHaveNone() throws IOException {
        Tokenizer tokenizer = new Tokenizer();
        Map<String, Integer> counts = new HashMap<>();
        long wordless = 0;
        for (String line : text(new TextGenerator.Options(20_000, 42)).lines().toList()) {
            List<String> words = tokenizer.words(line);
            wordless += words.isEmpty() ? 1 : 0;
            words.forEach(w -> counts.merge(w, 1, Integer::sum));
        }

        assertThat(counts.get("the")).as("rank 1 well above rank 10").isGreaterThan(5 * counts.get("he"));
        assertThat(counts).containsKeys("strasse", "οδός", "привет", "istanbul", "東", "don't", "e-mail");
        assertThat(counts.keySet()).allSatisfy(w -> assertThat(w).isNotBlank());
        assertThat(wordless).isBetween(400L, 800L);
    }

    @Test
    void aLargeVocabularyShowsMostOfItsWords() throws IOException {
        Set<String> distinct = new HashSet<>();
        Tokenizer tokenizer = new Tokenizer();
        text(new TextGenerator.Options(20_000, 1, 1_000_000)).lines().forEach(l -> distinct.addAll(tokenizer.words(l)));

        assertThat(distinct.size()).as("about 8 words a line, most of them from the tail").isGreaterThan(100_000);
    }

    @Test
    void synthesizedWordsAreDistinctAndNotPoolWords() {
        Set<String> words = new HashSet<>(List.of(TextGenerator.POOL));
        int pool = words.size();
        for (int i = TextGenerator.POOL.length; i < TextGenerator.POOL.length + 100_000; i++) {
            words.add(TextGenerator.word(i));
        }

        assertThat(pool).isEqualTo(TextGenerator.POOL.length);
        assertThat(words).hasSize(pool + 100_000);
    }

    @Test
    void badOptionsAreRefused() {
        assertThatThrownBy(() -> new TextGenerator.Options(-1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TextGenerator.Options(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
