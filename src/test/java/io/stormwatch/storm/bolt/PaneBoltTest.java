package io.stormwatch.storm.bolt;

import static io.stormwatch.testing.TestTopology.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.window.Pane;
import io.stormwatch.core.window.TimeMode;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.Schema;
import io.stormwatch.testing.ManualClock;
import io.stormwatch.testing.RecordingOutputCollector;
import io.stormwatch.testing.RecordingOutputCollector.Emit;
import io.stormwatch.testing.Records;
import io.stormwatch.testing.TestTopology;
import java.util.List;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.Utils;
import org.junit.jupiter.api.Test;

class PaneBoltTest {

    private static final WindowSpec SPEC = WindowSpec.parse("20s", "10s", "0s");

    private final ManualClock clock = new ManualClock(0);
    private final RecordingOutputCollector output = new RecordingOutputCollector();
    private TestTopology topology;
    private PaneBolt bolt;

    private void start(TimeMode mode) {
        bolt = new PaneBolt(SPEC, mode, clock);
        topology = new TestTopology()
                .bolt("parse", 2, new ParseBolt("combined", 100))
                .bolt("panes", 1, bolt, stream("parse", Utils.DEFAULT_STREAM_ID), stream("parse", Schema.REJECTED_STREAM),
                        stream("parse", Schema.END_OF_INPUT_STREAM));
        bolt.prepare(topology.conf(), topology.context("panes", 0), output.collector());
    }

    /** The parsed line at {@code offset}, each line 100 bytes long. */
    private Tuple record(LogRecord record, long offset) {
        return topology.tuple("parse", 0, Utils.DEFAULT_STREAM_ID, record, "access.log", offset, offset + 100);
    }

    private Tuple rejected(long offset) {
        return topology.tuple("parse", 1, Schema.REJECTED_STREAM, "truncated", "cut", "127.0.0.1 - -", "access.log",
                offset, offset + 100);
    }

    private Tuple endOfInput(int parseTask) {
        return topology.tuple("parse", parseTask, Schema.END_OF_INPUT_STREAM, "parse");
    }

    @Test
    void eventTimeSendsLateRecordsAtOnceAndClosedPanesWithTheNextTick() {
        start(TimeMode.EVENT);
        Tuple a = record(Records.at(5_000), 0);
        Tuple b = record(Records.at(12_000), 100);
        Tuple late = record(Records.at(3_000), 200);

        bolt.execute(a);
        bolt.execute(b);
        bolt.execute(late);
        assertThat(output.emits()).containsExactly(
                new Emit(Schema.LATE_STREAM, List.of(late), List.of(Records.at(3_000), "access.log", 200L, 300L)));

        Tuple tick = topology.tick();
        bolt.execute(tick);
        assertThat(output.emits(Schema.PANES_STREAM)).containsExactly(
                new Emit(Schema.PANES_STREAM, List.of(tick), List.of(10_000L, new Pane(10_000, new LogStats().add(Records.at(5_000)), 0))));
        assertThat(output.acked()).containsExactly(a, b, late, tick);
    }

    @Test
    void eventTimeLeavesRejectedLinesOutOfPanes() {
        start(TimeMode.EVENT);
        Tuple line = rejected(0);

        bolt.execute(line);
        bolt.execute(endOfInput(0));
        bolt.execute(endOfInput(1));

        assertThat(output.emits(Schema.PANES_STREAM)).extracting(e -> ((Pane) e.values().get(1)).endOfInput()).containsExactly(true);
        assertThat(output.acked()).contains(line);
    }

    @Test
    void processingTimeUsesTheClockAndTicksClosePanes() {
        start(TimeMode.PROCESSING);

        clock.set(1_000);
        bolt.execute(record(Records.at(999_999_000), 0));
        clock.set(3_000);
        bolt.execute(rejected(100));
        clock.set(9_999);
        bolt.execute(topology.tick());
        assertThat(output.emits()).isEmpty();

        clock.set(10_000);
        Tuple tick = topology.tick();
        bolt.execute(tick);

        LogStats expected = new LogStats().add(Records.at(999_999_000)).reject(RejectReason.TRUNCATED);
        assertThat(output.emits()).containsExactly(
                new Emit(Schema.PANES_STREAM, List.of(tick), List.of(10_000L, new Pane(10_000, expected, 0))));
        assertThat(output.acked()).hasSize(4);
    }

    @Test
    void bothClocksTickEverySecondToCarryClosedPanes() {
        for (TimeMode mode : TimeMode.values()) {
            start(mode);
            assertThat(bolt.getComponentConfiguration()).containsEntry(Config.TOPOLOGY_TICK_TUPLE_FREQ_SECS, 1);
        }
    }

    @Test
    void endOfInputFromEveryUpstreamTaskClosesAllPanesThenMarksTheEndThenForwards() {
        start(TimeMode.EVENT);
        bolt.execute(record(Records.at(5_000), 0));
        bolt.execute(record(Records.at(25_000), 100));
        bolt.execute(record(Records.at(29_000), 200));
        assertThat(output.emits()).as("closed panes wait for a tick or the end").isEmpty();

        bolt.execute(endOfInput(0));
        assertThat(output.emits()).as("one parse task of two has finished").isEmpty();
        Tuple last = endOfInput(1);
        bolt.execute(last);

        assertThat(output.streams()).containsExactly(
                Schema.PANES_STREAM, Schema.PANES_STREAM, Schema.PANES_STREAM, Schema.END_OF_INPUT_STREAM);
        List<Emit> panes = output.emits(Schema.PANES_STREAM);
        assertThat(panes.get(0).values().get(1)).isEqualTo(new Pane(10_000, new LogStats().add(Records.at(5_000)), 0));
        assertThat(panes.get(1).values().get(1)).isEqualTo(
                new Pane(30_000, new LogStats().add(Records.at(25_000)).add(Records.at(29_000)), 0));
        assertThat(panes.get(2).values()).containsExactly(50_000L, Pane.endOfInputMarker(50_000));
        assertThat(output.emits()).as("Storm refuses unanchored emits in a stateful topology")
                .allSatisfy(e -> assertThat(e.anchors()).containsExactly(last));
    }

    @Test
    void withoutAnyDataTheMarkerSitsOneWindowAfterTheEpoch() {
        start(TimeMode.EVENT);

        bolt.execute(endOfInput(0));
        Tuple last = endOfInput(1);
        bolt.execute(last);

        assertThat(output.emits()).containsExactly(
                new Emit(Schema.PANES_STREAM, List.of(last), List.of(20_000L, Pane.endOfInputMarker(20_000))),
                new Emit(Schema.END_OF_INPUT_STREAM, List.of(last), List.of("panes")));
    }
}
