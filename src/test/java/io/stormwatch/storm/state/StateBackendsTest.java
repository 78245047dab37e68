package io.stormwatch.storm.state;

import static io.stormwatch.testing.TestTopology.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.bolt.TotalsBolt;
import io.stormwatch.storm.sink.Result;
import io.stormwatch.testing.Blocks;
import io.stormwatch.testing.EventJob;
import io.stormwatch.testing.RecordingOutputCollector;
import io.stormwatch.testing.RedisServer;
import io.stormwatch.testing.TestTopology;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.state.KeyValueState;
import org.apache.storm.state.StateFactory;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StateBackendsTest {

    private static final String PASSWORD = "state-secret";
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisServer.start(PASSWORD);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void inMemoryIsOurProviderWithCheckpointsThatCostTheChanges() {
        Map<String, Object> conf = StateBackends.inMemory();
        TopologyContext context = topology(conf).context("totals", 0);

        assertThat(conf).containsOnlyKeys(Config.TOPOLOGY_STATE_PROVIDER)
                .containsEntry(Config.TOPOLOGY_STATE_PROVIDER, "io.stormwatch.storm.state.MemoryKeyValueStateProvider");
        assertThat(StateFactory.getState("ns", context.getConf(), context)).isInstanceOf(MemoryKeyValueState.class);
    }

    @Test
    void redisIsOurProviderWithTheEndpointAsJson() {
        Map<String, Object> conf = StateBackends.redis(new RedisEndpoint("redis.example", 6380, "pw", 3, true, 1500));

        assertThat(conf).containsEntry(Config.TOPOLOGY_STATE_PROVIDER, "io.stormwatch.storm.state.RedisStateProvider");
        assertThat((String) conf.get(Config.TOPOLOGY_STATE_PROVIDER_CONFIG)).isEqualTo(
                "{\"host\":\"redis.example\",\"port\":6380,\"database\":3,\"timeout\":1500,\"tls\":true,\"password\":\"pw\"}");
    }

    /**
     * The running totals survive a restart through real Redis state: what was committed comes back, and
     * the replayed blocks that were committed are skipped.
     */
    @Test
    void runningTotalsSurviveARestartInRedis() {
        Map<String, Object> backend = StateBackends.redis(new RedisEndpoint(redis.host(), redis.port(), PASSWORD, 1, false, 2000));
        TestTopology topology = topology(backend);

        RecordingOutputCollector output = new RecordingOutputCollector();
        TotalsBolt first = start(topology, output);
        KeyValueState<String, Object> firstState = state(topology);
        first.initState(firstState);
        first.execute(block(topology, 0, 2));
        first.prePrepare(1);
        firstState.prepareCommit(1);
        firstState.commit(1);
        first.execute(block(topology, 2, 2));
        first.prePrepare(2);
        firstState.prepareCommit(2);
        // Crash before the commit of txid 2: a new worker gets a fresh state object, rolled back by Storm.

        TotalsBolt second = start(topology, output);
        KeyValueState<String, Object> secondState = state(topology);
        secondState.rollback();
        second.initState(secondState);
        for (long first2 : List.of(0L, 2L, 4L)) {
            second.execute(block(topology, first2, 2));
        }
        second.execute(topology.tick());

        List<RecordingOutputCollector.Emit> totals = output.emits(Schema.TOTALS_STREAM);
        Tally expected = Blocks.tally(0, 6);
        assertThat(((Result) totals.get(totals.size() - 1).values().get(0)).json())
                .isEqualTo(new EventJob().views().json(expected).toString());
        try (var jedis = redis.client()) {
            jedis.select(1);
            assertThat(jedis.exists("totals-" + topology.tasks("totals").get(0))).as("Storm's state hash, totals-<task>").isTrue();
        }
    }

    private static TestTopology topology(Map<String, Object> backend) {
        TestTopology topology = new TestTopology()
                .component("parse", 1, Map.of(Utils.DEFAULT_STREAM_ID, Schema.PANES_FIELDS))
                .bolt("totals", 1, new TotalsBolt(new EventJob()), stream("parse", Utils.DEFAULT_STREAM_ID));
        backend.forEach(topology::conf);
        return topology;
    }

    private static TotalsBolt start(TestTopology topology, RecordingOutputCollector output) {
        TotalsBolt bolt = new TotalsBolt(new EventJob());
        bolt.prepare(topology.conf(), topology.context("totals", 0), output.collector());
        return bolt;
    }

    @SuppressWarnings("unchecked")
    private static KeyValueState<String, Object> state(TestTopology topology) {
        TopologyContext context = topology.context("totals", 0);
        String namespace = context.getThisComponentId() + "-" + context.getThisTaskId();
        return (KeyValueState<String, Object>) StateFactory.getState(namespace, topology.conf(), context);
    }

    /** Lines {@code [first, first + count)} of a.log as one counted block. */
    private static Tuple block(TestTopology topology, long first, int count) {
        BlockPanes panes = Blocks.panes(1, "a.log", first, count, first);
        return topology.tuple("parse", 0, Utils.DEFAULT_STREAM_ID, panes, "a.log", panes.offset(), panes.nextOffset());
    }
}
