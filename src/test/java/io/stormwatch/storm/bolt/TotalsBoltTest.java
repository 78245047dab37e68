package io.stormwatch.storm.bolt;

import static io.stormwatch.testing.TestTopology.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.sink.Result;
import io.stormwatch.testing.Blocks;
import io.stormwatch.testing.EventJob;
import io.stormwatch.testing.RecordingOutputCollector;
import io.stormwatch.testing.TestTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.storm.Config;
import org.apache.storm.spout.CheckPointState.Action;
import org.apache.storm.spout.CheckpointSpout;
import org.apache.storm.state.InMemoryKeyValueState;
import org.apache.storm.topology.StatefulBoltExecutor;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.Utils;
import org.junit.jupiter.api.Test;

/**
 * {@link TotalsBolt} with real tuples and Storm's key-value state: each block counted once per source range,
 * checkpoints that write only what changed, rollback and restart, end of input, and Storm's own executor
 * holding acks until the checkpoint commits.
 */
class TotalsBoltTest {

    /** Storm's in-memory state, recording the keys written. */
    static final class RecordingState extends InMemoryKeyValueState<String, Object> {
        final List<String> puts = new ArrayList<>();
        final List<String> deletes = new ArrayList<>();

        @Override
        public void put(String key, Object value) {
            puts.add(key);
            super.put(key, value);
        }

        @Override
        public Object delete(String key) {
            deletes.add(key);
            return super.delete(key);
        }
    }

    private final TestTopology topology = new TestTopology()
            .component("source", 2, Map.of(Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS,
                    Schema.RETIRED_STREAM, Schema.RETIRED_FIELDS))
            .component("parse", 2, Map.of(Utils.DEFAULT_STREAM_ID, Schema.PANES_FIELDS))
            .component(CheckpointSpout.CHECKPOINT_COMPONENT_ID, 1, Map.of(CheckpointSpout.CHECKPOINT_STREAM_ID,
                    new Fields(CheckpointSpout.CHECKPOINT_FIELD_TXID, CheckpointSpout.CHECKPOINT_FIELD_ACTION)))
            .bolt("totals", 1, new TotalsBolt(new EventJob()), stream("parse", Utils.DEFAULT_STREAM_ID),
                    stream("source", Schema.END_OF_INPUT_STREAM), stream("source", Schema.RETIRED_STREAM),
                    stream(CheckpointSpout.CHECKPOINT_COMPONENT_ID, CheckpointSpout.CHECKPOINT_STREAM_ID));
    private final RecordingState state = new RecordingState();
    private final RecordingOutputCollector output = new RecordingOutputCollector();
    private final EventJob job = new EventJob();

    private TotalsBolt started() {
        return started(new TotalsBolt(job));
    }

    /** The bolt's render clock: each reading advances it by {@link #clockStepNanos}. */
    private final AtomicLong clockNanos = new AtomicLong();
    private long clockStepNanos;

    private TotalsBolt started(TotalsBolt bolt) {
        bolt.prepare(topology.conf(), topology.context("totals", 0), output.collector());
        bolt.useNanoClock(() -> clockNanos.addAndGet(clockStepNanos));
        bolt.initState(state);
        return bolt;
    }

    /** Lines {@code [first, first + count)} of {@code source} as one block from parse task 0. */
    private Tuple block(String source, long first, int count) {
        BlockPanes panes = Blocks.panes(1, source, first, count, first);
        return topology.tuple("parse", 0, Utils.DEFAULT_STREAM_ID, panes, source, panes.offset(), panes.nextOffset());
    }

    private Tuple endOfInput(int sourceTask) {
        return topology.tuple("source", sourceTask, Schema.END_OF_INPUT_STREAM, "source", "");
    }

    private Result lastTotals() {
        List<RecordingOutputCollector.Emit> totals = output.emits(Schema.TOTALS_STREAM);
        return (Result) totals.get(totals.size() - 1).values().get(0);
    }

    /** The rendered totals of these tallies. */
    private String json(Tally... tallies) {
        Tally sum = EventJob.SCHEMA.newTally();
        for (Tally tally : tallies) {
            sum.merge(tally);
        }
        return job.views().json(sum).toString();
    }

    private void commit(TotalsBolt bolt, long txid) {
        bolt.prePrepare(txid);
        state.prepareCommit(txid);
        state.commit(txid);
    }

