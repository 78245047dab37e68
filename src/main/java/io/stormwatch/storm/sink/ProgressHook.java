package io.stormwatch.storm.sink;

import io.stormwatch.core.probe.ProgressMessage;
import io.stormwatch.core.probe.ProgressSender;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.topology.Outputs;
import io.stormwatch.storm.topology.PipelineTopology;
import io.stormwatch.storm.topology.StormwatchConfig;
import java.util.Map;
import org.apache.storm.hooks.BaseTaskHook;
import org.apache.storm.hooks.info.BoltExecuteInfo;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.Utils;

/**
 * The running count half of a {@code progress:HOST:PORT} output ({@link ProgressSink} sends the windows): a task
 * hook ({@code topology.auto.task.hooks}, set by {@link io.stormwatch.storm.topology.JobTopology} when the outputs
 * name a progress receiver) that, in the totals bolt's task, adds up the lines of every block the bolt has
 * executed and reports the sum ({@code n COUNT}). Storm calls it right after the bolt's {@code execute} returned,
 * on the executor's thread: the block is then in the in-memory running total (committed to state at the next
 * checkpoint). Tasks of other components ignore it.
 *
 * <p>Each executed block counts once: right for sources that never replay (the socket spout loses a failed
 * block, it does not send it again); with a replaying source a replayed block would count again here (the
 * bolt itself skips it).
 */
public final class ProgressHook extends BaseTaskHook {

    private ProgressSender sender;
    private long lines;

    @Override
    public void prepare(Map<String, Object> conf, TopologyContext context) {
        if (!PipelineTopology.TOTALS.equals(context.getThisComponentId())) {
            return;
        }
        ProgressMessage.Address address = Outputs.progressAddress(StormwatchConfig.string(conf, StormwatchConfig.OUTPUTS, null));
        if (address != null) {
            sender = ProgressSender.to(address);
        }
    }

    @Override
    public void boltExecute(BoltExecuteInfo info) {
        if (sender == null) {
            return;
        }
        Tuple tuple = info.tuple;
        // Blocks only: not the checkpoint stream Storm also routes through parse, nor ticks or end of input.
        if (PipelineTopology.PARSE.equals(tuple.getSourceComponent())
                && Utils.DEFAULT_STREAM_ID.equals(tuple.getSourceStreamId())) {
            lines += ((BlockPanes) tuple.getValueByField(Schema.PANES)).lineCount();
            sender.count(lines);
        }
    }
}
