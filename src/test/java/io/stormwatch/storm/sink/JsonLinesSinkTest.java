package io.stormwatch.storm.sink;

import static io.stormwatch.storm.sink.Results.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stormwatch.core.job.DeadLetter;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.log.RejectReason;
import io.stormwatch.testing.Records;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
        sink = new JsonLinesSink(dir.toString());
        sink.open(Map.of(), null);
    }

    @AfterEach
    void close() {
        sink.close();
    }

    private List<String> lines(String name) throws IOException {
        return Files.readAllLines(dir.resolve(name));
    }

    private List<JsonNode> objects(String name) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : lines(name)) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }

    @Test
    void writesEachWindowsJsonAsOneLineVisibleAtOnceUnlessInABurst() throws IOException {
        Result first = Results.window(T0, T0 + 30_000, 1, Results.example());
        Result second = Results.window(T0 + 10_000, T0 + 40_000, 0, new LogStats().add(Records.at(T0 + 35_000)));

        sink.window(first);
        assertThat(lines(JsonLinesSink.WINDOWS)).as("visible without a flush, verbatim").containsExactly(first.json());
        sink.window(second);
        sink.flush();

        assertThat(lines(JsonLinesSink.WINDOWS)).as("a burst is written by the next flush at the latest")
                .containsExactly(first.json(), second.json());
        assertThat(objects(JsonLinesSink.WINDOWS).get(0).get("windowEnd").asText()).isEqualTo("2024-03-31T00:00:30Z");
    }

    @Test
    void aWindowWithLineBreaksIsStillOneLine() throws IOException {
        String pretty = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                JSON.readTree(Results.window(T0, T0 + 30_000, 0, Results.example()).json()));
        assertThat(pretty).contains("\n");

        sink.window(Result.window(T0, T0 + 30_000, 0, pretty));

        assertThat(lines(JsonLinesSink.WINDOWS)).singleElement()
                .satisfies(line -> assertThat(JSON.readTree(line)).isEqualTo(JSON.readTree(pretty)));
    }

    @Test
    void totalsFileIsTheLatestTotalsPrettyPrinted() throws IOException {
        LogStats older = new LogStats().add(Records.at(T0));
        LogStats latest = Results.example().reject(RejectReason.GLUED);

        sink.totals(Results.totals(false, older));
        sink.totals(Results.totals(true, latest));

        String text = Files.readString(dir.resolve(JsonLinesSink.TOTALS));
        assertThat(JSON.readTree(text)).isEqualTo(JSON.readTree(Results.totals(true, latest).json()));
        assertThat(text).as("pretty-printed").contains("\n  \"records\" : 3");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no temporary file left")
                    .containsExactlyInAnyOrder(JsonLinesSink.WINDOWS, JsonLinesSink.TOTALS, JsonLinesSink.REJECTED, JsonLinesSink.LATE);
        }
    }

    @Test
    void totalsAreReplacedByRenameSoAnOpenReaderKeepsAWholeFile() throws IOException {
        sink.totals(Results.totals(false, new LogStats().add(Records.at(T0))));
        byte[] before = Files.readAllBytes(dir.resolve(JsonLinesSink.TOTALS));

        try (InputStream reader = Files.newInputStream(dir.resolve(JsonLinesSink.TOTALS))) {
            sink.totals(Results.totals(true, Results.example()));
            // Rewritten in place, the file would now read empty, cut or new; replaced, the old one is intact.
            assertThat(reader.readAllBytes()).isEqualTo(before);
        }
        assertThat(JSON.readTree(dir.resolve(JsonLinesSink.TOTALS).toFile()).get("records").asLong()).isEqualTo(3);
    }

    @Test
    void aConcurrentReaderNeverSeesHalfATotalsFile() throws Exception {
        // Large totals (all clients over the threshold) make a non-atomic write easy to catch half-way.
        LogStats stats = new LogStats();
        for (int i = 0; i < 2_000; i++) {
            stats.add(Records.at(T0 + i, "10.0." + (i / 250) + "." + (i % 250), "/page/" + i));
            stats.add(Records.at(T0 + i, "10.0." + (i / 250) + "." + (i % 250), "/page/" + i));
        }
        sink.totals(Results.totals(false, stats));
        Set<Long> written = ConcurrentHashMap.newKeySet();
        written.add(stats.records());
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            while (writing.get()) {
                JsonNode totals;
                try {
                    totals = JSON.readTree(dir.resolve(JsonLinesSink.TOTALS).toFile());
                } catch (IOException e) {
                    throw new AssertionError("read half a totals file", e);
                }
                assertThat(totals.path("records").isIntegralNumber()).as("a whole totals file, not: %s", totals).isTrue();
                assertThat(written).contains(totals.get("records").asLong());
                reads.incrementAndGet();
            }
        });
        try {
            // Until the reader has read a good number of times, whatever the scheduling; bounded all the same.
            for (int i = 0; i < 5_000 && !reader.isDone() && (i < 100 || reads.get() < 50); i++) {
                stats.add(Records.at(T0));
                written.add(stats.records()); // before the file can show it
                sink.totals(Results.totals(false, stats));
            }
        } finally {
            writing.set(false);
        }
        reader.get();
        assertThat(reads.get()).as("reads that saw a whole file").isGreaterThanOrEqualTo(50);
    }

    @Test
    void deadLettersAndLateLinesAreBufferedUntilFlush() throws IOException {
        sink.rejected(new DeadLetter("a.log#1", 7, "truncated", "ends in the request", "127.0.0.1 - - [x"));
        sink.late(new LateLine("a.log#1", 9, T0 + 5_000, T0 + 30_000));
        assertThat(lines(JsonLinesSink.REJECTED)).isEmpty();

        sink.flush();

        assertThat(objects(JsonLinesSink.REJECTED)).singleElement().isEqualTo(JSON.readTree(
                "{\"source\":\"a.log#1\",\"offset\":7,\"reason\":\"truncated\",\"detail\":\"ends in the request\","
                        + "\"line\":\"127.0.0.1 - - [x\"}"));
        assertThat(objects(JsonLinesSink.LATE)).singleElement().isEqualTo(JSON.readTree(
                "{\"source\":\"a.log#1\",\"offset\":9,\"time\":\"2024-03-31T00:00:05Z\",\"reportedIn\":\"2024-03-31T00:00:30Z\"}"));
    }

    @Test
    void successIsWrittenOnlyAtEndOfInputAfterFlushing() throws IOException {
        sink.window(Results.window(T0, T0 + 30_000, 0, Results.example()));
        sink.totals(Results.totals(true, Results.example()));
        sink.rejected(new DeadLetter("a.log#1", 1, "empty", "blank line", ""));
        sink.late(new LateLine("a.log#1", 2, T0, T0 + 10_000));
        sink.flush();
        sink.rejected(new DeadLetter("a.log#1", 3, "empty", "blank line", ""));
        assertThat(dir.resolve(JsonLinesSink.SUCCESS)).as("not at flush, not at the final totals").doesNotExist();
        assertThat(lines(JsonLinesSink.REJECTED)).as("the second dead letter is still buffered").hasSize(1);

        sink.endOfInput("");

        assertThat(dir.resolve(JsonLinesSink.SUCCESS)).exists().isEmptyFile();
        assertThat(dir.resolve(JsonLinesSink.INCOMPLETE)).doesNotExist();
        assertThat(lines(JsonLinesSink.REJECTED)).hasSize(2);
        assertThat(lines(JsonLinesSink.LATE)).hasSize(1);
    }

    @Test
    void anInputNotReadWholeGetsNoSuccessMarkerButAnIncompleteOneSayingWhatWasNotRead() throws IOException {
        sink.totals(Results.totals(true, Results.example()));
        sink.rejected(new DeadLetter("a.log#1", 1, "empty", "blank line", ""));

        sink.endOfInput("/logs/b.log.gz: cannot be read from offset 0: java.io.EOFException\n/logs/c.log: does not exist");

        assertThat(dir.resolve(JsonLinesSink.SUCCESS)).doesNotExist();
        assertThat(lines(JsonLinesSink.INCOMPLETE)).containsExactly(
                "/logs/b.log.gz: cannot be read from offset 0: java.io.EOFException", "/logs/c.log: does not exist");
        assertThat(lines(JsonLinesSink.REJECTED)).as("what was read is flushed all the same").hasSize(1);
    }

    @Test
    void aTotalsFileThatCannotBeReplacedIsAnIOExceptionAndTheSinkGoesOn() throws IOException {
        Files.createDirectories(dir.resolve(JsonLinesSink.TOTALS).resolve("in-the-way"));

        assertThatThrownBy(() -> sink.totals(Results.totals(false, Results.example()))).isInstanceOf(IOException.class);
        sink.window(Results.window(T0, T0 + 30_000, 0, Results.example()));

        assertThat(lines(JsonLinesSink.WINDOWS)).hasSize(1);
    }

    @Test
    void aReopenedSinkAppends() throws IOException {
        sink.window(Results.window(T0, T0 + 30_000, 0, new LogStats()));
        sink.close();
        sink = new JsonLinesSink(dir.toString());
        sink.open(Map.of(), null);
        sink.window(Results.window(T0 + 10_000, T0 + 40_000, 0, new LogStats()));

        assertThat(objects(JsonLinesSink.WINDOWS)).extracting(node -> node.get("windowEnd").asText())
                .containsExactly("2024-03-31T00:00:30Z", "2024-03-31T00:00:40Z");
    }

    @Test
    void aReopenedSinkTellsItsLastWindowAndCutsALineAKillLeftHalfWritten() throws IOException {
        assertThat(sink.lastWindowEnd()).as("nothing written yet").isEqualTo(Long.MIN_VALUE);
        sink.window(Results.window(T0, T0 + 30_000, 0, new LogStats()));
        sink.window(Results.window(T0 + 10_000, T0 + 40_000, 0, new LogStats()));
        sink.close();
        java.nio.file.Files.writeString(dir.resolve(JsonLinesSink.WINDOWS), "{\"windowStart\":\"2024-03-31T00:00:2",
                java.nio.file.StandardOpenOption.APPEND);

        sink = new JsonLinesSink(dir.toString());
        sink.open(Map.of(), null);

        assertThat(sink.lastWindowEnd()).isEqualTo(T0 + 40_000);
        sink.window(Results.window(T0 + 20_000, T0 + 50_000, 0, new LogStats()));
        assertThat(objects(JsonLinesSink.WINDOWS)).extracting(node -> node.get("windowEnd").asText())
                .containsExactly("2024-03-31T00:00:30Z", "2024-03-31T00:00:40Z", "2024-03-31T00:00:50Z");
    }
}
