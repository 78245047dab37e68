package io.stormwatch.storm.bolt;

import io.stormwatch.storm.Schema;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.storm.generated.GlobalStreamId;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.tuple.Values;

/**
 * Tells a bolt when every upstream task has signalled end of input on {@link Schema#END_OF_INPUT_STREAM},
 * so that it flushes and forwards the signal exactly once.
 *
 * <p>The upstream tasks are all tasks of every component this bolt subscribes to on that stream; the
 * topology must subscribe with an all-grouping (every task of this bolt needs every marker). A task's
 * repeated marker counts once. A bolt with no such subscription never completes: its input is unbounded.
 *
 * <p>It also gathers what the markers say was not read ({@link Schema#UNREAD}), so that a bolt forwards it
 * with its own marker ({@link #forward}) and the sinks know whether the input was read whole.
 */
public final class EndOfInputBarrier {

    private final int expected;
    private final Set<Integer> arrived = new HashSet<>();
    private final Set<String> unread = new LinkedHashSet<>();
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
        if (marker.contains(Schema.UNREAD)) {
            String items = marker.getStringByField(Schema.UNREAD);
            if (items != null && !items.isEmpty()) {
                unread.addAll(List.of(items.split("\n")));
            }
        }
        if (complete || !arrived.add(marker.getSourceTask()) || arrived.size() < expected) {
            return false;
        }
        complete = true;
        return true;
    }

    public boolean isComplete() {
        return complete;
    }

    /** What the markers so far say was not read, one item per line, in arrival order; empty if nothing. */
    public String unread() {
        return String.join("\n", unread);
    }

    /** The marker a bolt sends on once the barrier is complete: its id and what was not read. */
    public Values forward(String componentId) {
        return new Values(componentId, unread());
    }
}
