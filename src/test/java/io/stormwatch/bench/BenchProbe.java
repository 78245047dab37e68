package io.stormwatch.bench;

import io.stormwatch.core.io.LineBlock;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.sink.Result;
import io.stormwatch.storm.topology.PipelineTopology;
import java.util.List;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.hooks.BaseTaskHook;
import org.apache.storm.hooks.info.BoltExecuteInfo;
import org.apache.storm.hooks.info.EmitInfo;
import org.apache.storm.hooks.info.SpoutAckInfo;
import org.apache.storm.hooks.info.SpoutFailInfo;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.Utils;

/**
 * A Storm task hook that timestamps what the topology benchmarks measure, leaving the topology under test as it
 * ships: the source's block emits and acks, each block's update of the running totals, and what the sinks
 * receive. Installed through {@code topology.auto.task.hooks} ({@link #install}).
 *
 * <p>Storm calls {@code boltExecute} right after the bolt's {@code execute} returned, on the executor's thread:
 * for the totals bolt that is the running total updated (Storm's {@code StatefulBoltExecutor} passes tuples
 * straight through once the state is initialised); for a sink, the window written. Spout hooks ({@code emit},
 * {@code spoutAck}, {@code spoutFail}) run on the spout's executor thread.
 *
 * <p>Benchmark code, not test code: the benchmarks run an in-process LocalCluster, so every task lives in the
 * benchmark's JVM (with two workers too) and the hooks report to the static {@link #recorder} that the
 * benchmark sets before submitting. This would not work across worker JVMs, and tests must not do it.
 */
public final class BenchProbe extends BaseTaskHook {

    /** What a benchmark wants to hear; every method is called on a Storm executor thread. */
    interface Recorder {
        /** The source emitted a block (new, or a part of a failed one) on the default stream. */
        default void blockEmitted(LineBlock block, long nanos) {}

        /** The source emitted end of input (after every block was acked). */
        default void endOfInputEmitted(long nanos) {}

        default void blockAcked(Object messageId, long nanos) {}

        default void blockFailed(Object messageId, long nanos) {}

        /** The totals bolt has counted the block ({@code BlockPanes}) this tuple from the parse bolt carries. */
        default void totalsUpdated(Tuple panes, long nanos) {}

        /**
         * The totals bolt finished a tuple that is not a block: a tick (it renders and emits the totals) or a
         * checkpoint tuple (prepare, commit: its acks go out).
         */
        default void totalsControl(String stream, long nanos) {}

        /** The window bolt has taken the block this tuple from the parse bolt carries (and emitted what it made due). */
        default void windowsUpdated(Tuple panes, long nanos) {}

        /** A sink has written the windows of one tuple. */
        default void sinkWindows(String sink, Result[] windows, long nanos) {}

        /** A sink has executed an end-of-input tuple. */
        default void sinkEndOfInput(String sink, long nanos) {}
    }

    private static final Recorder NOTHING = new Recorder() {};

    /** The current benchmark's recorder; see the class comment for why this is static. */
    static volatile Recorder recorder = NOTHING;

    private enum Role { SOURCE, TOTALS, WINDOWS, SINK, OTHER }

    private Role role = Role.OTHER;
    private String component;

    /** Adds this hook to a topology config. */
    static void install(Map<String, Object> conf) {
        conf.put(Config.TOPOLOGY_AUTO_TASK_HOOKS, List.of(BenchProbe.class.getName()));
    }

    @Override
    public void prepare(Map<String, Object> conf, TopologyContext context) {
        component = context.getThisComponentId();
        if (component.equals(PipelineTopology.SOURCE)) {
            role = Role.SOURCE;
        } else if (component.equals(PipelineTopology.TOTALS)) {
            role = Role.TOTALS;
        } else if (component.equals(PipelineTopology.WINDOWS)) {
            role = Role.WINDOWS;
        } else if (component.startsWith(PipelineTopology.SINK_PREFIX)) {
            role = Role.SINK;
        }
    }

    @Override
    public void emit(EmitInfo info) {
        if (role != Role.SOURCE) {
            return;
        }
        long now = System.nanoTime();
        if (Utils.DEFAULT_STREAM_ID.equals(info.stream)) {
            recorder.blockEmitted((LineBlock) info.values.get(Schema.BLOCK_FIELDS.fieldIndex(Schema.BLOCK)), now);
        } else if (Schema.END_OF_INPUT_STREAM.equals(info.stream)) {
            recorder.endOfInputEmitted(now);
        }
    }

    @Override
    public void spoutAck(SpoutAckInfo info) {
        if (role == Role.SOURCE) {
            recorder.blockAcked(info.messageId, System.nanoTime());
        }
    }

    @Override
    public void spoutFail(SpoutFailInfo info) {
        if (role == Role.SOURCE) {
            recorder.blockFailed(info.messageId, System.nanoTime());
        }
    }

    @Override
    public void boltExecute(BoltExecuteInfo info) {
        if (role == Role.TOTALS || role == Role.WINDOWS) {
            Tuple tuple = info.tuple;
            // Not the checkpoint stream Storm also routes through parse, nor ticks or end of input.
            if (PipelineTopology.PARSE.equals(tuple.getSourceComponent())
                    && Utils.DEFAULT_STREAM_ID.equals(tuple.getSourceStreamId())) {
                if (role == Role.TOTALS) {
                    recorder.totalsUpdated(tuple, System.nanoTime());
                } else {
                    recorder.windowsUpdated(tuple, System.nanoTime());
                }
            } else if (role == Role.TOTALS) {
                recorder.totalsControl(tuple.getSourceStreamId(), System.nanoTime());
            }
        } else if (role == Role.SINK) {
            String stream = info.tuple.getSourceStreamId();
            if (Schema.WINDOWS_STREAM.equals(stream)) {
                recorder.sinkWindows(component, (Result[]) info.tuple.getValueByField(Schema.RESULTS), System.nanoTime());
            } else if (Schema.END_OF_INPUT_STREAM.equals(stream)) {
                recorder.sinkEndOfInput(component, System.nanoTime());
            }
        }
    }
}
