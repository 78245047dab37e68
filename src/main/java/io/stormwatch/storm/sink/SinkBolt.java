package io.stormwatch.storm.sink;

import io.stormwatch.core.job.DeadLetter;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.bolt.EndOfInputBarrier;
import io.stormwatch.storm.topology.ExecutorWakeups;
import io.stormwatch.storm.topology.StormwatchConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.generated.Bolt;
import org.apache.storm.generated.ComponentCommon;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.state.KeyValueState;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseStatefulBolt;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.TupleUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the result streams to a {@link ResultSink}, for any job. Reads, by field name, whichever of these the
 * topology subscribes it to:
 * <ul>
 *   <li>{@link Schema#WINDOWS_STREAM}: {@link Schema#RESULTS}, window {@link Result}s → each to
 *       {@link ResultSink#window}, in order;</li>
 *   <li>{@link Schema#TOTALS_STREAM}: {@link Schema#RESULT}, a totals {@link Result} → {@link ResultSink#totals};</li>
 *   <li>{@link Schema#REJECTED_STREAM}: {@link Schema#DEAD_LETTERS}, a {@code DeadLetter[]} → the list to
 *       {@link ResultSink#rejected(List)}, in order;</li>
 *   <li>{@link Schema#LATE_STREAM}: {@link Schema#LATE}, a {@code LateLine[]} → each to {@link ResultSink#late};</li>
 *   <li>{@link Schema#END_OF_INPUT_STREAM}: once every task of every component it subscribes to on that stream
 *       has sent it ({@link EndOfInputBarrier}), {@link ResultSink#endOfInput} runs, once, with what the sources
 *       could not read ({@link Schema#UNREAD}, gathered from every marker).</li>
 * </ul>
 * The sink is flushed on a one-second tick. Run one task per sink whose output is a single place (files).
 *
 * <p>Each input tuple is acked once the sink took it. One the sink could not take (an I/O error, a result
 * on the wrong stream) is failed and the error logged and reported; the bolt goes on with the next one. A
 * failed array may have been handed over in part: after a replay those elements come again (at least once).
 * If {@code endOfInput()} fails, it is tried again on each tick until it succeeds, since the end-of-input
 * signal is sent only once. Once it succeeded, and the topology config names a
 * {@link StormwatchConfig#SINKS_DONE_DIR}, the task leaves an empty file {@code <component>-<task>} there: an
 * in-process run waits for every sink's before its JVM exits, so that no sink's last words (the log's final
 * totals) are cut off by another sink finishing first.
 *
 * <p><b>Each window once.</b> The window bolt emits windows in end order, and after a crash or a rollback it
 * emits again those after its last checkpoint. The sink writes a window only if it ends after the last one
 * it wrote, so a reader never sees a window twice. The bolt takes part in Storm's checkpoints (it is stateful
 * for that): before each one it flushes the sink and records the end of the last window written, so that the
 * windows a checkpoint covers are on disk or in Redis before it commits. After a restart it resumes after the
 * later of that record and the last window the sink itself holds ({@link ResultSink#lastWindowEnd}: the
 * windows written between the last checkpoint and a crash). A topology whose state is new (a first run, or
 * in-memory state) has no record and writes every window it gets, after whatever the sink held before.
 */
public final class SinkBolt extends BaseStatefulBolt<KeyValueState<String, Object>> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SinkBolt.class);

    /** The state's entry: the end of the last window written, as of the last checkpoint. */
    static final String LAST_WINDOW_END = "lastWindowEnd";

    private final ResultSink sink;
    private transient KeyValueState<String, Object> state;
    private transient long lastWindowEnd;
    private transient long windowsSkipped;
    private transient OutputCollector collector;
    private transient EndOfInputBarrier endOfInput;
    private transient boolean endOfInputPending;
    private transient Path doneFile;

    public SinkBolt(ResultSink sink) {
        this.sink = sink;
    }

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.collector = ExecutorWakeups.waking(collector, context);
        this.endOfInput = new EndOfInputBarrier(context);
        this.endOfInputPending = false;
        this.lastWindowEnd = Long.MIN_VALUE;
        Object doneDir = topoConf.get(StormwatchConfig.SINKS_DONE_DIR);
        this.doneFile = doneDir == null ? null
                : Path.of(doneDir.toString()).resolve(context.getThisComponentId() + "-" + context.getThisTaskId());
        try {
            sink.open(topoConf, context);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + sink, e);
        }
    }

    @Override
    public void initState(KeyValueState<String, Object> state) {
        this.state = state;
        if (state.get(LAST_WINDOW_END) instanceof Long recorded) {
            try {
                lastWindowEnd = Math.max(lastWindowEnd, Math.max(recorded, sink.lastWindowEnd()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read where " + sink + " left off", e);
            }
            LOG.info("{} resumes after the window ending {}", sink, java.time.Instant.ofEpochMilli(lastWindowEnd));
        }
    }

    @Override
    public void prePrepare(long txid) {
        try {
            sink.flush();
        } catch (IOException e) {
            LOG.error("Sink {} could not flush for a checkpoint", sink, e);
            collector.reportError(e);
        }
        state.put(LAST_WINDOW_END, lastWindowEnd);
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
                sink.flush();
                if (endOfInputPending) {
                    completeOutput();
                }
            } else {
                deliver(input);
            }
            collector.ack(input);
        } catch (IOException | RuntimeException e) {
            LOG.error("Sink {} failed on a tuple from {} on stream {}", sink, input.getSourceComponent(),
                    input.getSourceStreamId(), e);
            collector.reportError(e);
            collector.fail(input);
        }
    }

    private void deliver(Tuple input) throws IOException {
        switch (input.getSourceStreamId()) {
            case Schema.WINDOWS_STREAM -> {
                for (Result window : (Result[]) input.getValueByField(Schema.RESULTS)) {
                    if (checked(window, true, input).windowEnd() <= lastWindowEnd) {
                        if (windowsSkipped++ == 0) {
                            LOG.info("Skipping windows written before (emitted again after a failure)");
                        }
                        continue;
                    }
                    sink.window(window);
                    lastWindowEnd = window.windowEnd();
                }
            }
            case Schema.TOTALS_STREAM -> sink.totals(checked((Result) input.getValueByField(Schema.RESULT), false, input));
            case Schema.REJECTED_STREAM -> {
                sink.rejected(List.of((DeadLetter[]) input.getValueByField(Schema.DEAD_LETTERS)));
            }
            case Schema.LATE_STREAM -> {
                for (LateLine late : (LateLine[]) input.getValueByField(Schema.LATE)) {
                    sink.late(late);
                }
            }
            case Schema.END_OF_INPUT_STREAM -> {
                if (endOfInput.arrive(input)) {
                    endOfInputPending = true;
                    completeOutput();
                }
            }
            default -> LOG.warn("Ignoring a tuple on unexpected stream {} from {}", input.getSourceStreamId(),
                    input.getSourceComponent());
        }
    }

    private static Result checked(Result result, boolean window, Tuple input) {
        if (result.isWindow() != window) {
            // Written as the other kind, it would land in the wrong file or key: refuse it visibly.
            throw new IllegalArgumentException("a " + (result.isWindow() ? "window" : "totals") + " result on stream "
                    + input.getSourceStreamId() + " from " + input.getSourceComponent());
        }
        return result;
    }

    private void completeOutput() throws IOException {
        sink.endOfInput(endOfInput.unread());
        endOfInputPending = false;
        if (doneFile != null) {
            try {
                Files.createDirectories(doneFile.getParent());
                Files.write(doneFile, new byte[0]);
            } catch (IOException e) {
                LOG.warn("Cannot mark {} done in {}: the run may end before this sink's last output", sink, doneFile, e);
            }
        }
    }

    /**
     * How many sink tasks {@code topology} has: those an in-process run waits for (see the class comment). A sink is
     * known by its place, since Storm wraps the bolts of a stateful topology: it takes end of input and emits
     * nothing (only Storm's own {@code $…}/{@code __…} streams), as a {@code SinkBolt} — built by the factory or
     * by a Flux file — does.
     */
    public static int taskCount(StormTopology topology) {
        int tasks = 0;
        for (Bolt bolt : topology.get_bolts().values()) {
            ComponentCommon common = bolt.get_common();
            boolean takesEndOfInput = common.get_inputs().keySet().stream()
                    .anyMatch(input -> Schema.END_OF_INPUT_STREAM.equals(input.get_streamId()));
            boolean emits = common.get_streams().keySet().stream()
                    .anyMatch(stream -> !stream.startsWith("$") && !stream.startsWith("__"));
            if (takesEndOfInput && !emits) {
                tasks += Math.max(1, common.get_parallelism_hint());
            }
        }
        return tasks;
    }

    @Override
    public void cleanup() {
        sink.close();
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        // A sink ends the topology: nothing to declare.
    }
}
