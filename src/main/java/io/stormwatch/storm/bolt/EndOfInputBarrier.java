package io.stormwatch.storm.bolt;

import io.stormwatch.storm.Schema;
import java.util.HashSet;
import java.util.Set;
import org.apache.storm.generated.GlobalStreamId;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.tuple.Tuple;

/**
 * Tells a bolt when every upstream task has signalled end of input on {@link Schema#END_OF_INPUT_STREAM},
 * so that it flushes and forwards the signal exactly once.
 *
 * <p>The upstream tasks are all tasks of every component this bolt subscribes to on that stream; the
 * topology must subscribe with an all-grouping (every task of this bolt needs every marker). A task's
 * repeated marker counts once. A bolt with no such subscription never completes: its input is unbounded.
 */
public final class EndOfInputBarrier {

    private final int expected;
    private final Set<Integer> arrived = new HashSet<>();
    private boolean complete;

    public EndOfInputBarrier(TopologyContext context) {
        int tasks = 0;
        for (GlobalStreamId input : context.getThisSources().keySet()) {
            if (Schema.END_OF_INPUT_STREAM.equals(input.get_streamId())) {
                tasks += context.getComponentTasks(input.get_componentId()).size();
            }
        }
        this.expected = tasks;
    }

    public static boolean isEndOfInput(Tuple tuple) {
        return Schema.END_OF_INPUT_STREAM.equals(tuple.getSourceStreamId());
    }

    /** Records {@code marker}'s source task; true exactly once, when the last upstream task has arrived. */
    public boolean arrive(Tuple marker) {
        if (complete || !arrived.add(marker.getSourceTask()) || arrived.size() < expected) {
            return false;
        }
        complete = true;
        return true;
    }

    public boolean isComplete() {
        return complete;
    }
}
