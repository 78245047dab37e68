package io.stormwatch.storm.spout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.metrics2.StormMetricRegistry;
import org.apache.storm.spout.SpoutOutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.IRichSpout;
import org.apache.storm.topology.OutputFieldsGetter;
import org.apache.storm.topology.TopologyBuilder;
import org.apache.storm.tuple.Fields;
import org.apache.storm.utils.Utils;

/**
 * Opens a spout as task {@code taskIndex} of {@code taskCount} of a one-component topology, with a real
 * {@link TopologyContext} and a {@link RecordingSpoutOutputCollector}, and drives it like an executor would.
 * The spout driven is a copy made by Java serialization, as Storm ships it.
 */
final class SpoutHarness<S extends IRichSpout> implements AutoCloseable {

    static final String COMPONENT = "spout";

    final S spout;
    final RecordingSpoutOutputCollector collector = new RecordingSpoutOutputCollector();
    final StormMetricRegistry metrics = new StormMetricRegistry();
    final TopologyContext context;

    @SuppressWarnings("unchecked")
    private SpoutHarness(S configured, int taskIndex, int taskCount, Map<String, Object> topologyConf) {
        TopologyBuilder builder = new TopologyBuilder();
        builder.setSpout(COMPONENT, configured, taskCount);
        StormTopology topology = builder.createTopology();
        S spout = (S) Utils.javaDeserialize(
                topology.get_spouts().get(COMPONENT).get_spout_object().get_serialized_java(), IRichSpout.class);

        OutputFieldsGetter declared = new OutputFieldsGetter();
        spout.declareOutputFields(declared);
        Map<String, Fields> streams = new HashMap<>();
        declared.getFieldsDeclaration().forEach((stream, info) -> streams.put(stream, new Fields(info.get_output_fields())));

        Map<Integer, String> taskToComponent = new HashMap<>();
        List<Integer> tasks = new ArrayList<>();
        for (int task = 1; task <= taskCount; task++) {
            taskToComponent.put(task, COMPONENT);
            tasks.add(task);
        }
        Map<String, Object> conf = new HashMap<>(topologyConf);
        this.spout = spout;
        this.context = new TopologyContext(topology, conf, taskToComponent, Map.of(COMPONENT, tasks),
                Map.of(COMPONENT, streams), new HashMap<>(), "test-topology", null, null, taskIndex + 1, 6700,
                tasks, new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>(), new AtomicBoolean(false),
                metrics);
        spout.open(conf, context, new SpoutOutputCollector(collector));
    }

    static <S extends IRichSpout> SpoutHarness<S> open(S spout) {
        return new SpoutHarness<>(spout, 0, 1, Map.of());
    }

    /** Task 0 of 1, opened with {@code topologyConf}. */
    static <S extends IRichSpout> SpoutHarness<S> open(S spout, Map<String, Object> topologyConf) {
        return new SpoutHarness<>(spout, 0, 1, topologyConf);
    }

    static <S extends IRichSpout> SpoutHarness<S> open(S spout, int taskIndex, int taskCount) {
        return new SpoutHarness<>(spout, taskIndex, taskCount, Map.of());
    }

    /** Calls nextTuple {@code times} times. */
    SpoutHarness<S> next(int times) {
        for (int i = 0; i < times; i++) {
            spout.nextTuple();
        }
        return this;
    }

    /** Calls nextTuple until {@code done} holds, at most {@code limit} times; false when it never did. */
    boolean nextUntil(BooleanSupplier done, int limit) {
        for (int i = 0; i < limit; i++) {
            if (done.getAsBoolean()) {
                return true;
            }
            spout.nextTuple();
        }
        return done.getAsBoolean();
    }

    /**
     * Acks every block and part emitted so far (each once, also those acked before: the spout must ignore
     * repeats).
     */
    void ackAll() {
        collector.blocks().forEach(e -> spout.ack(e.messageId()));
    }

    /** Acks the {@code i}-th block tuple emitted (0-based, replays included). */
    void ack(int i) {
        spout.ack(collector.blocks().get(i).messageId());
    }

    /** Fails the {@code i}-th block tuple emitted (0-based, replays included). */
    void fail(int i) {
        spout.fail(collector.blocks().get(i).messageId());
    }

    /** Calls nextTuple, acking everything emitted, until end of input was sent; at most {@code limit} calls. */
    boolean drainAcking(int limit) {
        return nextUntil(() -> {
            ackAll();
            return !collector.endOfInput().isEmpty();
        }, limit);
    }

    /** The value of the gauge {@code name} of this task. */
    Object gauge(String name) {
        return metrics.getTaskGauges(context.getThisTaskId()).get(name).getValue();
    }

    @Override
    public void close() {
        spout.close();
    }
}