    @Test
    void countsEveryBlockOncePerSourceAndRange() {
        TotalsBolt bolt = started();
        List<Tuple> inputs = List.of(block("a", 0, 5), block("a", 5, 2), block("b", 0, 3), block("a", 5, 2),
                block("a", 0, 5));

        inputs.forEach(bolt::execute);
        bolt.execute(topology.tick());

        assertThat(lastTotals().json()).isEqualTo(json(Blocks.tally(0, 7), Blocks.tally(0, 3)));
        assertThat(output.acked()).as("replays are skipped but acked").containsAll(inputs);
        assertThat(output.failed()).isEmpty();
    }

    @Test
    void aBlockPartlyCountedIsFailedSoItsLinesComeAgainOneByOne() {
        TotalsBolt bolt = started();
        bolt.execute(block("a", 0, 4));
        Tuple straddling = block("a", 2, 4);

        bolt.execute(straddling);
        assertThat(output.failed()).containsExactly(straddling);

        List<Tuple> lines = List.of(block("a", 2, 1), block("a", 3, 1), block("a", 4, 1), block("a", 5, 1));
        lines.forEach(bolt::execute);
        bolt.execute(topology.tick());
        assertThat(lastTotals().json()).as("lines 0-5, each once").isEqualTo(json(Blocks.tally(0, 6)));
        assertThat(output.acked()).containsAll(lines);
    }

    @Test
    void ticksEmitAnchoredRenderedTotalsOnlyWhenSomethingChanged() {
        TotalsBolt bolt = started();
        assertThat(bolt.getComponentConfiguration()).containsEntry(Config.TOPOLOGY_TICK_TUPLE_FREQ_SECS, 1);
        Tuple firstTick = topology.tick();
        bolt.execute(firstTick);
        bolt.execute(topology.tick());
        assertThat(output.emits(Schema.TOTALS_STREAM)).as("the restored totals once, then nothing new").hasSize(1);

        bolt.execute(block("a", 0, 2));
        Tuple tick = topology.tick();
        bolt.execute(tick);
        bolt.execute(block("a", 2, 1));

        List<RecordingOutputCollector.Emit> totals = output.emits(Schema.TOTALS_STREAM);
        assertThat(totals).hasSize(2);
        assertThat(totals.get(0).anchors()).containsExactly(firstTick);
        assertThat(totals.get(1).anchors()).containsExactly(tick);
        Result result = (Result) totals.get(1).values().get(0);
        assertThat(result.json()).isEqualTo(json(Blocks.tally(0, 2)));
        assertThat(result.isFinal()).isFalse();
        assertThat(result.json()).isEqualTo(job.views().jsonText(Blocks.tally(0, 2)));
    }

    @Test
    void ticksSkipRenderingWhileTheLastRenderingTookMoreThanItsShareOfTheTime() {
        TotalsBolt bolt = started();
        clockStepNanos = 10_000_000; // every clock reading 10 ms later: a rendering takes 10 ms
        bolt.execute(topology.tick());
        bolt.execute(block("a", 0, 2));
        bolt.execute(topology.tick());
        assertThat(output.emits(Schema.TOTALS_STREAM))
                .as("20 ms after a 10 ms rendering: not yet (5 %% allows one per 200 ms)").hasSize(1);

        clockNanos.addAndGet(200_000_000);
        bolt.execute(topology.tick());
        assertThat(output.emits(Schema.TOTALS_STREAM)).as("200 ms later: due").hasSize(2);
        assertThat(((Result) output.emits(Schema.TOTALS_STREAM).get(1).values().get(0)).json())
                .isEqualTo(json(Blocks.tally(0, 2)));
    }

    @Test
    void aCheckpointWritesOnlyTheKeysAndSourcesThatChanged() {
        TotalsBolt bolt = started();
        bolt.execute(block("a", 0, 3));
        bolt.execute(block("b", 0, 3));
        bolt.prePrepare(1);
        assertThat(state.puts).containsExactlyInAnyOrder("t", "t1:k0", "t1:k1", "t1:k2", "o:a", "o:b");

        state.puts.clear();
        bolt.execute(block("a", 3, 1));
        bolt.prePrepare(2);
        assertThat(state.puts).as("line 3 has key k0").containsExactlyInAnyOrder("t", "t1:k0", "o:a");
        assertThat(state.get("t1:k0")).isEqualTo(3L);

        state.puts.clear();
        bolt.prePrepare(3);
        assertThat(state.puts).as("nothing changed").isEmpty();
    }

    @Test
    void consecutiveBlocksOfASourceCommitAsOneRange() {
        TotalsBolt bolt = started();
        for (int first = 0; first < 10_000; first += 100) {
            bolt.execute(block("a", first, 100));
        }
        bolt.prePrepare(1);
        assertThat(state.get("o:a")).hasToString("{[0, " + 10_000 * Blocks.LINE_BYTES + ")}");
    }

