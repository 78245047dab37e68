package io.stormwatch.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.storm.Config;
import org.apache.storm.Constants;
import org.apache.storm.generated.Bolt;
import org.apache.storm.generated.ComponentCommon;
import org.apache.storm.generated.ComponentObject;
import org.apache.storm.generated.GlobalStreamId;
import org.apache.storm.generated.Grouping;
import org.apache.storm.generated.NullStruct;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.generated.StreamInfo;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.IComponent;
import org.apache.storm.topology.OutputFieldsGetter;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.tuple.TupleImpl;
import org.apache.storm.utils.Utils;

/**
 * A topology description for bolt tests: components, their tasks, their output streams and what each
 * subscribes to, on Storm's default configuration, enough for a real {@link TopologyContext} ({@code getThisSources},
 * {@code getComponentTasks}) and real {@link TupleImpl}s whose fields resolve by name. Local mode is on,
 * so Storm checks every tuple's value count against its stream's fields.
 *
 * <pre>
 * TestTopology topology = new TestTopology()
 *         .component("spout", 2, Map.of("default", Schema.LINE_FIELDS))
 *         .bolt("parse", 1, new ParseBolt("combined", 1024), TestTopology.stream("spout", "default"));
 * TopologyContext context = topology.context("parse", 0);
 * Tuple line = topology.tuple("spout", 1, "default", "127.0.0.1 - - ...", "file", 0L, 132L);
 * </pre>
 */
public final class TestTopology {

    private final Map<String, List<Integer>> tasks = new LinkedHashMap<>();
    private final Map<String, Map<String, Fields>> streams = new HashMap<>();
    private final Map<String, Map<GlobalStreamId, Grouping>> inputs = new HashMap<>();
    private final Map<String, Object> conf = new HashMap<>();
    private String stormId = "test-topology";
    private int nextTask = 1;

    public TestTopology() {
        conf.putAll(Utils.readDefaultConfig());
        conf.put(Config.STORM_CLUSTER_MODE, "local");
        conf.put(Config.TOPOLOGY_MESSAGE_TIMEOUT_SECS, 30);
        streams.put(Constants.SYSTEM_COMPONENT_ID, Map.of(Constants.SYSTEM_TICK_STREAM_ID, new Fields("rate_secs")));
        tasks.put(Constants.SYSTEM_COMPONENT_ID, List.of((int) Constants.SYSTEM_TASK_ID));
    }

    /** The subscription to {@code stream} of {@code component}. */
    public static GlobalStreamId stream(String component, String stream) {
        return new GlobalStreamId(component, stream);
    }

    /** A component with {@code taskCount} tasks that emits {@code outputs} and subscribes to {@code subscriptions}. */
    public TestTopology component(String id, int taskCount, Map<String, Fields> outputs, GlobalStreamId... subscriptions) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < taskCount; i++) {
            ids.add(nextTask++);
        }
        tasks.put(id, ids);
        streams.put(id, new HashMap<>(outputs));
        Map<GlobalStreamId, Grouping> subscribed = new HashMap<>();
        for (GlobalStreamId subscription : subscriptions) {
            subscribed.put(subscription, Grouping.shuffle(new NullStruct()));
        }
        inputs.put(id, subscribed);
        return this;
    }

    /** A component whose output streams are the ones {@code bolt} declares. */
    public TestTopology bolt(String id, int taskCount, IComponent bolt, GlobalStreamId... subscriptions) {
        OutputFieldsGetter getter = new OutputFieldsGetter();
        bolt.declareOutputFields(getter);
        Map<String, Fields> outputs = new HashMap<>();
        getter.getFieldsDeclaration().forEach((stream, info) -> outputs.put(stream, new Fields(info.get_output_fields())));
        return component(id, taskCount, outputs, subscriptions);
    }

    /** Adds a topology configuration entry seen by every context made afterwards. */
    public TestTopology conf(String key, Object value) {
        conf.put(key, value);
        return this;
    }

    public Map<String, Object> conf() {
        return new HashMap<>(conf);
    }

    public List<Integer> tasks(String component) {
        return tasks.get(component);
    }

    /** Names the topology: the storm id its contexts give (default {@code test-topology}). */
    public TestTopology stormId(String id) {
        this.stormId = id;
        return this;
    }

    /** The context of the {@code taskIndex}-th task of {@code component}. */
    public TopologyContext context(String component, int taskIndex) {
        Map<String, Bolt> bolts = new HashMap<>();
        tasks.keySet().stream().filter(id -> !id.equals(Constants.SYSTEM_COMPONENT_ID)).forEach(id -> {
            Map<String, StreamInfo> declared = new HashMap<>();
            streams.get(id).forEach((stream, fields) -> declared.put(stream, new StreamInfo(fields.toList(), false)));
            bolts.put(id, new Bolt(ComponentObject.serialized_java(new byte[0]), new ComponentCommon(inputs.get(id), declared)));
        });
        StormTopology topology = new StormTopology(new HashMap<>(), bolts, new HashMap<>());
        Map<Integer, String> taskToComponent = new HashMap<>();
        tasks.forEach((id, ids) -> ids.forEach(task -> taskToComponent.put(task, id)));
        int taskId = tasks.get(component).get(taskIndex);
        return new TopologyContext(topology, conf(), taskToComponent, new HashMap<>(tasks), streams, new HashMap<>(),
                stormId, null, null, taskId, 6700, new ArrayList<>(taskToComponent.keySet()),
                new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>(), new AtomicBoolean(), null);
    }

    /** A tuple from the {@code taskIndex}-th task of {@code component} on {@code stream}. */
    public Tuple tuple(String component, int taskIndex, String stream, Object... values) {
        return tuples(component, taskIndex, stream).apply(Arrays.asList(values));
    }

    /**
     * Makes tuples (from their values) of the {@code taskIndex}-th task of {@code component} on {@code stream},
     * all sharing one context: for tests that need very many.
     */
    public Function<List<Object>, Tuple> tuples(String component, int taskIndex, String stream) {
        TopologyContext context = context(component, taskIndex);
        int task = tasks.get(component).get(taskIndex);
        return values -> new TupleImpl(context, new ArrayList<>(values), component, task, stream);
    }

    /** A system tick tuple. */
    public Tuple tick() {
        return new TupleImpl(context(Constants.SYSTEM_COMPONENT_ID, 0), new ArrayList<>(List.of(1)),
                Constants.SYSTEM_COMPONENT_ID, (int) Constants.SYSTEM_TASK_ID, Constants.SYSTEM_TICK_STREAM_ID);
    }
}
