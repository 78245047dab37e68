package io.stormwatch.bench;

import io.stormwatch.storm.Schema;
import io.stormwatch.storm.topology.LogAnalyticsTopology;
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
 * A Storm task hook that timestamps what the topology benchmarks measure, leaving the topology under test
 * exactly as it ships: the source's line emits and acks, each line's update of the running totals, and the
 * sinks' end of input. Installed through {@code topology.auto.task.hooks} ({@link #install}).
 *
 * <p>Storm calls {@code boltExecute} right after the bolt's {@code execute} returned, on the executor's
 * thread, so for the totals bolt the time is that of the running total being updated (Storm's
 * {@code StatefulBoltExecutor} passes tuples straight through once the state is initialised).
 *
 * <p>Benchmark code, not test code: the benchmarks run an in-process LocalCluster, so every task lives in
 * the benchmark's JVM and the hooks report to the static {@link #recorder} that the benchmark sets before
 * submitting. This would not work across worker JVMs, and tests must not do it.
 */
public final class BenchProbe extends BaseTaskHook {

    /** What a benchmark wants to hear; every method is called on a Storm executor thread. */
    interface Recorder {
        default void lineEmitted(long nanos) {}

        default void lineAcked(long nanos) {}

        default void lineFailed(long nanos) {}

        /** A parsed or rejected line has been counted by the totals bolt. */
        default void totalsUpdated(Tuple line, long nanos) {}

        /** A sink has executed an end-of-input tuple (it writes {@code _SUCCESS} on the last one). */
        default void sinkEndOfInput(long nanos) {}
    }

    private static final Recorder NOTHING = new Recorder() {};

    /** The current benchmark's recorder; see the class comment for why this is static. */
    static volatile Recorder recorder = NOTHING;

    private enum Role { SOURCE, TOTALS, SINK, OTHER }

    private Role role = Role.OTHER;

    /** Adds this hook to a topology config. */
    static void install(Map<String, Object> conf) {
        conf.put(Config.TOPOLOGY_AUTO_TASK_HOOKS, List.of(BenchProbe.class.getName()));
    }

    @Override
    public void prepare(Map<String, Object> conf, TopologyContext context) {
        String id = context.getThisComponentId();
        if (id.equals(LogAnalyticsTopology.SOURCE)) {
            role = Role.SOURCE;
        } else if (id.equals(LogAnalyticsTopology.TOTALS)) {
            role = Role.TOTALS;
        } else if (id.startsWith(LogAnalyticsTopology.SINK_PREFIX)) {
            role = Role.SINK;
        }
    }

    @Override
    public void emit(EmitInfo info) {
        if (role == Role.SOURCE && !Schema.END_OF_INPUT_STREAM.equals(info.stream)) {
            recorder.lineEmitted(System.nanoTime());
        }
    }

    @Override
    public void spoutAck(SpoutAckInfo info) {
        if (role == Role.SOURCE) {
            recorder.lineAcked(System.nanoTime());
        }
    }

    @Override
    public void spoutFail(SpoutFailInfo info) {
        if (role == Role.SOURCE) {
            recorder.lineFailed(System.nanoTime());
        }
    }

    @Override
    public void boltExecute(BoltExecuteInfo info) {
        if (role == Role.TOTALS) {
            Tuple tuple = info.tuple;
            String stream = tuple.getSourceStreamId();
            // Not the checkpoint stream Storm also routes through parse, nor end of input.
            if (LogAnalyticsTopology.PARSE.equals(tuple.getSourceComponent())
                    && (Utils.DEFAULT_STREAM_ID.equals(stream) || Schema.REJECTED_STREAM.equals(stream))) {
                recorder.totalsUpdated(tuple, System.nanoTime());
            }
        } else if (role == Role.SINK && Schema.END_OF_INPUT_STREAM.equals(info.tuple.getSourceStreamId())) {
            recorder.sinkEndOfInput(System.nanoTime());
        }
    }
}
