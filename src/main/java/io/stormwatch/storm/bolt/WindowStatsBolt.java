package io.stormwatch.storm.bolt;

import io.stormwatch.core.window.Pane;
import io.stormwatch.core.window.WindowResult;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseWindowedBolt;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.tuple.Values;
import org.apache.storm.windowing.TupleWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Merges the panes of each sliding window into a {@link WindowResult} on {@link Schema#WINDOWS_STREAM}
 * ({@link Schema#WINDOW_FIELDS}), using Storm's event-time windows over the {@link Schema#PANE_END}
 * timestamp: a window ending at {@code E} holds the tuples with timestamps in {@code (E − L, E]}, which are
 * exactly its {@code L / S} panes because pane ends are multiples of the slide. Lag is 0 since panes arrive
 * in end order from the single {@link PaneBolt} task, and the watermark is checked every
 * {@value #WATERMARK_INTERVAL_MILLIS} ms.
 *
 * <p>Subscribe it to the {@link Schema#PANES_STREAM} only: every input tuple must carry the timestamp
 * field. Memory is one pane per slide of the window (plus the end-of-input marker), never per line. Only
 * windows holding at least one real pane are emitted (a gap in the data yields no empty windows).
 *
 * <p><b>Message timeout</b>: Storm refuses (in {@code prepare}, halting the worker) a window whose length +
 * slide exceeds {@code topology.message.timeout.secs}; the topology must set the timeout at least to
 * {@link #minMessageTimeoutSecs}, even though no spout tracks panes (they ride on ticks).
 *
 * <p><b>End of input</b> arrives as the {@linkplain Pane#endOfInputMarker marker pane}; when a window holds
 * it, this bolt emits {@link Schema#END_OF_INPUT_STREAM} after that window's result.
 */
public final class WindowStatsBolt extends BaseWindowedBolt {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WindowStatsBolt.class);
    static final int WATERMARK_INTERVAL_MILLIS = 200;

    private final long lengthMillis;
    private transient OutputCollector collector;
    private transient String componentId;

    public WindowStatsBolt(WindowSpec spec) {
        this.lengthMillis = spec.lengthMillis();
        withWindow(new Duration((int) spec.lengthMillis(), TimeUnit.MILLISECONDS),
                new Duration((int) spec.slideMillis(), TimeUnit.MILLISECONDS));
        withTimestampField(Schema.PANE_END);
        withLag(new Duration(0, TimeUnit.MILLISECONDS));
        withWatermarkInterval(new Duration(WATERMARK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS));
    }

    /** The smallest {@code topology.message.timeout.secs} Storm accepts for this window: length + slide. */
    public static int minMessageTimeoutSecs(WindowSpec spec) {
        return (int) Math.ceil((spec.lengthMillis() + spec.slideMillis()) / 1000.0);
    }

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.collector = collector;
        this.componentId = context.getThisComponentId();
    }

    @Override
    public void execute(TupleWindow window) {
        try {
            List<Pane> panes = new ArrayList<>();
            boolean endOfInput = false;
            for (Tuple tuple : window.get()) {
                Pane pane = (Pane) tuple.getValueByField(Schema.PANE);
                if (pane.endOfInput()) {
                    endOfInput = true;
                } else {
                    panes.add(pane);
                }
            }
            if (!panes.isEmpty()) {
                collector.emit(Schema.WINDOWS_STREAM, new Values(WindowResult.merge(window.getEndTimestamp(), lengthMillis, panes)));
            }
            // The marker window is the last one to fire. The marker's timestamp is F = P + L, with P the
            // last real pane's end (every pane end is <= P). Storm fires a window ending at E only once the
            // watermark reaches E, and the watermark (lag 0) never exceeds the largest timestamp seen, F;
            // so no window ending after F ever fires. Every window holding a real pane ends at E with
            // E - L < P, i.e. E < F, so it fires before the window ending at F, which holds the marker
            // ((F - L, F] contains F) and no real pane (P = F - L is excluded). Windows ending after F would
            // also hold the marker, but never fire. Hence END_OF_INPUT follows every window result, once.
            if (endOfInput) {
                collector.emit(Schema.END_OF_INPUT_STREAM, new Values(componentId));
            }
        } catch (RuntimeException e) {
            LOG.error("Cannot merge the window ending {}", window.getEndTimestamp(), e);
            collector.reportError(e);
        }
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declareStream(Schema.WINDOWS_STREAM, Schema.WINDOW_FIELDS);
        declarer.declareStream(Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS);
    }
}
