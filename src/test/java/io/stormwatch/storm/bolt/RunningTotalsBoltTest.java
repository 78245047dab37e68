package io.stormwatch.storm.bolt;

import static io.stormwatch.testing.TestTopology.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.stats.LogStats;
import io.stormwatch.core.window.OffsetSet;
import io.stormwatch.storm.Schema;
import io.stormwatch.testing.RecordingOutputCollector;
import io.stormwatch.testing.Records;
import io.stormwatch.testing.TestTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.spout.CheckPointState.Action;
import org.apache.storm.spout.CheckpointSpout;
import org.apache.storm.state.InMemoryKeyValueState;
import org.apache.storm.topology.StatefulBoltExecutor;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.Utils;
import org.junit.jupiter.api.Test;

class RunningTotalsBoltTest {

    /** An in-memory state that also records which keys were put, to see what a checkpoint writes. */
    static final class RecordingState extends InMemoryKeyValueState<String, Object> {
        final List<String> puts = new ArrayList<>();

        @Override
        public void put(String key, Object value) {
            puts.add(key);
            super.put(key, value);
        }
    }

    private final TestTopology topology = new TestTopology()
            .bolt("parse", 2, new ParseBolt("combined", 100))
            .component(CheckpointSpout.CHECKPOINT_COMPONENT_ID, 1, Map.of(CheckpointSpout.CHECKPOINT_STREAM_ID,
                    new Fields(CheckpointSpout.CHECKPOINT_FIELD_TXID, CheckpointSpout.CHECKPOINT_FIELD_ACTION)))
            .bolt("totals", 1, new RunningTotalsBolt(), stream("parse", Utils.DEFAULT_STREAM_ID),
                    stream("parse", Schema.REJECTED_STREAM), stream("parse", Schema.END_OF_INPUT_STREAM),
                    stream(CheckpointSpout.CHECKPOINT_COMPONENT_ID, CheckpointSpout.CHECKPOINT_STREAM_ID));
    private final RecordingState state = new RecordingState();
    private final RecordingOutputCollector output = new RecordingOutputCollector();

    private RunningTotalsBolt started() {
        RunningTotalsBolt bolt = new RunningTotalsBolt();
        bolt.prepare(topology.conf(), topology.context("totals", 0), output.collector());
        bolt.initState(state);
        return bolt;
    }

    /** A line at {@code offset} that ends at {@code offset + 1}: offsets here count lines. */
    private Tuple record(String source, long offset, LogRecord record) {
        return topology.tuple("parse", 0, Utils.DEFAULT_STREAM_ID, record, source, offset, offset + 1);
    }

    private Tuple record(String source, long offset) {
        return record(source, offset, Records.at(1_000 + offset));
    }

    private Tuple rejected(String source, long offset, RejectReason reason) {
        return topology.tuple("parse", 1, Schema.REJECTED_STREAM, reason.key(), "detail", "line", source, offset,
                offset + 1);
    }

    private Tuple endOfInput(int parseTask) {
        return topology.tuple("parse", parseTask, Schema.END_OF_INPUT_STREAM, "parse");
    }

    private LogStats lastTotals() {
        List<RecordingOutputCollector.Emit> totals = output.emits(Schema.TOTALS_STREAM);
        return (LogStats) totals.get(totals.size() - 1).values().get(0);
    }

    private static LogStats statsOf(long... recordOffsets) {
        LogStats stats = new LogStats();
        for (long offset : recordOffsets) {
            stats.add(Records.at(1_000 + offset));
        }
        return stats;
    }

    @Test
    void countsEveryLineOncePerSourceAndOffset() {
        RunningTotalsBolt bolt = started();
        List<Tuple> inputs = List.of(record("a", 0), record("a", 1), rejected("a", 2, RejectReason.GLUED),
                record("b", 0), record("a", 1), rejected("a", 2, RejectReason.GLUED));

        inputs.forEach(bolt::execute);
        bolt.execute(topology.tick());

        assertThat(lastTotals()).isEqualTo(statsOf(0, 1, 0).reject(RejectReason.GLUED));
        assertThat(output.acked()).as("replays are skipped but acked").containsAll(inputs);
        assertThat(output.failed()).isEmpty();
    }

    @Test
    void ticksEmitAnchoredSnapshotsOnlyWhenSomethingChanged() {
        RunningTotalsBolt bolt = started();
        assertThat(bolt.getComponentConfiguration()).containsEntry(Config.TOPOLOGY_TICK_TUPLE_FREQ_SECS, 1);
        Tuple firstTick = topology.tick();
        bolt.execute(firstTick);
        bolt.execute(topology.tick());
        assertThat(output.emits(Schema.TOTALS_STREAM)).as("the restored totals once, then nothing new").hasSize(1);

        bolt.execute(record("a", 0));
        Tuple tick = topology.tick();
        bolt.execute(tick);
        bolt.execute(record("a", 1));

        List<RecordingOutputCollector.Emit> totals = output.emits(Schema.TOTALS_STREAM);
        assertThat(totals).hasSize(2);
        assertThat(totals.get(0).anchors()).containsExactly(firstTick);
        assertThat(totals.get(1).anchors()).containsExactly(tick);
        assertThat(totals.get(1).values()).containsExactly(statsOf(0), false);
    }

