package io.stormwatch.core.job.loganalytics;

import static io.stormwatch.core.job.loganalytics.StatsFixtures.record;
import static io.stormwatch.core.job.loganalytics.StatsFixtures.stats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stormwatch.core.log.RejectReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins down {@link StatsJson} over a log-analytics tally: the documented object, key for key and in order
 * (reject reasons by key, codes numerically, clients and endpoints most first with ties by text, exclusive
 * threshold, top K, {@code null} times without records), reading it back into an equal {@link StatsReport},
 * extra keys after the documented ones, the defaults, and refusing an object without the documented keys.
 */
class StatsJsonTest {

    private static final long T0 = Instant.parse("2024-03-31T00:00:00Z").toEpochMilli();

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("no lines", List.of(), 10, 10,
                        "{\"records\":0,\"rejected\":0,\"rejectReasons\":{},"
                                + "\"contentSize\":{\"sum\":0,\"min\":0,\"max\":0,\"avg\":0},\"responseCodes\":{},"
                                + "\"clientsOver\":{\"threshold\":10,\"clients\":{}},\"topEndpoints\":[],"
                                + "\"firstTime\":null,\"lastTime\":null}"),
                Arguments.of("only rejects: counted by reason key order, no times",
                        List.of(RejectReason.TOO_LONG, RejectReason.EMPTY, RejectReason.BINARY, RejectReason.EMPTY),
                        10, 10,
                        "{\"records\":0,\"rejected\":4,\"rejectReasons\":{\"binary\":1,\"empty\":2,\"too-long\":1},"
                                + "\"contentSize\":{\"sum\":0,\"min\":0,\"max\":0,\"avg\":0},\"responseCodes\":{},"
                                + "\"clientsOver\":{\"threshold\":10,\"clients\":{}},\"topEndpoints\":[],"
                                + "\"firstTime\":null,\"lastTime\":null}"),
                Arguments.of("codes numerically, '-' size as 0, avg truncated, earliest and latest time",
                        List.of(record("a", "/x", 500, 10, T0 + 5_000),
                                record("a", "/x", 99, -1, T0 + 1_250),
                                record("b", "/y", 200, 7, T0),
                                record("a", "/x", 200, 1, T0 + 2_000)),
                        1, 10,
                        "{\"records\":4,\"rejected\":0,\"rejectReasons\":{},"
                                + "\"contentSize\":{\"sum\":18,\"min\":0,\"max\":10,\"avg\":4},"
                                + "\"responseCodes\":{\"99\":1,\"200\":2,\"500\":1},"
                                + "\"clientsOver\":{\"threshold\":1,\"clients\":{\"a\":3}},"
                                + "\"topEndpoints\":[{\"endpoint\":\"/x\",\"count\":3},{\"endpoint\":\"/y\",\"count\":1}],"
                                + "\"firstTime\":\"2024-03-31T00:00:00Z\",\"lastTime\":\"2024-03-31T00:00:05Z\"}"),
                Arguments.of("ties: endpoints and clients by text; top K cuts; threshold is exclusive",
                        List.of(record("c", "/c", 200, 1, T0), record("c", "/c", 200, 1, T0),
                                record("b", "/b", 200, 1, T0), record("b", "/b", 200, 1, T0),
                                record("a", "/a", 200, 1, T0), record("a", "/a", 200, 1, T0),
                                record("d", "/d", 200, 1, T0 + 1)),
                        1, 2,
                        "{\"records\":7,\"rejected\":0,\"rejectReasons\":{},"
                                + "\"contentSize\":{\"sum\":7,\"min\":1,\"max\":1,\"avg\":1},"
                                + "\"responseCodes\":{\"200\":7},"
                                + "\"clientsOver\":{\"threshold\":1,\"clients\":{\"a\":2,\"b\":2,\"c\":2}},"
                                + "\"topEndpoints\":[{\"endpoint\":\"/a\",\"count\":2},{\"endpoint\":\"/b\",\"count\":2}],"
                                + "\"firstTime\":\"2024-03-31T00:00:00Z\",\"lastTime\":\"2024-03-31T00:00:00.001Z\"}"),
                Arguments.of("all clients over the threshold, most requests first, whatever top K is",
                        clientsWithCounts(12), 2, 1,
                        "{\"records\":78,\"rejected\":0,\"rejectReasons\":{},"
                                + "\"contentSize\":{\"sum\":78,\"min\":1,\"max\":1,\"avg\":1},"
                                + "\"responseCodes\":{\"200\":78},"
                                + "\"clientsOver\":{\"threshold\":2,\"clients\":{\"c12\":12,\"c11\":11,\"c10\":10,"
                                + "\"c09\":9,\"c08\":8,\"c07\":7,\"c06\":6,\"c05\":5,\"c04\":4,\"c03\":3}},"
                                + "\"topEndpoints\":[{\"endpoint\":\"/\",\"count\":78}],"
                                + "\"firstTime\":\"2024-03-31T00:00:00Z\",\"lastTime\":\"2024-03-31T00:00:00Z\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersTheDocumentedObject(String name, List<?> events, long threshold, int topK, String expected) {
        assertThat(StatsJson.write(StatsJson.toJson(stats(events), threshold, topK))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsBackWhatItWrote(String name, List<?> events, long threshold, int topK, String expected) throws Exception {
        StatsReport report = StatsReport.of(stats(events), threshold, topK);

        assertThat(StatsJson.read(StatsJson.parse(expected))).isEqualTo(report);
    }

    @Test
    void keysAddedByALaterJobComeAfterTheDocumentedOnesAndAreIgnoredOnReading() throws Exception {
        LogStats stats = stats(List.of(record("a", "/", 200, 5, T0)));
        ObjectNode window = StatsJson.toJson(stats);
        window.put("windowStart", "2024-03-31T00:00:00Z").put("late", 0);

        JsonNode parsed = StatsJson.parse(StatsJson.write(window));

        assertThat(parsed.fieldNames()).toIterable().containsExactly("records", "rejected", "rejectReasons",
                "contentSize", "responseCodes", "clientsOver", "topEndpoints", "firstTime", "lastTime",
                "windowStart", "late");
        assertThat(StatsJson.read(parsed)).isEqualTo(StatsReport.of(stats));
    }

    @Test
    void defaultsAreClientsOverTenAndTopTen() {
        List<Object> events = new ArrayList<>(clientsWithCounts(12));
        for (int i = 0; i < 12; i++) {
            events.add(record("z", "/e" + i, 200, 1, T0));
        }
        StatsReport report = StatsJson.read(StatsJson.toJson(stats(events)));

        assertThat(report.clientThreshold()).isEqualTo(10);
        assertThat(report.clientsOver()).containsOnlyKeys("c11", "c12", "z");
        assertThat(report.topEndpoints()).hasSize(10);
    }

    @Test
    void reportsDifferWhenAnyFigureDiffers() throws Exception {
        StatsReport one = StatsReport.of(stats(List.of(record("a", "/", 200, 5, T0))));
        StatsReport otherSize = StatsReport.of(stats(List.of(record("a", "/", 200, 6, T0))));
        StatsReport otherTime = StatsReport.of(stats(List.of(record("a", "/", 200, 5, T0 + 1000))));

        assertThat(one).isNotEqualTo(otherSize).isNotEqualTo(otherTime);
    }

    @Test
    void readingRejectsAnObjectWithoutTheDocumentedKeys() throws Exception {
        assertThatThrownBy(() -> StatsJson.read(StatsJson.parse("{\"records\":1}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Client {@code cNN} with NN requests, for NN = 1..n. */
    private static List<Object> clientsWithCounts(int n) {
        List<Object> events = new ArrayList<>();
        for (int c = 1; c <= n; c++) {
            for (int i = 0; i < c; i++) {
                events.add(record(String.format("c%02d", c), "/", 200, 1, T0));
            }
        }
        return events;
    }
}