    @Test
    void aRollbackReturnsToTheLastCommitSoReplaysCountAgain() {
        TotalsBolt bolt = started();
        bolt.execute(block("a", 0, 2));
        commit(bolt, 1);

        bolt.execute(block("a", 2, 2));
        bolt.prePrepare(2);
        state.prepareCommit(2);
        bolt.preRollback();
        state.rollback();

        bolt.execute(block("a", 0, 2));
        bolt.execute(block("a", 2, 2));
        bolt.execute(topology.tick());

        assertThat(lastTotals().json()).as("a@0 was committed, a@2 was rolled back and replayed")
                .isEqualTo(json(Blocks.tally(0, 4)));
    }

    @Test
    void aRestartedBoltRestoresTheCommittedTotalsAndSkipsReplays() {
        TotalsBolt first = started();
        first.execute(block("a", 0, 3));
        commit(first, 1);

        TotalsBolt second = started();
        second.execute(block("a", 0, 3));
        second.execute(block("a", 3, 2));
        second.execute(topology.tick());

        assertThat(lastTotals().json()).isEqualTo(json(Blocks.tally(0, 5)));
    }

    @Test
    void aRetiredSourceIsForgottenAfterTheGracePeriod() {
        TotalsBolt bolt = started(new TotalsBolt(job, 1, 0));
        bolt.execute(block("a", 0, 3));
        commit(bolt, 1);
        assertThat(state.get("o:a")).isNotNull();

        bolt.execute(topology.tuple("source", 0, Schema.RETIRED_STREAM, "a"));
        commit(bolt, 2);

        assertThat(state.deletes).containsExactlyInAnyOrder("o:a", "r:a");
        assertThat(state.get("o:a")).isNull();
        assertThat(state.get("t1:k0")).as("the counts stay").isEqualTo(1L);
    }

    @Test
    void endOfInputFromEverySpoutTaskEmitsFinalTotalsThenForwardsIt() {
        TotalsBolt bolt = started();
        bolt.execute(block("a", 0, 2));
        output.clear();

        Tuple first = endOfInput(0);
        bolt.execute(first);
        assertThat(output.emits()).isEmpty();
        Tuple last = endOfInput(1);
        bolt.execute(last);

        assertThat(output.streams()).containsExactly(Schema.TOTALS_STREAM, Schema.END_OF_INPUT_STREAM);
        assertThat(lastTotals().isFinal()).isTrue();
        assertThat(lastTotals().json()).isEqualTo(json(Blocks.tally(0, 2)));
        assertThat(output.emits()).allSatisfy(emit -> assertThat(emit.anchors()).containsExactly(last));
        assertThat(output.acked()).containsExactly(first, last);
    }

    /**
     * Through Storm's own stateful executor: input acks are held back until the checkpoint that covers
     * them commits, and a rollback fails them instead (so the spout replays them).
     */
    @Test
    void stormAcksInputsOnlyAfterTheirCheckpointCommits() {
        StatefulBoltExecutor<?> executor = new StatefulBoltExecutor<>(new TotalsBolt(job));
        executor.prepare(topology.conf(), topology.context("totals", 0), output.collector());
        executor.execute(checkpoint(0, Action.INITSTATE));

        Tuple a0 = block("a", 0, 2);
        Tuple a2 = block("a", 2, 2);
        executor.execute(a0);
        executor.execute(a2);
        assertThat(output.acked()).doesNotContain(a0, a2);

        executor.execute(checkpoint(1, Action.PREPARE));
        assertThat(output.acked()).doesNotContain(a0, a2);
        executor.execute(checkpoint(1, Action.COMMIT));
        assertThat(output.acked()).contains(a0, a2);

        Tuple a4 = block("a", 4, 1);
        executor.execute(a4);
        executor.execute(checkpoint(2, Action.PREPARE));
        executor.execute(checkpoint(2, Action.ROLLBACK));
        assertThat(output.failed()).containsExactly(a4);

        executor.execute(endOfInput(0));
        executor.execute(endOfInput(1));
        assertThat(lastTotals().json()).isEqualTo(json(Blocks.tally(0, 4)));
        assertThat(lastTotals().isFinal()).isTrue();
        assertThat(output.errors()).isEmpty();
    }

    private Tuple checkpoint(long txid, Action action) {
        return topology.tuple(CheckpointSpout.CHECKPOINT_COMPONENT_ID, 0, CheckpointSpout.CHECKPOINT_STREAM_ID, txid, action);
    }
}
