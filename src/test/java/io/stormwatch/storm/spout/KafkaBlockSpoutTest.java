package io.stormwatch.storm.spout;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.io.BlockBounds;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.testing.CapturedLog;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.apache.logging.log4j.Level;
import org.apache.storm.kafka.spout.KafkaSpoutConfig;
import org.apache.storm.kafka.spout.KafkaSpoutMessageId;
import org.apache.storm.spout.SpoutOutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichSpout;
import org.apache.storm.tuple.Values;
import org.junit.jupiter.api.Test;

/**
 * How {@link KafkaBlockSpout} groups the records its wrapped spout emits into blocks and routes acks and fails
 * back, record by record. The wrapped spout here is {@link ScriptedKafka}: it emits one scripted record per
 * {@code nextTuple}, as storm-kafka-client's {@code KafkaSpout} does, and puts failed records back first, as its
 * retry service does. The real one runs in {@code KafkaIT}.
 */
class KafkaBlockSpoutTest {

    /** Emits the records it is given, one per call; a failed record is emitted again before the others. */
    static final class ScriptedKafka extends BaseRichSpout {
        private static final long serialVersionUID = 1L;
        private final transient KafkaSpoutConfig<byte[], byte[]> config;
        private transient TopologyContext context;
        private transient SpoutOutputCollector collector;
        final transient Deque<KafkaSpoutMessageId> waiting = new ArrayDeque<>();
        final transient Map<KafkaSpoutMessageId, String> values = new java.util.HashMap<>();
        final transient List<Long> acked = new ArrayList<>();
        final transient List<Long> failed = new ArrayList<>();
        int partitions = 2;

        ScriptedKafka(KafkaSpoutConfig<byte[], byte[]> config) {
            this.config = config;
        }

        void add(int partition, long offset, String value) {
            KafkaSpoutMessageId id = new KafkaSpoutMessageId(new TopicPartition("t", partition), offset);
            values.put(id, value);
            waiting.addLast(id);
        }

        @Override
        public void open(Map<String, Object> conf, TopologyContext context, SpoutOutputCollector collector) {
            this.context = context;
            this.collector = collector;
        }

        @Override
        public void activate() {
            config.getTopicPartitioner().getPartitionsForThisTask(IntStream.range(0, partitions)
                    .mapToObj(p -> new TopicPartition("t", p)).toList(), context);
        }

        @Override
        public void nextTuple() {
            KafkaSpoutMessageId id = waiting.pollFirst();
            if (id != null) {
                collector.emit("default", new Values(values.get(id)), id);
            }
        }

        @Override
        public void ack(Object msgId) {
            acked.add(((KafkaSpoutMessageId) msgId).offset());
        }

        @Override
        public void fail(Object msgId) {
            KafkaSpoutMessageId id = (KafkaSpoutMessageId) msgId;
            failed.add(id.offset());
            waiting.addFirst(id);
        }

        @Override
        public void declareOutputFields(OutputFieldsDeclarer declarer) {}
    }

    private static SpoutHarness<KafkaBlockSpout> open(BlockBounds bounds) {
        SpoutHarness<KafkaBlockSpout> harness = SpoutHarness.open(
                new KafkaBlockSpout("127.0.0.1:1", "t", ScriptedKafka::new).withBlockBounds(bounds));
        harness.spout.activate();
        return harness;
    }

    private static ScriptedKafka kafka(SpoutHarness<KafkaBlockSpout> harness) {
        return (ScriptedKafka) harness.spout.inner();
    }

    @Test
    void consecutiveRecordsOfOnePartitionMakeABlockUpToItsBounds() {
        try (SpoutHarness<KafkaBlockSpout> harness = open(new BlockBounds(3, 1 << 20))) {
            ScriptedKafka kafka = kafka(harness);
            for (long o = 40; o < 44; o++) {
                kafka.add(1, o, "line " + o + "\n");
            }
            kafka.add(0, 7, "other partition");
            kafka.add(0, 9, "after a gap");
            harness.next(5);

            List<RecordingSpoutOutputCollector.Emit> blocks = harness.collector.blocks();
            assertThat(blocks).extracting(e -> e.source() + " [" + e.offset() + ", " + e.nextOffset() + ") "
                    + e.texts()).containsExactly(
                    "kafka:t/1 [40, 43) [line 40, line 41, line 42]",
                    "kafka:t/1 [43, 44) [line 43]",
                    "kafka:t/0 [7, 8) [other partition]",
                    "kafka:t/0 [9, 10) [after a gap]");
            // Each partition is a channel of its own, with its own block sequence.
            assertThat(blocks).extracting(e -> e.block().channel()).containsExactly(-2, -2, -1, -1);
            assertThat(blocks).extracting(e -> e.position().seq()).containsExactly(0L, 1L, 0L, 1L);
        }
    }

