package io.stormwatch.core.window;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.job.loganalytics.StatsJson;
import io.stormwatch.testing.Records;
import java.util.List;
import org.junit.jupiter.api.Test;

class WindowResultTest {

    private final Pane first = new Pane(20_000, new LogStats().add(Records.at(15_000, "a", "/x")), 1);
    private final Pane second = new Pane(30_000,
            new LogStats().add(Records.at(21_000, "b", "/y")).reject(RejectReason.EMPTY), 2);

    @Test
    void mergesPanesAndSkipsTheEndOfInputMarker() {
        WindowResult window = WindowResult.merge(30_000, 20_000,
                List.of(first, second, Pane.endOfInputMarker(50_000)));

        LogStats expected = new LogStats().add(Records.at(15_000, "a", "/x")).add(Records.at(21_000, "b", "/y"))
                .reject(RejectReason.EMPTY);
        assertThat(window).isEqualTo(new WindowResult(10_000, 30_000, expected, 3));
    }

    @Test
    void jsonIsTheBatchObjectPlusTheWindowBoundsAndLateCount() {
        WindowResult window = WindowResult.merge(30_000, 20_000, List.of(first, second));

        ObjectNode json = window.toJson(10, 5);

        ObjectNode batch = StatsJson.toJson(window.stats(), 10, 5);
        batch.fieldNames().forEachRemaining(name -> assertThat(json.get(name)).as(name).isEqualTo(batch.get(name)));
        assertThat(json.get("windowStart").asText()).isEqualTo("1970-01-01T00:00:10Z");
        assertThat(json.get("windowEnd").asText()).isEqualTo("1970-01-01T00:00:30Z");
        assertThat(json.get("late").asLong()).isEqualTo(3);
        assertThat(json.size()).isEqualTo(batch.size() + 3);
    }
}
