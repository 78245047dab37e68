package io.stormwatch.storm.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.job.loganalytics.StatsJson;
import io.stormwatch.core.window.WindowResult;
import io.stormwatch.testing.Records;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesSinkTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private Path dir;
    private JsonLinesSink sink;

    @BeforeEach
    void open() throws IOException {
        dir = tmp.resolve("out/nested");
        sink = new JsonLinesSink(dir.toString(), 1, 2);
        sink.open(Map.of(), null);
    }

    @AfterEach
    void close() {
        sink.close();
    }

    private List<JsonNode> lines(String name) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve(name))) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    void writesOneObjectPerWindowAtOnce() throws IOException {
        WindowResult first = new WindowResult(0, 30_000, new LogStats().add(Records.at(10_000)), 1);
        WindowResult second = new WindowResult(10_000, 40_000, new LogStats().add(Records.at(35_000)), 0);

        sink.window(first);
        sink.window(second);

        assertThat(lines(JsonLinesSink.WINDOWS)).containsExactly(
                JSON.readTree(first.toJson(1, 2).toString()), JSON.readTree(second.toJson(1, 2).toString()));
    }

    @Test
    void totalsFileIsTheBatchObjectOfTheLatestTotals() throws IOException {
        LogStats older = new LogStats().add(Records.at(1_000));
        LogStats latest = older.copy().add(Records.at(2_000, "c2", "/b")).reject(RejectReason.GLUED);

        sink.totals(older, false);
        sink.totals(latest, true);

        assertThat(JSON.readTree(dir.resolve(JsonLinesSink.TOTALS).toFile()))
                .isEqualTo(JSON.readTree(StatsJson.toJson(latest, 1, 2).toString()));
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder(JsonLinesSink.WINDOWS, JsonLinesSink.TOTALS, JsonLinesSink.REJECTED, JsonLinesSink.LATE);
        }
    }

    @Test
    void deadLettersAndLateRecordsAreFlushedOnFlush() throws IOException {
        sink.rejected(new DeadLetter("a.log", 7, "truncated", "ends in the request", "127.0.0.1 - - [x"));
        sink.late(new LateRecord(Records.record(5_000, "10.0.0.9", "/late", 304, 0), "a.log", 9));
        sink.flush();

        assertThat(lines(JsonLinesSink.REJECTED)).singleElement().satisfies(node -> {
            assertThat(node.get("source").asText()).isEqualTo("a.log");
            assertThat(node.get("offset").asLong()).isEqualTo(7);
            assertThat(node.get("reason").asText()).isEqualTo("truncated");
            assertThat(node.get("detail").asText()).isEqualTo("ends in the request");
            assertThat(node.get("line").asText()).isEqualTo("127.0.0.1 - - [x");
        });
        assertThat(lines(JsonLinesSink.LATE)).singleElement().satisfies(node -> {
            assertThat(node.get("offset").asLong()).isEqualTo(9);
            assertThat(node.get("time").asText()).isEqualTo("1970-01-01T00:00:05Z");
            assertThat(node.get("client").asText()).isEqualTo("10.0.0.9");
            assertThat(node.get("request").asText()).isEqualTo("GET /late HTTP/1.1");
            assertThat(node.get("status").asInt()).isEqualTo(304);
        });
    }

    @Test
    void successIsWrittenAtEndOfInputAfterEverythingElse() throws IOException {
        sink.rejected(new DeadLetter("a.log", 1, "empty", "blank line", ""));
        assertThat(dir.resolve(JsonLinesSink.SUCCESS)).doesNotExist();

        sink.endOfInput();

        assertThat(dir.resolve(JsonLinesSink.SUCCESS)).exists();
        assertThat(lines(JsonLinesSink.REJECTED)).hasSize(1);
    }

    @Test
    void aReopenedSinkAppends() throws IOException {
        sink.window(new WindowResult(0, 30_000, new LogStats(), 0));
        sink.close();
        sink = new JsonLinesSink(dir.toString(), 1, 2);
        sink.open(Map.of(), null);
        sink.window(new WindowResult(10_000, 40_000, new LogStats(), 0));

        assertThat(lines(JsonLinesSink.WINDOWS)).hasSize(2);
    }
}