    @Test
    void acksAndFailsReachEachRecordAndFailedRecordsComeBackAsPartsOfTheirBlock() {
        try (SpoutHarness<KafkaBlockSpout> harness = open(BlockBounds.DEFAULT)) {
            ScriptedKafka kafka = kafka(harness);
            kafka.add(0, 0, "a");
            kafka.add(0, 1, "b");
            kafka.add(0, 2, "c");
            harness.next(1);
            BlockPosition position = harness.collector.blocks().get(0).position();

            harness.fail(0);
            assertThat(kafka.failed).containsExactly(0L, 1L, 2L);
            harness.next(3);
            List<RecordingSpoutOutputCollector.Emit> parts = harness.collector.blocks().subList(1, 4);
            assertThat(parts).extracting(e -> e.texts().get(0) + " [" + e.offset() + ", " + e.nextOffset() + ")")
                    .containsExactlyInAnyOrder("a [0, 1)", "b [1, 2)", "c [2, 3)");
            assertThat(parts).extracting(RecordingSpoutOutputCollector.Emit::position).containsExactlyInAnyOrder(
                    position.part(0, 3), position.part(1, 3), position.part(2, 3));

            harness.ack(1);
            harness.ack(2);
            harness.ack(3);
            assertThat(kafka.acked).containsExactlyInAnyOrder(0L, 1L, 2L);
            assertThat(harness.gauge("records-in-flight")).isEqualTo(0L);

            kafka.add(0, 3, "d");
            harness.next(1);
            assertThat(harness.collector.blocks().get(4).position()).isEqualTo(BlockPosition.whole(position.epoch(), 1));
        }
    }

    @Test
    void aMissingTopicIsOneWarningAndTheWrappedSpoutIsNotCalledInALoop() {
        try (CapturedLog log = CapturedLog.attach(Level.INFO, KafkaBlockSpout.class.getName());
                SpoutHarness<KafkaBlockSpout> harness = SpoutHarness.open(
                        new KafkaBlockSpout("127.0.0.1:1", "t", ScriptedKafka::new))) {
            ScriptedKafka kafka = kafka(harness);
            kafka.partitions = 0;
            harness.spout.activate();
            harness.spout.activate();
            harness.next(10_000);
            assertThat(log.lines()).filteredOn(l -> l.contains("does not exist")).hasSize(1);
            // 10,000 calls within far less than 50 ms × 10,000: the wrapped spout is asked at most every 50 ms.
            assertThat((Long) harness.gauge("kafka-calls")).isLessThan(100);

            kafka.partitions = 3;
            harness.spout.activate();
            assertThat(log.text()).contains("topic 't' found after").contains("this task reads partition(s) [0, 1, 2] of 3");
        }
    }

    @Test
    void aRecordOverTheBoundIsCutInCodePointsAsAFileLineIsAndAHugeOneIsDecodedOnlyInPart() {
        KafkaBlockSpout spout = new KafkaBlockSpout("127.0.0.1:1", "t").withMaxLineLength(4);
        String emoji = "\uD83D\uDE00"; // one code point, two chars

        // 6 code points: cut to bound + 1 = 5 code points (7 chars), so the parser's code-point count says too long.
        assertThat(spout.line(emoji.repeat(6))).isEqualTo(emoji.repeat(5));
        assertThat(spout.line(emoji.repeat(5) + "\n")).isEqualTo(emoji.repeat(5));
        assertThat(spout.line("abcd\r\n")).isEqualTo("abcd");
        assertThat(spout.line(null)).isEmpty();
        // Of a 10 MB record only 4 × (bound + 1) bytes are decoded; an invalid byte stays marked.
        byte[] huge = new byte[10 << 20];
        java.util.Arrays.fill(huge, (byte) 'a');
        huge[0] = (byte) 0xFF;
        String decoded = KafkaBlockSpout.decode(huge, 4);
        assertThat(decoded).hasSize(20).startsWith(String.valueOf(io.stormwatch.core.io.LineReader.UNDECODABLE));
    }
}
