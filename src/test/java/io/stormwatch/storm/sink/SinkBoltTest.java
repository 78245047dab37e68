package io.stormwatch.storm.sink;

import static io.stormwatch.testing.TestTopology.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.window.TimeMode;
import io.stormwatch.core.window.WindowResult;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.bolt.PaneBolt;
import io.stormwatch.storm.bolt.ParseBolt;
import io.stormwatch.storm.bolt.RunningTotalsBolt;
import io.stormwatch.storm.bolt.WindowStatsBolt;
import io.stormwatch.testing.RecordingOutputCollector;
import io.stormwatch.testing.Records;
import io.stormwatch.testing.TestTopology;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.tuple.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SinkBoltTest {

    /** A sink that records the calls it gets, and can be told to fail. */
    static final class RecordingSink implements StatsSink {
        final List<String> calls = new ArrayList<>();
        boolean failing;

        @Override
        public void open(Map<String, Object> topoConf, TopologyContext context) {
            calls.add("open");
        }

        @Override
        public void window(WindowResult window) throws IOException {
            if (failing) {
                throw new IOException("disk full");
            }
            calls.add("window " + window.end());
        }

        @Override
        public void totals(LogStats totals, boolean isFinal) {
            calls.add("totals " + totals.records() + (isFinal ? " final" : ""));
        }

        @Override
        public void rejected(DeadLetter deadLetter) {
            calls.add("rejected " + deadLetter);
        }

        @Override
        public void late(LateRecord late) {
            calls.add("late " + late.source() + "@" + late.offset());
        }

        @Override
        public void flush() {
            calls.add("flush");
        }

        @Override
        public void endOfInput() {
            calls.add("end of input");
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    private static final WindowSpec SPEC = WindowSpec.parse("20s", "10s", "0s");

    private final RecordingSink sink = new RecordingSink();
    private final SinkBolt bolt = new SinkBolt(sink);
    private final TestTopology topology = new TestTopology()
            .bolt("parse", 1, new ParseBolt("combined", 100))
            .bolt("panes", 1, new PaneBolt(SPEC, TimeMode.EVENT))
            .bolt("windows", 1, new WindowStatsBolt(SPEC))
            .bolt("totals", 1, new RunningTotalsBolt())
            .bolt("sink", 1, bolt,
                    stream("windows", Schema.WINDOWS_STREAM), stream("windows", Schema.END_OF_INPUT_STREAM),
                    stream("totals", Schema.TOTALS_STREAM), stream("totals", Schema.END_OF_INPUT_STREAM),
                    stream("parse", Schema.REJECTED_STREAM), stream("parse", Schema.END_OF_INPUT_STREAM),
                    stream("panes", Schema.LATE_STREAM), stream("panes", Schema.END_OF_INPUT_STREAM));
    private final RecordingOutputCollector output = new RecordingOutputCollector();

    @BeforeEach
    void prepare() {
        bolt.prepare(topology.conf(), topology.context("sink", 0), output.collector());
    }

    @Test
    void deliversEachStreamToTheSinkAndEndOfInputOnceAllUpstreamsFinished() {
        List<Tuple> inputs = List.of(
                topology.tuple("windows", 0, Schema.WINDOWS_STREAM, new WindowResult(0, 20_000, new LogStats(), 0)),
                topology.tuple("totals", 0, Schema.TOTALS_STREAM, new LogStats().add(Records.at(1)), false),
                topology.tuple("parse", 0, Schema.REJECTED_STREAM, RejectReason.EMPTY.key(), "blank", "", "a.log", 3L, 4L),
                topology.tuple("panes", 0, Schema.LATE_STREAM, Records.at(5), "a.log", 4L, 5L),
                topology.tick(),
                topology.tuple("parse", 0, Schema.END_OF_INPUT_STREAM, "parse"),
                topology.tuple("panes", 0, Schema.END_OF_INPUT_STREAM, "panes"),
                topology.tuple("windows", 0, Schema.END_OF_INPUT_STREAM, "windows"),
                topology.tuple("totals", 0, Schema.TOTALS_STREAM, new LogStats().add(Records.at(1)).add(Records.at(2)), true),
                topology.tuple("totals", 0, Schema.END_OF_INPUT_STREAM, "totals"));

        inputs.forEach(bolt::execute);
        bolt.cleanup();

        assertThat(sink.calls).containsExactly(
                "open",
                "window 20000",
                "totals 1",
                "rejected " + new DeadLetter("a.log", 3, "empty", "blank", ""),
                "late a.log@4",
                "flush",
                "totals 2 final",
                "end of input",
                "close");
        assertThat(output.acked()).containsExactlyElementsOf(inputs);
        assertThat(bolt.getComponentConfiguration()).containsEntry(Config.TOPOLOGY_TICK_TUPLE_FREQ_SECS, 1);
    }

    @Test
    void aSinkFailureFailsTheTupleAndTheBoltGoesOn() {
        sink.failing = true;
        Tuple window = topology.tuple("windows", 0, Schema.WINDOWS_STREAM, new WindowResult(0, 20_000, new LogStats(), 0));
        Tuple totals = topology.tuple("totals", 0, Schema.TOTALS_STREAM, new LogStats(), false);

        bolt.execute(window);
        bolt.execute(totals);

        assertThat(output.failed()).containsExactly(window);
        assertThat(output.errors()).singleElement().satisfies(e -> assertThat(e).hasMessage("disk full"));
        assertThat(output.acked()).containsExactly(totals);
    }
}
