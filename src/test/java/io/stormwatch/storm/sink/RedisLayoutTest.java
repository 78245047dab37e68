package io.stormwatch.storm.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The layout rules on JSON no job writes today, so that tomorrow's jobs get a readable layout too. */
class RedisLayoutTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static RedisLayout layout(String json) throws IOException {
        return RedisLayout.of("K", (ObjectNode) JSON.readTree(json));
    }

    @Test
    void scalarsAreHashFieldsAsTheJsonWritesThem() throws IOException {
        RedisLayout layout = layout("{\"n\":12,\"x\":-0.25,\"big\":12345678901234567890,\"s\":\"a b\",\"t\":true,"
                + "\"f\":false,\"none\":null,\"e\":1e3}");

        assertThat(layout.hashes()).containsExactly(Map.entry("K", Map.of("n", "12", "x", "-0.25",
                "big", "12345678901234567890", "s", "a b", "t", "true", "f", "false", "none", "", "e", "1000.0")));
        assertThat(layout.sortedSets()).isEmpty();
        assertThat(layout.replaced()).containsExactly("K");
    }

    @Test
    void nestedObjectsGoUnderTheirFieldRecursively() throws IOException {
        RedisLayout layout = layout("{\"a\":{\"b\":1,\"c\":{\"d\":\"x\"}},\"empty\":{},\"onlyNested\":{\"in\":{\"z\":0}}}");

        assertThat(layout.hashes()).containsOnly(
                Map.entry("K:a", Map.of("b", "1")),
                Map.entry("K:a:c", Map.of("d", "x")),
                Map.entry("K:onlyNested:in", Map.of("z", "0")));
        assertThat(layout.replaced()).containsExactly("K", "K:a", "K:a:c", "K:empty", "K:onlyNested", "K:onlyNested:in");
        assertThat(layout.written()).containsExactlyInAnyOrder("K:a", "K:a:c", "K:onlyNested:in");
    }

    @Test
    void rankingsAreSortedSetsWhateverTheirFieldNames() throws IOException {
        RedisLayout layout = layout("{\"top\":[{\"url\":\"/a\",\"hits\":5},{\"hits\":2.5,\"url\":\"/b\"}],"
                + "\"tags\":[{\"tag\":\"#x\",\"n\":1}],\"none\":[]}");

        assertThat(layout.sortedSets()).containsOnly(
                Map.entry("K:top", Map.of("/a", 5.0, "/b", 2.5)),
                Map.entry("K:tags", Map.of("#x", 1.0)));
        assertThat(layout.hashes()).as("an empty array stores nothing").isEmpty();
        assertThat(layout.replaced()).containsExactly("K", "K:top", "K:tags", "K:none");
    }

    @Test
    void otherArraysAreTheirJsonTextInTheHash() throws IOException {
        RedisLayout layout = layout("{\"scalars\":[1,\"a\",null],"
                + "\"threeFields\":[{\"k\":\"a\",\"n\":1,\"extra\":true}],"
                + "\"twoNumbers\":[{\"a\":1,\"b\":2}],"
                + "\"repeated\":[{\"k\":\"a\",\"n\":1},{\"k\":\"a\",\"n\":2}],"
                + "\"mixed\":[{\"k\":\"a\",\"n\":1},3]}");

        assertThat(layout.hashes().get("K")).isEqualTo(Map.of(
                "scalars", "[1,\"a\",null]",
                "threeFields", "[{\"k\":\"a\",\"n\":1,\"extra\":true}]",
                "twoNumbers", "[{\"a\":1,\"b\":2}]",
                "repeated", "[{\"k\":\"a\",\"n\":1},{\"k\":\"a\",\"n\":2}]",
                "mixed", "[{\"k\":\"a\",\"n\":1},3]"));
        assertThat(layout.sortedSets()).isEmpty();
        assertThat(layout.replaced()).as("each array's key, in case it was a ranking before")
                .containsExactly("K", "K:scalars", "K:threeFields", "K:twoNumbers", "K:repeated", "K:mixed");
    }
}
