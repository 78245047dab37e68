package io.stormwatch.storm.bolt;

import static io.stormwatch.testing.TestTopology.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.sink.LateLine;
import io.stormwatch.storm.sink.Result;
import io.stormwatch.testing.Blocks;
import io.stormwatch.testing.EventJob;
import io.stormwatch.testing.RecordingOutputCollector;
import io.stormwatch.testing.TestTopology;
import java.util.List;
import java.util.Map;
import org.apache.storm.state.InMemoryKeyValueState;
import org.apache.storm.topology.base.BaseWindowedBolt.Duration;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * {@link WindowBolt} with real tuples: blocks of one spout task coming through two parse tasks out of order
 * still give their windows in order, each as soon as its watermark passes; late lines; end of input; Storm's
 * window vocabulary.
 */
class WindowBoltTest {

    private final EventJob job = new EventJob();

    private TestTopology topology(WindowBolt bolt) {
        return new TestTopology()
                .component("source", 1, Map.of(Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS,
                        Schema.RETIRED_STREAM, Schema.RETIRED_FIELDS))
                .component("parse", 2, Map.of(Utils.DEFAULT_STREAM_ID, Schema.PANES_FIELDS))
                .bolt("windows", 1, bolt, stream("parse", Utils.DEFAULT_STREAM_ID),
                        stream("source", Schema.END_OF_INPUT_STREAM), stream("source", Schema.RETIRED_STREAM));
    }

    /** 10 s windows sliding by 10 s, no lag, event time, late lines on "late". */
    private WindowBolt eventTimeBolt() {
        return WindowBolt.of(job, Blocks.WINDOW, true).withLateTupleStream(Schema.LATE_STREAM);
    }

    private static Tuple block(TestTopology topology, int parseTask, BlockPanes panes) {
        return topology.tuple("parse", parseTask, Utils.DEFAULT_STREAM_ID, panes, panes.source(), panes.offset(),
                panes.nextOffset());
    }

    private static List<Result> windows(RecordingOutputCollector output) {
        return output.emits(Schema.WINDOWS_STREAM).stream()
                .flatMap(e -> java.util.Arrays.stream((Result[]) e.values().get(0))).toList();
    }

    @Test
    void windowsComeInOrderAsSoonAsTheWatermarkPassesThemWhateverParseTaskBlocksTook() {
        WindowBolt bolt = eventTimeBolt();
        TestTopology topology = topology(bolt);
        RecordingOutputCollector output = new RecordingOutputCollector();
        bolt.prepare(topology.conf(), topology.context("windows", 0), output.collector());
        int channel = topology.tasks("source").get(0);
        // Lines 0..29 (T0 + 0.5 s .. T0 + 29.5 s) in three blocks, a pane each; the third arrives first.
        Tuple third = block(topology, 1, Blocks.panes(channel, "a", 20, 10, 2));
        Tuple first = block(topology, 0, Blocks.panes(channel, "a", 0, 10, 0));
        Tuple second = block(topology, 0, Blocks.panes(channel, "a", 10, 10, 1));

        bolt.execute(third);
        assertThat(windows(output)).as("block 2 waits for blocks 0 and 1").isEmpty();
        assertThat(output.acked()).as("a block is acked once it is in the windows").isEmpty();
        bolt.execute(first);
        assertThat(windows(output)).as("watermark T0 + 9.5 s: nothing closed").isEmpty();
        bolt.execute(second);

        List<Result> windows = windows(output);
        assertThat(windows).extracting(Result::windowEnd)
                .containsExactly(Blocks.T0 + 10_000, Blocks.T0 + 20_000);
        assertThat(windows.get(0).json()).isEqualTo(
                job.views().windowJson(Blocks.T0, Blocks.T0 + 10_000, Blocks.tally(0, 10), 0).toString());
        assertThat(windows.get(1).json()).isEqualTo(
                job.views().windowJsonText(Blocks.T0 + 10_000, Blocks.T0 + 20_000, Blocks.tally(10, 10), 0));
        assertThat(output.emits(Schema.WINDOWS_STREAM)).as("the windows one input made due travel together")
                .hasSize(1).allSatisfy(e -> assertThat(e.anchors()).containsExactly(second));
        assertThat(output.acked()).as("in its channel's order").containsExactly(first, second, third);
    }

