package io.stormwatch.storm.state;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.storm.state.InMemoryKeyValueStateProvider;
import org.apache.storm.state.State;
import org.apache.storm.state.StateFactory;
import org.apache.storm.state.StateProvider;
import org.apache.storm.task.TopologyContext;

/**
 * Provides {@link MemoryKeyValueState}: {@code topology.state.provider =
 * io.stormwatch.storm.state.MemoryKeyValueStateProvider}, no provider configuration. A drop-in for Storm's
 * {@link InMemoryKeyValueStateProvider} whose checkpoints cost what changed, not what is held.
 *
 * <p>Same semantics as Storm's: a provider instance returns the same state for the same namespace. Storm's
 * {@link StateFactory} makes a new provider instance for every state it asks for, so in a topology each
 * stateful bolt task gets a new, empty state, which lives and dies with its worker.
 */
public final class MemoryKeyValueStateProvider implements StateProvider {

    private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

    @Override
    public State newState(String namespace, Map<String, Object> topoConf, TopologyContext context) {
        return states.computeIfAbsent(namespace, n -> new MemoryKeyValueState<>());
    }
}
