package io.stormwatch.storm.bolt;

import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.totals.OffsetSet;
import io.stormwatch.storm.Schema;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
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
 * The all-time statistics of every line — parsed records, late ones included, and rejected lines — each
 * counted once per line position {@code (source, [offset, next-offset))}, kept in Storm's checkpointed
 * {@link KeyValueState}. Run it with one task (the state's namespace is {@code componentId-taskId}: changing
 * the parallelism orphans it).
 *
 * <p><b>State layout</b>: key {@value #STATS_KEY} holds the {@link LogStats}; key
 * {@code offsets/<source>} holds that source's {@link OffsetSet} of counted lines. Consecutive lines of a
 * source touch ({@code next-offset} of one is the {@code offset} of the next), so a source whose lines all
 * arrived is one range (16 bytes) however many lines it had, and only lines still in flight make gaps:
 * 100,000 lines of a file read to its end are one range, not 100,000. Both are kept as working copies in
 * memory and written into the state only in {@link #prePrepare} — once per checkpoint, and only what
 * changed — because {@code RedisKeyValueState} serializes a value on every {@code put}.
 *
 * <p><b>Guarantee</b> (from Storm 2.8's {@code StatefulBoltExecutor}): this bolt's acks are held back and
 * sent only after the checkpoint that covers them has committed; a rollback fails them instead. The stats
 * and the offsets commit together in one transaction. Hence:
 * <ul>
 *   <li>a line the spout sees as acked is in the committed totals;</li>
 *   <li>a line processed but not committed is lost from the state by the rollback, and replayed by the
 *       spout (its tuple failed or timed out), so it is counted again exactly once;</li>
 *   <li>a line committed whose ack was lost (a crash between commit and ack, or a timeout elsewhere in its
 *       tuple tree) is replayed too, but its range is in the committed {@link OffsetSet}: it is skipped
 *       and acked.</li>
 * </ul>
 * So each line counts exactly once, provided a replayed line carries the same source, offset and next
 * offset (the spouts' contract). Without positions that hold (a spout that numbers lines differently after
 * a restart) it degrades to at-least-once. A line that <em>partly</em> overlaps counted lines breaks that
 * contract (lines of a source never overlap); it is taken as already counted, since counting it could only
 * count some line twice, and reported at WARN once per source (then at DEBUG).
 *
 * <p>When a rollback happens Storm calls {@link #preRollback} before it rolls the state back, so the
 * working copies are reloaded on the next tuple, from the state as it is then (the last commit).
 *
 * <p><b>Output</b>, on {@link Schema#TOTALS_STREAM} ({@link Schema#TOTALS_FIELDS}, a snapshot copy): on a
 * tick every {@code emitIntervalSecs} seconds when something changed, and once more, final, when every
 * upstream task has sent end of input — then {@link Schema#END_OF_INPUT_STREAM} is forwarded. Because
 * acks wait for commits and a spout sends end of input only after all its lines are acked, the final
 * totals are also the committed ones. Emits are anchored (Storm refuses unanchored emits from stateful
 * bolts) to the tick or the end-of-input tuple, which are themselves unanchored.
 */
public final class RunningTotalsBolt extends BaseStatefulBolt<KeyValueState<String, Object>> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RunningTotalsBolt.class);

    static final String STATS_KEY = "stats";
    static final String OFFSETS_KEY_PREFIX = "offsets/";

    private final int emitIntervalSecs;
    private transient KeyValueState<String, Object> state;
    private transient OutputCollector collector;
    private transient EndOfInputBarrier endOfInput;
    private transient String componentId;
    private transient LogStats stats;
    private transient Map<String, OffsetSet> offsets;
    private transient Set<String> changedSources;
    private transient boolean changedSinceCheckpoint;
    private transient boolean changedSinceEmit;
    private transient boolean reloadNeeded;
    private transient long duplicates;
    private transient Set<String> partlyOverlappingSources;

    /** Emits totals every second when they changed. */
    public RunningTotalsBolt() {
        this(1);
    }

    public RunningTotalsBolt(int emitIntervalSecs) {
        if (emitIntervalSecs < 1) {
            throw new IllegalArgumentException("emit interval must be at least 1 s, got " + emitIntervalSecs);
        }
        this.emitIntervalSecs = emitIntervalSecs;
    }

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.collector = collector;
        this.endOfInput = new EndOfInputBarrier(context);
        this.componentId = context.getThisComponentId();
        this.partlyOverlappingSources = new HashSet<>();
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
                if (changedSinceEmit) {
                    emitTotals(input, false);
                }
            } else if (EndOfInputBarrier.isEndOfInput(input)) {
                if (endOfInput.arrive(input)) {
                    emitTotals(input, true);
                    collector.emit(Schema.END_OF_INPUT_STREAM, input, new Values(componentId));
                }
            } else {
                count(input);
            }
            collector.ack(input);
        } catch (RuntimeException e) {
            LOG.error("Cannot process tuple from {} on stream {}", input.getSourceComponent(), input.getSourceStreamId(), e);
            collector.reportError(e);
            collector.fail(input);
        }
    }

    private void count(Tuple input) {
        String source = input.getStringByField(Schema.SOURCE);
        long offset = input.getLongByField(Schema.OFFSET);
        long nextOffset = input.getLongByField(Schema.NEXT_OFFSET);
        OffsetSet counted = offsets.computeIfAbsent(source, s -> new OffsetSet());
        if (!counted.add(offset, nextOffset)) {
            duplicates++;
            if (!counted.covers(offset, nextOffset) && partlyOverlappingSources.add(source)) {
                LOG.warn("Line [{}, {}) of {} partly overlaps lines already counted: its spout reported other"
                        + " boundaries for it before, or reuses the source name for other content. Not counted"
                        + " again; further such lines of this source are logged at DEBUG", offset, nextOffset, source);
            } else {
                LOG.debug("Skipping replayed line {}@[{}, {}) ({} so far)", source, offset, nextOffset, duplicates);
            }
            return;
        }
        if (Schema.REJECTED_STREAM.equals(input.getSourceStreamId())) {
            stats.reject(RejectReason.ofKey(input.getStringByField(Schema.REASON)));
        } else {
            stats.add((LogRecord) input.getValueByField(Schema.RECORD));
        }
        changedSources.add(source);
        changedSinceCheckpoint = true;
        changedSinceEmit = true;
    }

    private void emitTotals(Tuple anchor, boolean isFinal) {
        collector.emit(Schema.TOTALS_STREAM, anchor, new Values(stats.copy(), isFinal));
        changedSinceEmit = false;
    }

    @Override
    public void prePrepare(long txid) {
        if (reloadNeeded) {
            load();
        }
        if (!changedSinceCheckpoint) {
            return;
        }
        // Copies: the in-memory state keeps references, and the working copies go on changing.
        state.put(STATS_KEY, stats.copy());
        for (String source : changedSources) {
            state.put(OFFSETS_KEY_PREFIX + source, offsets.get(source).copy());
        }
        changedSources.clear();
        changedSinceCheckpoint = false;
    }

    @Override
    public void preRollback() {
        // Storm rolls the state back only after this returns: reading it now would see the prepared values.
        reloadNeeded = true;
    }

    private void load() {
        Object saved = state.get(STATS_KEY);
        stats = saved == null ? new LogStats() : ((LogStats) saved).copy();
        offsets = new HashMap<>();
        Iterator<Map.Entry<String, Object>> entries = state.iterator();
        while (entries.hasNext()) {
            Map.Entry<String, Object> entry = entries.next();
            if (entry.getKey().startsWith(OFFSETS_KEY_PREFIX)) {
                offsets.put(entry.getKey().substring(OFFSETS_KEY_PREFIX.length()), ((OffsetSet) entry.getValue()).copy());
            }
        }
        changedSources = new HashSet<>();
        changedSinceCheckpoint = false;
        changedSinceEmit = true;
        reloadNeeded = false;
        LOG.info("Running totals restored: {} records, {} rejected, {} sources", stats.records(), stats.rejected(), offsets.size());
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declareStream(Schema.TOTALS_STREAM, Schema.TOTALS_FIELDS);
        declarer.declareStream(Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS);
    }
}
