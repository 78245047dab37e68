package io.stormwatch.storm.bolt;

import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Views;
import io.stormwatch.core.totals.RunningTotals;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.sink.Result;
import io.stormwatch.storm.topology.ExecutorWakeups;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.storm.Config;
import org.apache.storm.state.KeyValueState;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseStatefulBolt;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.tuple.Values;
import org.apache.storm.utils.TupleUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's all-time totals — every line, late ones and rejected ones included — each block counted once per
 * source range, kept in Storm's checkpointed {@link KeyValueState} key by key ({@link RunningTotals}: one
 * entry per counted key, so a checkpoint writes what changed since the previous one, not everything). The
 * same for every job. Run it with one task (the state's namespace is {@code componentId-taskId}: changing
 * the parallelism orphans it).
 *
 * <p><b>Guarantee</b> (from Storm 2.8's {@code StatefulBoltExecutor}): this bolt's acks are held back and
 * sent only after the checkpoint that covers them has committed; a rollback fails them instead. The counts
 * and the counted ranges commit together. Hence:
 * <ul>
 *   <li>a block the spout sees as acked is in the committed totals;</li>
 *   <li>a block processed but not committed is lost from the state by the rollback, and replayed by the
 *       spout (its tuple failed or timed out), so it is counted again exactly once;</li>
 *   <li>a block committed whose ack was lost is replayed too, but its range is counted: it is skipped and
 *       acked;</li>
 *   <li>a block partly counted (a restarted spout cut its blocks elsewhere) is failed, and the spout emits
 *       its lines again one by one, each then counted or skipped: exactly once per line.</li>
 * </ul>
 * So each line counts exactly once, provided a replayed line carries the same source and offsets (the
 * spouts' contract). A single line that partly overlaps counted lines breaks that contract; it is taken as
 * counted (counting it could only count a line twice) and reported at WARN once per source.
 *
 * <p>When a rollback happens Storm calls {@link #preRollback} before it rolls the state back, so the totals
 * are reloaded on the next tuple from the state as it is then (the last commit).
 *
 * <p><b>Output</b>, on {@link Schema#TOTALS_STREAM} ({@link Schema#RESULT_FIELDS}, rendered by the job's
 * views): on a tick every {@code emitIntervalSecs} seconds when something changed, skipping ticks while the
 * last rendering took more than {@value #RENDER_SHARE_PERCENT} % of the time since it (a million keys, whose
 * top-K and threshold views scan them all, slow the updates rather than the counting); and once more, final,
 * when every spout task has sent end of input — then {@link Schema#END_OF_INPUT_STREAM} is forwarded.
 * Because acks wait for commits and a spout sends end of input only after all its blocks are acked, the
 * final totals are also the committed ones. Emits are anchored (Storm refuses unanchored emits from stateful
 * bolts) to the tick or the end-of-input tuple, which are themselves unanchored.
 *
 * <p><b>Retired sources</b> ({@link Schema#RETIRED_STREAM} from the spout) are forgotten
 * {@code retireGraceSecs} after the spout says it will never emit them again.
 */
public final class TotalsBolt extends BaseStatefulBolt<KeyValueState<String, Object>> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TotalsBolt.class);
    /** The most of the bolt's time that rendering totals between the final ones may take. */
    static final int RENDER_SHARE_PERCENT = 5;

    private final Job<?> job;
    private final int emitIntervalSecs;
    private final long retireGraceSecs;
    private transient RunningTotals totals;
    private transient Views views;
    private transient KeyValueState<String, Object> state;
    private transient OutputCollector collector;
    private transient EndOfInputBarrier endOfInput;
    private transient String componentId;
    private transient boolean changedSinceEmit;
    private transient boolean reloadNeeded;
    private transient long repeats;
    private transient Set<String> partlyCountedSources;
    private transient long lastRenderStartNanos;
    private transient long lastRenderNanos;
    /** {@link System#nanoTime} but in tests: the render budget is measured by it. */
    private transient LongSupplier nanoClock;

    /** Emits totals every second when they changed; forgets retired sources after 10 minutes. */
    public TotalsBolt(Job<?> job) {
        this(job, 1, 600);
    }

    public TotalsBolt(Job<?> job, int emitIntervalSecs, long retireGraceSecs) {
        if (emitIntervalSecs < 1 || retireGraceSecs < 0) {
            throw new IllegalArgumentException("emit interval must be at least 1 s and the grace period >= 0");
        }
        this.job = job;
        this.emitIntervalSecs = emitIntervalSecs;
        this.retireGraceSecs = retireGraceSecs;
    }

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.collector = ExecutorWakeups.waking(collector, context);
        this.views = job.views();
        this.totals = new RunningTotals(job.aggregate().schema(), retireGraceSecs * 1000);
        this.endOfInput = new EndOfInputBarrier(context);
        this.componentId = context.getThisComponentId();
        this.partlyCountedSources = new HashSet<>();
        this.nanoClock = System::nanoTime;
    }

    /** Replaces the clock that times renderings (after {@link #prepare}), so tests decide how long one took. */
    void useNanoClock(LongSupplier clock) {
        this.nanoClock = clock;
    }

    @Override
    public Map<String, Object> getComponentConfiguration() {
        Map<String, Object> conf = new HashMap<>();
        conf.put(Config.TOPOLOGY_TICK_TUPLE_FREQ_SECS, emitIntervalSecs);
        return conf;
    }

    @Override
    public void initState(KeyValueState<String, Object> state) {
        this.state = state;
        load();
    }

    @Override
    public void execute(Tuple input) {
        try {
            if (reloadNeeded) {
                load();
            }
            if (TupleUtils.isTick(input)) {
                if (changedSinceEmit && renderDue()) {
                    emitTotals(input, false);
                }
            } else if (EndOfInputBarrier.isEndOfInput(input)) {
                if (endOfInput.arrive(input)) {
                    emitTotals(input, true);
                    collector.emit(Schema.END_OF_INPUT_STREAM, input, endOfInput.forward(componentId));
                }
            } else if (Schema.RETIRED_STREAM.equals(input.getSourceStreamId())) {
                totals.retire(input.getStringByField(Schema.SOURCE), System.currentTimeMillis());
            } else if (!count(input)) {
                collector.fail(input);
                return;
            }
            collector.ack(input);
        } catch (RuntimeException e) {
            LOG.error("Cannot process a tuple from {} on stream {}", input.getSourceComponent(), input.getSourceStreamId(), e);
            collector.reportError(e);
            collector.fail(input);
        }
    }

    /** Counts a block unless counted before; false when it must be emitted again line by line. */
    private boolean count(Tuple input) {
        BlockPanes block = (BlockPanes) input.getValueByField(Schema.PANES);
        String source = input.getStringByField(Schema.SOURCE);
        long offset = input.getLongByField(Schema.OFFSET);
        long nextOffset = input.getLongByField(Schema.NEXT_OFFSET);
        switch (totals.add(source, offset, nextOffset, block.tallies())) {
            case COUNTED -> changedSinceEmit = true;
            case REPEAT -> LOG.debug("Skipping replayed block {}@[{}, {}) ({} so far)", source, offset, nextOffset, ++repeats);
            case PARTLY_COUNTED -> {
                if (block.lineCount() > 1) {
                    LOG.info("Block [{}, {}) of {} is partly counted already (blocks cut elsewhere than before a"
                            + " restart): failing it so that its lines come again one by one", offset, nextOffset, source);
                    return false;
                }
                if (partlyCountedSources.add(source)) {
                    LOG.warn("Line [{}, {}) of {} partly overlaps lines already counted: its spout reported other"
                            + " boundaries for it before, or reuses the source name for other content. Not counted"
                            + " again; further such lines of this source are logged at DEBUG", offset, nextOffset, source);
                } else {
                    LOG.debug("Line [{}, {}) of {} partly overlaps counted lines; not counted", offset, nextOffset, source);
                }
            }
        }
        return true;
    }

    private boolean renderDue() {
        return nanoClock.getAsLong() - lastRenderStartNanos >= lastRenderNanos * (100 / RENDER_SHARE_PERCENT);
    }

    private void emitTotals(Tuple anchor, boolean isFinal) {
        lastRenderStartNanos = nanoClock.getAsLong();
        String json = views.jsonText(totals.totals());
        lastRenderNanos = nanoClock.getAsLong() - lastRenderStartNanos;
        collector.emit(Schema.TOTALS_STREAM, anchor, new Values(Result.totals(isFinal, json)));
        changedSinceEmit = false;
    }

    @Override
    public void prePrepare(long txid) {
        if (reloadNeeded) {
            load();
        }
        RunningTotals.Changes changes = totals.checkpoint(System.currentTimeMillis());
        changes.puts().forEach(state::put);
        changes.deletes().forEach(state::delete);
    }

    @Override
    public void preRollback() {
        // Storm rolls the state back only after this returns: reading it now would see the prepared values.
        reloadNeeded = true;
    }

    private void load() {
        totals.load(state.iterator());
        changedSinceEmit = true;
        reloadNeeded = false;
        LOG.info("Running totals restored: {} records, {} rejected, {} keys, {} sources", totals.totals().records(),
                totals.totals().rejected(), totals.totals().keyCount(), totals.sourceCount());
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declareStream(Schema.TOTALS_STREAM, Schema.RESULT_FIELDS);
        declarer.declareStream(Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS);
    }
}