    @Test
    void aCheckpointWritesTheStatsAndOnlyTheSourcesThatChanged() {
        RunningTotalsBolt bolt = started();
        bolt.execute(record("a", 0));
        bolt.execute(record("b", 0));
        bolt.prePrepare(1);
        assertThat(state.puts).containsExactlyInAnyOrder("stats", "offsets/a", "offsets/b");

        state.puts.clear();
        bolt.execute(record("b", 1));
        bolt.execute(record("a", 0));
        bolt.prePrepare(2);
        assertThat(state.puts).containsExactlyInAnyOrder("stats", "offsets/b");

        state.puts.clear();
        bolt.execute(record("b", 1));
        bolt.prePrepare(3);
        assertThat(state.puts).as("a replay changes nothing").isEmpty();

        assertThat(state.get("stats")).isEqualTo(statsOf(0, 0, 1));
        OffsetSet b = new OffsetSet();
        b.add(0);
        b.add(1);
        assertThat(state.get("offsets/b")).isEqualTo(b);
    }

    @Test
    void aRollbackReturnsToTheLastCommitSoReplaysCountAgain() {
        RunningTotalsBolt bolt = started();
        bolt.execute(record("a", 0));
        bolt.prePrepare(1);
        state.prepareCommit(1);
        state.commit(1);

        bolt.execute(record("a", 1));
        bolt.prePrepare(2);
        state.prepareCommit(2);
        bolt.preRollback();
        state.rollback();

        bolt.execute(record("a", 0));
        bolt.execute(record("a", 1));
        bolt.execute(topology.tick());

        assertThat(lastTotals()).as("a@0 was committed, a@1 was rolled back and replayed").isEqualTo(statsOf(0, 1));
    }

    @Test
    void aRestartedBoltRestoresTheCommittedTotalsAndSkipsReplays() {
        RunningTotalsBolt first = started();
        first.execute(record("a", 0));
        first.execute(rejected("a", 1, RejectReason.EMPTY));
        first.prePrepare(1);
        state.prepareCommit(1);
        state.commit(1);

        RunningTotalsBolt second = started();
        second.execute(record("a", 0));
        second.execute(rejected("a", 1, RejectReason.EMPTY));
        second.execute(record("a", 2));
        second.execute(topology.tick());

        assertThat(lastTotals()).isEqualTo(statsOf(0, 2).reject(RejectReason.EMPTY));
    }

    @Test
    void endOfInputFromEveryParseTaskEmitsFinalTotalsThenForwardsIt() {
        RunningTotalsBolt bolt = started();
        bolt.execute(record("a", 0));
        output.clear();

        Tuple first = endOfInput(0);
        bolt.execute(first);
        assertThat(output.emits()).isEmpty();
        Tuple last = endOfInput(1);
        bolt.execute(last);

        assertThat(output.streams()).containsExactly(Schema.TOTALS_STREAM, Schema.END_OF_INPUT_STREAM);
        assertThat(output.emits(Schema.TOTALS_STREAM).get(0).values()).containsExactly(statsOf(0), true);
        assertThat(output.emits()).allSatisfy(emit -> assertThat(emit.anchors()).containsExactly(last));
        assertThat(output.acked()).containsExactly(first, last);
    }

    @Test
    void emittedTotalsAreSnapshots() {
        RunningTotalsBolt bolt = started();
        bolt.execute(record("a", 0));
        bolt.execute(topology.tick());
        LogStats emitted = lastTotals();

        bolt.execute(record("a", 1));

        assertThat(emitted).isEqualTo(statsOf(0));
    }

    /**
     * Through Storm's own stateful executor: input acks are held back until the checkpoint that covers
     * them commits, and a rollback fails them instead (so the spout replays them).
     */
    @Test
    void stormAcksInputsOnlyAfterTheirCheckpointCommits() {
        StatefulBoltExecutor<?> executor = new StatefulBoltExecutor<>(new RunningTotalsBolt());
        executor.prepare(topology.conf(), topology.context("totals", 0), output.collector());
        executor.execute(checkpoint(0, Action.INITSTATE));

        Tuple a0 = record("a", 0);
        Tuple a1 = record("a", 1);
        executor.execute(a0);
        executor.execute(a1);
        assertThat(output.acked()).doesNotContain(a0, a1);

        executor.execute(checkpoint(1, Action.PREPARE));
        assertThat(output.acked()).doesNotContain(a0, a1);
        executor.execute(checkpoint(1, Action.COMMIT));
        assertThat(output.acked()).contains(a0, a1);

        Tuple a2 = record("a", 2);
        executor.execute(a2);
        executor.execute(checkpoint(2, Action.PREPARE));
        executor.execute(checkpoint(2, Action.ROLLBACK));
        assertThat(output.failed()).containsExactly(a2);

        executor.execute(endOfInput(0));
        executor.execute(endOfInput(1));
        List<RecordingOutputCollector.Emit> totals = output.emits(Schema.TOTALS_STREAM);
        assertThat(totals.get(totals.size() - 1).values()).containsExactly(statsOf(0, 1), true);
        assertThat(output.errors()).isEmpty();
    }

    private Tuple checkpoint(long txid, Action action) {
        return topology.tuple(CheckpointSpout.CHECKPOINT_COMPONENT_ID, 0, CheckpointSpout.CHECKPOINT_STREAM_ID, txid, action);
    }
}
