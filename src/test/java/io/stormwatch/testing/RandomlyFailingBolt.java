package io.stormwatch.testing;

import java.io.Serializable;
import java.util.Map;
import java.util.Random;
import org.apache.storm.generated.ComponentObject;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.IRichBolt;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.Utils;

/**
 * A fault for tests: a bolt as built (Storm's wrapper of a stateful bolt included) that fails a share of the
 * data tuples it gets — those on the default stream — before the bolt sees them, so that the spout replays
 * them. Checkpoint, tick and end-of-input tuples pass untouched. Each task draws from its own seeded random.
 */
public final class RandomlyFailingBolt implements IRichBolt {

    private static final long serialVersionUID = 1L;

    private final IRichBolt bolt;
    private final double failRate;
    private final long seed;
    private transient Random random;
    private transient OutputCollector collector;

    private RandomlyFailingBolt(IRichBolt bolt, double failRate, long seed) {
        this.bolt = bolt;
        this.failRate = failRate;
        this.seed = seed;
    }

    /** Makes component {@code id} of {@code topology} fail {@code failRate} of its data tuples. */
    public static void inject(StormTopology topology, String id, double failRate, long seed) {
        ComponentObject object = topology.get_bolts().get(id).get_bolt_object();
        IRichBolt bolt = (IRichBolt) Utils.javaDeserialize(object.get_serialized_java(), Serializable.class);
        topology.get_bolts().get(id).set_bolt_object(
                ComponentObject.serialized_java(Utils.javaSerialize(new RandomlyFailingBolt(bolt, failRate, seed))));
    }

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.collector = collector;
        this.random = new Random(seed * 31 + context.getThisTaskId());
        bolt.prepare(topoConf, context, collector);
    }

    @Override
    public void execute(Tuple input) {
        if (Utils.DEFAULT_STREAM_ID.equals(input.getSourceStreamId()) && random.nextDouble() < failRate) {
            collector.fail(input);
            return;
        }
        bolt.execute(input);
    }

    @Override
    public void cleanup() {
        bolt.cleanup();
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        bolt.declareOutputFields(declarer);
    }

    @Override
    public Map<String, Object> getComponentConfiguration() {
        return bolt.getComponentConfiguration();
    }
}
