package io.stormwatch.storm.state;

import io.stormwatch.testing.TestTopology;
import java.util.Map;
import org.apache.storm.state.KeyValueState;
import org.apache.storm.state.StateFactory;
import org.apache.storm.task.TopologyContext;

/** States as Storm's executor asks for them, for tests of the state providers. */
final class TaskStates {

    private TaskStates() {}

    /** The state of task 1, component "totals", under {@code namespace}, with {@code backend}'s provider. */
    @SuppressWarnings("unchecked")
    static KeyValueState<String, Object> totalsState(String namespace, Map<String, Object> backend) {
        TestTopology topology = new TestTopology().component("totals", 1, Map.of());
        backend.forEach(topology::conf);
        TopologyContext context = topology.context("totals", 0);
        return (KeyValueState<String, Object>) StateFactory.getState(namespace, topology.conf(), context);
    }
}
