package io.stormwatch.storm.bolt;

import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.window.Pane;
import io.stormwatch.core.window.PaneAssembler;
import io.stormwatch.core.window.TimeMode;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.Schema;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichBolt;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.tuple.Values;
import org.apache.storm.utils.TupleUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregates records into panes of one slide (see {@link PaneAssembler}) and emits each closed pane once on
 * {@link Schema#PANES_STREAM} ({@link Schema#PANE_FIELDS}), for {@link WindowStatsBolt} to merge into
 * windows. Run it with one task: panes are per time slice, not per key.
 *
 * <p>Inputs: the parse bolt's default stream (records), its {@link Schema#REJECTED_STREAM} (counted in
 * panes in processing time only; in event time a rejected line has no time and is just acked), and
 * {@link Schema#END_OF_INPUT_STREAM}. Each input is acked once aggregated.
 *
 * <p><b>Panes are emitted on the next tick</b> (every second, Storm's finest), anchored to the tick
 * tuple, which is anchored to nothing. A pane lives in the window bolt as long as its windows do, far
 * longer than any sensible message timeout, so no line's fate may wait on it: anchored to the line that
 * closed it, that line would stay pending until the pane left the window (and at end of input, forever).
 * Storm forbids unanchored emits in a topology with a stateful bolt, hence the tick. The cost: a window
 * is emitted up to a second after the watermark passes its end. Windows are in-memory and not replayed
 * after a crash; the durable, exactly-counted part is {@link RunningTotalsBolt}. Late records go,
 * anchored to their line, to {@link Schema#LATE_STREAM} ({@link Schema#LATE_FIELDS}).
 *
 * <p><b>Processing time</b>: a record's time is the bolt's clock at arrival, and the ticks also advance
 * the clock, so a pane closes at most about a second after its end even when no data arrives.
 *
 * <p><b>End of input</b>, once every upstream task has sent it: every open pane is closed and emitted, then
 * an {@linkplain Pane#endOfInputMarker end-of-input marker} at {@code last pane end + window length} —
 * its timestamp moves the window bolt's watermark past every window holding a real pane — then the signal
 * is forwarded.
 */
public final class PaneBolt extends BaseRichBolt {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(PaneBolt.class);

    private final WindowSpec spec;
    private final TimeMode timeMode;
    private final Clock clock;
    private transient PaneAssembler assembler;
    private transient OutputCollector collector;
    private transient EndOfInputBarrier endOfInput;
    private transient String componentId;
    private transient long lastPaneEnd;
    private transient boolean emittedAny;
    /** Closed panes waiting for the next tick or end of input to carry them. */
    private transient List<Pane> closed;

    public PaneBolt(WindowSpec spec, TimeMode timeMode) {
        this(spec, timeMode, Clock.systemUTC());
    }

    /** With an explicit processing-time clock, for tests. */
    PaneBolt(WindowSpec spec, TimeMode timeMode, Clock clock) {
        this.spec = spec;
        this.timeMode = timeMode;
        this.clock = clock;
    }

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.assembler = new PaneAssembler(spec);
        this.closed = new ArrayList<>();
        this.collector = collector;
        this.endOfInput = new EndOfInputBarrier(context);
        this.componentId = context.getThisComponentId();
    }

    @Override
    public Map<String, Object> getComponentConfiguration() {
        Map<String, Object> conf = new HashMap<>();
        conf.put(Config.TOPOLOGY_TICK_TUPLE_FREQ_SECS, 1);
        return conf;
    }

    @Override
    public void execute(Tuple input) {
        try {
            if (TupleUtils.isTick(input)) {
                if (timeMode == TimeMode.PROCESSING) {
                    assembler.advanceTo(clock.millis());
                    closed.addAll(assembler.takeClosed());
                }
                emitClosed(input);
            } else if (EndOfInputBarrier.isEndOfInput(input)) {
                if (endOfInput.arrive(input)) {
                    finish(input);
                }
            } else if (Schema.REJECTED_STREAM.equals(input.getSourceStreamId())) {
                if (timeMode == TimeMode.PROCESSING) {
                    assembler.reject(RejectReason.ofKey(input.getStringByField(Schema.REASON)), clock.millis());
                    closed.addAll(assembler.takeClosed());
                }
            } else {
                addRecord(input);
            }
            collector.ack(input);
        } catch (RuntimeException e) {
            LOG.error("Cannot process tuple from {} on stream {}", input.getSourceComponent(), input.getSourceStreamId(), e);
            collector.reportError(e);
            collector.fail(input);
        }
    }

    private void addRecord(Tuple input) {
        LogRecord record = (LogRecord) input.getValueByField(Schema.RECORD);
        long time = timeMode == TimeMode.EVENT ? record.timeMillis() : clock.millis();
        if (!assembler.add(record, time)) {
            collector.emit(Schema.LATE_STREAM, input, new Values(record, input.getStringByField(Schema.SOURCE),
                    input.getLongByField(Schema.OFFSET), input.getLongByField(Schema.NEXT_OFFSET)));
        }
        closed.addAll(assembler.takeClosed());
    }

    /** Closes every pane and sends them, the marker and the signal on, all carried by the end-of-input tuple. */
    private void finish(Tuple endOfInputTuple) {
        closed.addAll(assembler.closeAll());
        emitClosed(endOfInputTuple);
        long markerEnd = (emittedAny ? lastPaneEnd : 0) + spec.lengthMillis();
        collector.emit(Schema.PANES_STREAM, endOfInputTuple, new Values(markerEnd, Pane.endOfInputMarker(markerEnd)));
        collector.emit(Schema.END_OF_INPUT_STREAM, endOfInputTuple, new Values(componentId));
    }

    /** Emits the waiting closed panes anchored to {@code carrier}, a tuple no spout tracks (tick, end of input). */
    private void emitClosed(Tuple carrier) {
        for (Pane pane : closed) {
            collector.emit(Schema.PANES_STREAM, carrier, new Values(pane.end(), pane));
            lastPaneEnd = pane.end();
            emittedAny = true;
        }
        closed.clear();
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declareStream(Schema.PANES_STREAM, Schema.PANE_FIELDS);
        declarer.declareStream(Schema.LATE_STREAM, Schema.LATE_FIELDS);
        declarer.declareStream(Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS);
    }
}