    @Test
    void lateLinesAreCountedInTheNextWindowAndEmittedOnTheLateStream() {
        WindowBolt bolt = eventTimeBolt();
        TestTopology topology = topology(bolt);
        RecordingOutputCollector output = new RecordingOutputCollector();
        bolt.prepare(topology.conf(), topology.context("windows", 0), output.collector());
        int channel = topology.tasks("source").get(0);
        bolt.execute(block(topology, 0, Blocks.panes(channel, "a", 20, 1, 0)));
        // Line 3 (T0 + 3.5 s) after line 20: its pane (T0, T0 + 10 s] closed when the watermark reached T0 + 20.5 s.
        Tuple late = block(topology, 0, Blocks.panes(channel, "a", 3, 1, 1));
        bolt.execute(late);
        bolt.execute(topology.tuple("source", 0, Schema.END_OF_INPUT_STREAM, "source", ""));

        List<RecordingOutputCollector.Emit> lateEmits = output.emits(Schema.LATE_STREAM);
        assertThat(lateEmits).hasSize(1);
        assertThat(lateEmits.get(0).anchors()).containsExactly(late);
        assertThat((LateLine[]) lateEmits.get(0).values().get(0)).containsExactly(
                new LateLine("a", 3 * Blocks.LINE_BYTES, Blocks.time(3), Blocks.T0 + 30_000));
        assertThat(windows(output)).extracting(Result::windowEnd, Result::late)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Blocks.T0 + 30_000, 1L));
        assertThat(output.streams()).endsWith(Schema.END_OF_INPUT_STREAM);
    }

    @Test
    void aRetiredSourceIsAckedAndRecordedInTheStateToBeForgotten() {
        WindowBolt bolt = eventTimeBolt();
        TestTopology topology = topology(bolt);
        RecordingOutputCollector output = new RecordingOutputCollector();
        bolt.prepare(topology.conf(), topology.context("windows", 0), output.collector());
        InMemoryKeyValueState<String, Object> state = new InMemoryKeyValueState<>();
        bolt.initState(state);
        int channel = topology.tasks("source").get(0);
        bolt.execute(block(topology, 0, Blocks.panes(channel, "a", 0, 10, 0)));
        bolt.prePrepare(1);
        assertThat(state.get("o:a")).isNotNull();

        Tuple retired = topology.tuple("source", 0, Schema.RETIRED_STREAM, "a");
        bolt.execute(retired);
        bolt.prePrepare(2);

        assertThat(output.acked()).contains(retired);
        assertThat(state.get("r:a")).as("when it was retired: forgotten %d ms later", WindowBolt.RETIRE_GRACE_MILLIS)
                .isNotNull();
    }

    @Test
    void endOfInputClosesTheLastWindowsThenForwardsIt() {
        WindowBolt bolt = eventTimeBolt();
        TestTopology topology = topology(bolt);
        RecordingOutputCollector output = new RecordingOutputCollector();
        bolt.prepare(topology.conf(), topology.context("windows", 0), output.collector());
        int channel = topology.tasks("source").get(0);
        bolt.execute(block(topology, 0, Blocks.panes(channel, "a", 0, 10, 0)));
        assertThat(windows(output)).isEmpty();

        Tuple end = topology.tuple("source", 0, Schema.END_OF_INPUT_STREAM, "source", "");
        bolt.execute(end);

        assertThat(windows(output)).extracting(Result::windowEnd).containsExactly(Blocks.T0 + 10_000);
        assertThat(output.streams()).containsExactly(Schema.WINDOWS_STREAM, Schema.END_OF_INPUT_STREAM);
        assertThat(output.emits()).allSatisfy(e -> assertThat(e.anchors()).containsExactly(end));
    }

    @Test
    void inProcessingTimeABlockCountsWhereItArrivesAndTicksCloseThePanes() {
        WindowSpec second = new WindowSpec(1_000, 1_000, 0);
        WindowBolt bolt = WindowBolt.of(job, second, false);
        TestTopology topology = topology(bolt);
        RecordingOutputCollector output = new RecordingOutputCollector();
        bolt.prepare(topology.conf(), topology.context("windows", 0), output.collector());
        bolt.execute(block(topology, 0, Blocks.panes(second, 1, "a", 0, 5, 0)));

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> {
            bolt.execute(topology.tick());
            return !windows(output).isEmpty();
        });
        Tally expected = Blocks.tally(0, 5);
        assertThat(windows(output).get(0).json()).contains(job.views().jsonText(expected).replaceAll("}$", ""));
        assertThat(windows(output).get(0).late()).isZero();
        assertThat(output.errors()).isEmpty();
    }

    @Test
    void blocksCutWithAnotherWindowAreReportedOnce() {
        WindowBolt bolt = WindowBolt.of(job, new WindowSpec(20_000, 20_000, 0), true);
        TestTopology topology = topology(bolt);
        RecordingOutputCollector output = new RecordingOutputCollector();
        bolt.prepare(topology.conf(), topology.context("windows", 0), output.collector());

        bolt.execute(block(topology, 0, Blocks.panes(1, "a", 0, 1, 0)));
        bolt.execute(block(topology, 0, Blocks.panes(1, "a", 1, 1, 1)));

        assertThat(output.errors()).hasSize(1);
        assertThat(output.errors().get(0)).hasMessageContaining("slide 10000 ms");
    }

    @Test
    void speaksStormsWindowVocabulary() {
        WindowBolt bolt = new WindowBolt(job)
                .withWindow(Duration.seconds(60), Duration.seconds(20))
                .withLag(Duration.seconds(5))
                .withTimestampField("time")
                .withLateTupleStream("too-late");
        assertThat(bolt.window()).isEqualTo(new WindowSpec(60_000, 20_000, 5_000));
        assertThat(bolt.eventTime()).isTrue();
        assertThat(bolt.withTime("processing").eventTime()).isFalse();
        assertThatThrownBy(() -> bolt.withTimestampField("created_at")).hasMessageContaining("'time'");
        assertThatThrownBy(() -> bolt.withWindow(Duration.seconds(30), Duration.seconds(20)))
                .hasMessageContaining("multiple of the slide");

        org.apache.storm.topology.OutputFieldsGetter declared = new org.apache.storm.topology.OutputFieldsGetter();
        bolt.declareOutputFields(declared);
        assertThat(declared.getFieldsDeclaration()).containsKeys(Schema.WINDOWS_STREAM, "too-late");
        assertThat(declared.getFieldsDeclaration().get("too-late").get_output_fields())
                .isEqualTo(new Fields(Schema.LATE).toList());
    }

    @Test
    void aJobWhoseLinesCarryNoTimeRefusesEventTime() {
        WindowBolt bolt = new WindowBolt(io.stormwatch.core.job.wordcount.WordCount.defaults());

        assertThat(bolt.withTime("processing").eventTime()).isFalse();
        assertThatThrownBy(() -> bolt.withTime("event")).hasMessageContaining("carry no time");
        assertThatThrownBy(() -> bolt.withTimestampField("time")).hasMessageContaining("carry no time");
    }
}
