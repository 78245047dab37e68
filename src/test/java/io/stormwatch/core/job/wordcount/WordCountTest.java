package io.stormwatch.core.job.wordcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.DeadLetter;
import io.stormwatch.core.job.Extractor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The word-count job end to end on a small text: its JSON object, its log line, lines without words, what the
 * engine rejects for it, its configuration and its engine defaults.
 */
class WordCountTest {

    private static final String TEXT = String.join("\n",
            "The cat and the hat.",
            "",
            "   ...   ",
            "THE END, the end!",
            "Straße STRASSE 東京",
            "");

    @TempDir
    Path dir;

    private Tally run(WordCount job, byte[] bytes, List<DeadLetter> deadLetters, int maxLineLength) throws IOException {
        Path file = Files.write(dir.resolve("text.txt"), bytes);
        return new Batch<>(job, maxLineLength).run(List.of(file), deadLetters::add, read -> {});
    }

    @Test
    void countsWordsPerLineIntoTheTopWordsMostFrequentFirstThenByWord() throws IOException {
        WordCount job = WordCount.defaults();
        List<DeadLetter> deadLetters = new ArrayList<>();

        Tally totals = run(job, TEXT.getBytes(StandardCharsets.UTF_8), deadLetters, 1_000);

        assertThat(job.views().json(totals).toString()).isEqualTo("{\"records\":5,\"rejected\":0,\"rejectReasons\":{},"
                + "\"words\":13,\"distinctWords\":8,\"topWords\":["
                + "{\"word\":\"the\",\"count\":4},{\"word\":\"end\",\"count\":2},{\"word\":\"strasse\",\"count\":2},"
                + "{\"word\":\"and\",\"count\":1},{\"word\":\"cat\",\"count\":1},{\"word\":\"hat\",\"count\":1},"
                + "{\"word\":\"京\",\"count\":1},{\"word\":\"東\",\"count\":1}]}");
        assertThat(job.views().describe(job.views().json(totals)))
                .isEqualTo("records=5 rejected=0 words=13 distinct=8 (the,4) (end,2) (strasse,2) (and,1) (cat,1) (hat,1)"
                        + " (京,1) (東,1)");
        assertThat(deadLetters).isEmpty();
    }

    @Test
    void aLineWithoutWordsIsARecordOfZeroWordsNotARejection() {
        Extractor<String[]> extractor = WordCount.defaults().newExtractor();
        List<String> reasons = new ArrayList<>();

        assertThat(extractor.extract("", (reason, detail) -> reasons.add(reason))).isEmpty();
        assertThat(extractor.extract(" -- 😀 ", (reason, detail) -> reasons.add(reason))).isEmpty();
        assertThat(extractor.extract("Ein Wort", (reason, detail) -> reasons.add(reason))).containsExactly("ein", "wort");
        assertThat(reasons).isEmpty();
    }

    @Test
    void topCutsTheListAndAllAddsEveryCountAndTheLogLineShowsTen() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            text.append(("w" + i + " ").repeat(i)).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);

        WordCount top3 = new WordCount(3, true);
        Tally totals = run(top3, bytes, new ArrayList<>(), 1_000);

        var json = top3.views().json(totals);
        assertThat(json.get("topWords")).hasSize(3);
        assertThat(json.get("counts").size()).isEqualTo(12);
        assertThat(json.get("counts").fieldNames()).toIterable().startsWith("w12", "w11", "w10");
        assertThat(Arrays.asList(json.get("counts").get("w7").asLong(), json.get("words").asLong())).containsExactly(7L, 78L);
        WordCount defaults = WordCount.defaults();
        assertThat(defaults.views().json(totals).has("counts")).isFalse();
        assertThat(defaults.views().describe(defaults.views().json(totals)))
                .isEqualTo("records=12 rejected=0 words=78 distinct=12 (w12,12) (w11,11) (w10,10) (w9,9) (w8,8) (w7,7)"
                        + " (w6,6) (w5,5) (w4,4) (w3,3) ...");
    }

    @Test
    void tooLongLinesAndInvalidUtf8AreRejectedByTheEngineAndCounted() throws IOException {
        byte[] bad = {'o', 'k', '\n', 'a', (byte) 0xC3, 'b', '\n', 'x', 'x', 'x', 'x', 'x', 'x', '\n', 'f', 'i', 'n', 'e', '\n'};
        List<DeadLetter> deadLetters = new ArrayList<>();

        Tally totals = run(WordCount.defaults(), bad, deadLetters, 5);

        assertThat(WordCount.defaults().views().json(totals).toString())
                .startsWith("{\"records\":2,\"rejected\":2,\"rejectReasons\":{\"invalid-utf8\":1,\"too-long\":1},\"words\":2,");
        assertThat(deadLetters).extracting(DeadLetter::reason).containsExactly("invalid-utf8", "too-long");
    }

    @Test
    void nothingCountedIsAnObjectOfZeros() {
        WordCount job = WordCount.defaults();

        assertThat(job.views().json(job.aggregate().createAccumulator()).toString()).isEqualTo(
                "{\"records\":0,\"rejected\":0,\"rejectReasons\":{},\"words\":0,\"distinctWords\":0,\"topWords\":[]}");
    }

    @Test
    void readsTopAndAllFromTheConfiguration() {
        assertThat(WordCount.fromConfig(Map.of())).isEqualTo(new WordCount(10, false));
        assertThat(WordCount.fromConfig(Map.of("stormwatch.words.top", "3", "stormwatch.words.all", "TRUE")))
                .isEqualTo(new WordCount(3, true));
        assertThatThrownBy(() -> WordCount.fromConfig(Map.of("stormwatch.words.all", "yes")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stormwatch.words.all");
        assertThatThrownBy(() -> WordCount.fromConfig(Map.of("stormwatch.words.top", -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stormwatch.words.top");
    }

    @Test
    void linesCarryNoTimeSoItRunsInOneSecondTumblingProcessingTimeWindows() {
        WordCount job = WordCount.defaults();

        assertThat(job.hasEventTime()).isFalse();
        assertThat(job.engineDefaults()).containsEntry("stormwatch.time", "processing")
                .containsEntry("stormwatch.window.length", "1s").containsEntry("stormwatch.window.slide", "1s")
                .containsEntry("stormwatch.window.lag", "0s");
        assertThat(job.name()).isEqualTo("word-count");
    }
}
