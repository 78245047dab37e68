package io.stormwatch.storm.bolt;

import static io.stormwatch.testing.TestTopology.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.window.Pane;
import io.stormwatch.core.window.WindowResult;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.Schema;
import io.stormwatch.testing.RecordingOutputCollector;
import io.stormwatch.testing.Records;
import io.stormwatch.testing.TestTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.topology.WindowedBoltExecutor;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.windowing.TupleWindowImpl;
import org.junit.jupiter.api.Test;

class WindowStatsBoltTest {

    private static final WindowSpec SPEC = WindowSpec.parse("30s", "10s", "0s");

    private final WindowStatsBolt bolt = new WindowStatsBolt(SPEC);
    private final TestTopology topology = new TestTopology()
            .component("panes", 1, Map.of(Schema.PANES_STREAM, Schema.PANE_FIELDS))
            .bolt("windows", 1, bolt, stream("panes", Schema.PANES_STREAM));
    private final RecordingOutputCollector output = new RecordingOutputCollector();

    private static Pane pane(long end, int records, long late) {
        LogStats stats = new LogStats();
        for (int i = 0; i < records; i++) {
            stats.add(Records.at(end - 1 - i, "client" + i, "/p" + end));
        }
        return new Pane(end, stats, late);
    }

    private Tuple tuple(Pane pane) {
        return topology.tuple("panes", 0, Schema.PANES_STREAM, pane.end(), pane);
    }

    private void execute(long windowEnd, Pane... panes) {
        List<Tuple> tuples = new ArrayList<>();
        for (Pane pane : panes) {
            tuples.add(tuple(pane));
        }
        bolt.execute(new TupleWindowImpl(tuples, tuples, List.of(), windowEnd - SPEC.lengthMillis(), windowEnd));
    }

    @Test
    void configuresAnEventTimeWindowOverThePaneEnd() {
        assertThat(bolt.getComponentConfiguration())
                .containsEntry(Config.TOPOLOGY_BOLTS_WINDOW_LENGTH_DURATION_MS, 30_000)
                .containsEntry(Config.TOPOLOGY_BOLTS_SLIDING_INTERVAL_DURATION_MS, 10_000)
                .containsEntry(Config.TOPOLOGY_BOLTS_TUPLE_TIMESTAMP_MAX_LAG_MS, 0)
                .containsEntry(Config.TOPOLOGY_BOLTS_WATERMARK_EVENT_INTERVAL_MS, WindowStatsBolt.WATERMARK_INTERVAL_MILLIS);
        assertThat(bolt.getTimestampExtractor().extractTimestamp(tuple(pane(40_000, 1, 0)))).isEqualTo(40_000);
    }

    @Test
    void mergesTheWindowsPanes() {
        bolt.prepare(topology.conf(), topology.context("windows", 0), output.collector());
        Pane first = pane(20_000, 2, 1);
        Pane second = pane(30_000, 1, 0);
        second.stats().reject(RejectReason.BINARY);

        execute(30_000, first, second);

        WindowResult expected = WindowResult.merge(30_000, 30_000, List.of(first, second));
        assertThat(expected.stats().records()).isEqualTo(3);
        assertThat(output.emits()).singleElement().satisfies(emit -> {
            assertThat(emit.stream()).isEqualTo(Schema.WINDOWS_STREAM);
            assertThat(emit.values()).containsExactly(new WindowResult(0, 30_000, expected.stats(), 1));
        });
    }

    @Test
    void aWindowWithTheMarkerEmitsItsResultThenEndOfInput() {
        bolt.prepare(topology.conf(), topology.context("windows", 0), output.collector());

        execute(50_000, pane(30_000, 1, 0), Pane.endOfInputMarker(50_000));

        assertThat(output.streams()).containsExactly(Schema.WINDOWS_STREAM, Schema.END_OF_INPUT_STREAM);
        assertThat(output.emits(Schema.END_OF_INPUT_STREAM).get(0).values()).containsExactly("windows");
    }

    @Test
    void aWindowWithOnlyTheMarkerEmitsOnlyEndOfInput() {
        bolt.prepare(topology.conf(), topology.context("windows", 0), output.collector());

        execute(60_000, Pane.endOfInputMarker(60_000));

        assertThat(output.streams()).containsExactly(Schema.END_OF_INPUT_STREAM);
    }

    @Test
    void stormRefusesAMessageTimeoutShorterThanLengthPlusSlide() {
        Map<String, Object> conf = topology.conf();
        conf.putAll(bolt.getComponentConfiguration());
        conf.put(Config.TOPOLOGY_MESSAGE_TIMEOUT_SECS, WindowStatsBolt.minMessageTimeoutSecs(SPEC) - 1);

        assertThat(WindowStatsBolt.minMessageTimeoutSecs(SPEC)).isEqualTo(40);
        assertThatThrownBy(() -> new WindowedBoltExecutor(bolt).prepare(conf, topology.context("windows", 0), output.collector()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topology.message.timeout.secs");
    }

    /**
     * Storm's own window executor over the pane bolt's output: windows are {@code (E − 30s, E]} at every
     * 10 s end that holds a pane, and the marker at {@code last pane + length} fires the last windows and
     * then end of input, exactly once.
     */
    @Test
    void stormsWindowExecutorFiresEveryWindowThenEndOfInput() {
        Map<String, Object> conf = topology.conf();
        conf.putAll(bolt.getComponentConfiguration());
        conf.put(Config.TOPOLOGY_MESSAGE_TIMEOUT_SECS, WindowStatsBolt.minMessageTimeoutSecs(SPEC));
        WindowedBoltExecutor executor = new WindowedBoltExecutor(bolt);
        executor.prepare(conf, topology.context("windows", 0), output.collector());
        try {
            Pane p10 = pane(10_000, 1, 0);
            Pane p20 = pane(20_000, 2, 0);
            Pane p50 = pane(50_000, 4, 1);
            for (Pane pane : List.of(p10, p20, p50, Pane.endOfInputMarker(80_000))) {
                executor.execute(tuple(pane));
            }

            await().atMost(Duration.ofSeconds(10)).until(() -> !output.emits(Schema.END_OF_INPUT_STREAM).isEmpty());

            assertThat(output.emits(Schema.WINDOWS_STREAM)).extracting(e -> (WindowResult) e.values().get(0))
                    .extracting(w -> w.end() / 1000, w -> w.stats().records(), WindowResult::late)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(10L, 1L, 0L),
                            org.assertj.core.groups.Tuple.tuple(20L, 3L, 0L),
                            org.assertj.core.groups.Tuple.tuple(30L, 3L, 0L),   // (0, 30]: panes 10 and 20
                            org.assertj.core.groups.Tuple.tuple(40L, 2L, 0L),   // (10, 40]: pane 20 only
                            org.assertj.core.groups.Tuple.tuple(50L, 4L, 1L),   // (20, 50]: pane 20 excluded
                            org.assertj.core.groups.Tuple.tuple(60L, 4L, 1L),
                            org.assertj.core.groups.Tuple.tuple(70L, 4L, 1L));
            assertThat(output.streams().get(output.streams().size() - 1)).isEqualTo(Schema.END_OF_INPUT_STREAM);
            assertThat(output.emits(Schema.END_OF_INPUT_STREAM)).hasSize(1);
        } finally {
            executor.cleanup();
        }
    }
}
