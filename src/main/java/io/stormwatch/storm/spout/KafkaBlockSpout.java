package io.stormwatch.storm.spout;

import io.stormwatch.core.io.BlockBounds;
import io.stormwatch.core.io.LineBlock;
import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.topology.ExecutorWakeups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.storm.kafka.spout.KafkaSpout;
import org.apache.storm.kafka.spout.KafkaSpoutConfig;
import org.apache.storm.kafka.spout.KafkaSpoutMessageId;
import org.apache.storm.kafka.spout.subscription.ManualPartitioner;
import org.apache.storm.kafka.spout.subscription.NamedTopicFilter;
import org.apache.storm.kafka.spout.subscription.RoundRobinManualPartitioner;
import org.apache.storm.spout.ISpoutOutputCollector;
import org.apache.storm.spout.SpoutOutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.IRichSpout;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichSpout;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits the records of a Kafka topic, one line each, in blocks: {@code kafka:BOOTSTRAP/TOPIC}. It wraps a real
 * storm-kafka-client {@link KafkaSpout} (at-least-once processing guarantee), so that Kafka's consumer, offset
 * commits, retries and partition assignment are storm-kafka-client's; this spout only groups the records the
 * wrapped spout emits into blocks and routes acks and fails back to it, record by record.
 *
 * <p><b>How.</b> The wrapped spout gets a collector of this spout's that keeps what it emits instead of sending
 * it. Each {@code nextTuple} calls the wrapped spout's {@code nextTuple} (which emits at most one record) again
 * and again, putting consecutive records of one partition into a block, until the block is full
 * ({@link BlockBounds}), a record of another partition or after an offset gap comes (kept for the next block),
 * or nothing more comes. The block's message id lists the records' Kafka message ids ({@link KafkaBlockId}); when
 * the block is acked each record is acked in the wrapped spout (whose offsets then commit), when it fails each
 * record is failed there (and comes back through its retry service).
 *
 * <p><b>Sources and offsets.</b> A source is one topic-partition, {@code kafka:TOPIC/PARTITION}, and offsets are
 * Kafka's: the record at offset {@code o} is the line {@code [o, o + 1)}, and a block is the records
 * {@code [o, o + n)} with no gap. Example: records 40, 41, 42 of partition 1 of {@code access} → block
 * {@code kafka:access/1 [40, 43)}. A replay (a failure, a restarted worker, a resubmitted topology resuming at the
 * committed offset) carries the same offsets, so the totals bolt recognises what it counted already. The name
 * does not include the cluster: a topic deleted and created again under the same name restarts its offsets, and
 * its first lines would look like replays to totals that are kept across it (use a new consumer group and state).
 *
 * <p><b>Channels.</b> Each partition is a channel of its own ({@link LineBlock#channel()} = {@code -1 − partition}),
 * with its own block sequence, so the window bolt orders and watermarks each partition alone: records of a
 * partition are in order, those of different partitions are not. A partition that sends nothing for the window
 * bolt's idle timeout (30 s) stops holding the windows back. The spout task itself, expected by the window bolt
 * as a channel at the start, sends no blocks under its own id: the first partition block releases it
 * ({@link io.stormwatch.core.window.WindowAssembler}), so it does not hold the first windows back.
 *
 * <p><b>Failed blocks come back as single records</b>, as parts of the block's position (as the file spouts'
 * do, see the package comment): record {@code i} of a failed block of {@code n} comes back, when the wrapped
 * spout retries it, as part {@code i} of {@code n}; a failed part comes back as the same part. So the window bolt
 * drops what it took already, and the totals bolt counts each record once even when the block was partly
 * counted.
 *
 * <p><b>Missing topic, broker down.</b> Neither kills the worker nor spins: a topic with no partitions (not
 * created yet) is logged once at WARN and looked up again every {@link KafkaSettings#refreshMs()}; a failure of
 * the wrapped spout (a broker that cannot be reached times out its metadata look-ups and commits) is logged
 * once at WARN with its reason, reminded every 30 s, and its end logged at INFO with how long it lasted. While
 * the task has no partition the wrapped spout is called at most every {@value #IDLE_CALL_MILLIS} ms.
 *
 * <p>Kafka has no end of input: the end-of-input stream is used only when the topology is deactivated with
 * {@code stormwatch.deactivate.ends.input} ({@link EndOnDeactivate}); nothing more is read, and once the
 * records in flight are acked (and committed) end of input follows. Settings: {@link KafkaSettings}.
 */
public class KafkaBlockSpout extends BaseRichSpout {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(KafkaBlockSpout.class);
    static final long IDLE_CALL_MILLIS = 50;
    private static final long REMINDER_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final String VALUE = "value";

    /** Message id of a block: its source, first offset, and the Kafka message id of each of its records. */
    public record KafkaBlockId(String source, long offset, BlockPosition position, KafkaSpoutMessageId[] records) {}

    /** A record the wrapped spout emitted. */
    private record Emitted(KafkaSpoutMessageId id, String value) {
        int partition() {
            return id.partition();
        }
    }

    /** Makes the wrapped spout; tests give one that emits records of their choosing. */
    interface Inner extends java.io.Serializable, Function<KafkaSpoutConfig<byte[], byte[]>, IRichSpout> {}

    private final String bootstrap;
    private final String topic;
    private int maxLineLength = AccessLogParser.DEFAULT_MAX_LINE_LENGTH;
    private BlockBounds blockBounds = BlockBounds.DEFAULT;
    private final Inner inner;

    private transient IRichSpout kafka;
    private transient SpoutOutputCollector collector;
    private transient List<Emitted> captured;
    private transient Emitted carried;
    private transient long epoch;
    private transient Map<Integer, Long> nextSeq;
    /** Records of failed blocks, with the part they come back as. */
    private transient Map<KafkaSpoutMessageId, BlockPosition> retries;
    private transient long recordsInFlight;
    private transient long recordsRead;
    private transient EndOnDeactivate stop;
    private transient ObservingPartitioner partitioner;
    private transient long refreshMs;
    private transient long nextIdleCallNanos;
    private transient Trouble trouble;
    private transient String name;
    /** Calls of the wrapped spout's nextTuple: each may poll the broker once. */
    private transient long calls;
    private transient boolean committedOnStop;

    public KafkaBlockSpout(String bootstrap, String topic) {
        this(bootstrap, topic, KafkaSpout::new);
    }

    KafkaBlockSpout(String bootstrap, String topic, Inner inner) {
        if (bootstrap == null || bootstrap.isBlank() || topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("a Kafka source needs bootstrap servers and a topic");
        }
        this.bootstrap = bootstrap;
        this.topic = topic;
        this.inner = inner;
    }

    /** Records longer than this many characters are cut so that the parser rejects them (default 64 Ki). */
    public KafkaBlockSpout withMaxLineLength(int characters) {
        if (characters < 1) {
            throw new IllegalArgumentException("max line length must be positive, got " + characters);
        }
        this.maxLineLength = characters;
        return this;
    }

    /** How large a block may grow (default {@link BlockBounds#DEFAULT}). */
    public KafkaBlockSpout withBlockBounds(BlockBounds bounds) {
        if (bounds == null) {
            throw new IllegalArgumentException("block bounds are needed");
        }
        this.blockBounds = bounds;
        return this;
    }

    /** The wrapped spout (for tests). */
    IRichSpout inner() {
        return kafka;
    }

    /** The source name of a partition of {@code topic}. */
    public static String source(String topic, int partition) {
        return "kafka:" + topic + "/" + partition;
    }

    /** The channel of a partition: negative, so it never equals a spout task id. */
    public static int channel(int partition) {
        return -1 - partition;
    }

    @Override
    public void open(Map<String, Object> conf, TopologyContext context, SpoutOutputCollector collector) {
        KafkaSettings settings = KafkaSettings.fromConfig(conf, System.getenv());
        this.collector = ExecutorWakeups.waking(collector, context);
        this.captured = new ArrayList<>(1);
        this.nextSeq = new HashMap<>();
        this.retries = new HashMap<>();
        this.stop = new EndOnDeactivate(conf);
        this.trouble = new Trouble();
        this.refreshMs = settings.refreshMs();
        this.name = "kafka:" + bootstrap + "/" + topic;
        // Epochs are told apart, not ordered: a partition that moves to another task must not look like a replay.
        this.epoch = System.currentTimeMillis() * 1_000 + Math.floorMod(context.getThisTaskId(), 1_000);
        this.partitioner = new ObservingPartitioner();
        // Topic and partitioner go together in the builder; this partitioner reports what it sees.
        // Values are decoded here, as files are: invalid UTF-8 reaches the parser marked, to be rejected, not
        // replaced silently as Kafka's StringDeserializer would.
        int bound = maxLineLength;
        KafkaSpoutConfig<byte[], byte[]> config =
                new KafkaSpoutConfig.Builder<byte[], byte[]>(bootstrap, new NamedTopicFilter(topic), partitioner)
                .setProp("key.deserializer", ByteArrayDeserializer.class)
                .setProp("value.deserializer", ByteArrayDeserializer.class)
                .setProcessingGuarantee(KafkaSpoutConfig.ProcessingGuarantee.AT_LEAST_ONCE)
                .setGroupId(settings.group())
                .setFirstPollOffsetStrategy(settings.firstPoll())
                .setPollTimeoutMs(settings.pollTimeoutMs())
                .setOffsetCommitPeriodMs(settings.commitPeriodMs())
                .setMaxUncommittedOffsets(settings.maxUncommitted())
                .setPartitionRefreshPeriodMs(settings.refreshMs())
                .setProp(settings.consumer())
                .setRecordTranslator(r -> new Values(decode(r.value(), bound)), new Fields(VALUE))
                .build();
        LOG.info("{}: consuming as group '{}' ({})", name, settings.group(), settings);
        this.kafka = inner.apply(config);
        kafka.open(conf, context, new SpoutOutputCollector(new Capture()));
        context.registerGauge("records-read", () -> recordsRead);
        context.registerGauge("records-in-flight", () -> recordsInFlight);
        context.registerGauge("kafka-calls", () -> calls);
    }

    @Override
    public void activate() {
        call(kafka::activate);
    }

    @Override
    public void nextTuple() {
        if (stop.stopping()) {
            return;
        }
        if (partitioner.assigned == 0 && carried == null) {
            // Nothing to read (no topic yet, broker down, more tasks than partitions): look, but not in a loop.
            long now = System.nanoTime();
            if (now - nextIdleCallNanos < 0) {
                return;
            }
            nextIdleCallNanos = now + TimeUnit.MILLISECONDS.toNanos(IDLE_CALL_MILLIS);
        }
        Emitted first = carried != null ? carried : pull();
        carried = null;
        if (first == null) {
            return;
        }
        BlockPosition part = retries.get(first.id());
        if (part != null) {
            emit(new Emitted[] {first}, part);
            return;
        }
        List<Emitted> records = new ArrayList<>();
        records.add(first);
        long bytes = first.value().length();
        while (records.size() < blockBounds.lines() && bytes < blockBounds.bytes()) {
            Emitted next = pull();
            if (next == null) {
                break;
            }
            Emitted last = records.get(records.size() - 1);
            if (next.partition() != first.partition() || next.id().offset() != last.id().offset() + 1
                    || retries.containsKey(next.id())) {
                carried = next;
                break;
            }
            records.add(next);
            bytes += next.value().length();
        }
        long seq = nextSeq.merge(first.partition(), 1L, Long::sum) - 1;
        emit(records.toArray(new Emitted[0]), BlockPosition.whole(epoch, seq));
    }

    /** One record from the wrapped spout, or null when it emitted none. */
    private Emitted pull() {
        captured.clear();
        calls++;
        call(kafka::nextTuple);
        return captured.isEmpty() ? null : captured.get(0);
    }

    private void emit(Emitted[] records, BlockPosition position) {
        int partition = records[0].partition();
        String source = source(topic, partition);
        String[] lines = new String[records.length];
        long[] offsets = new long[records.length];
        KafkaSpoutMessageId[] ids = new KafkaSpoutMessageId[records.length];
        for (int i = 0; i < records.length; i++) {
            lines[i] = line(records[i].value());
            offsets[i] = records[i].id().offset();
            ids[i] = records[i].id();
        }
        LineBlock block = new LineBlock(source, lines, offsets, offsets[records.length - 1] + 1, position,
                channel(partition));
        collector.emit(BlockTuples.of(block), new KafkaBlockId(source, offsets[0], position, ids));
        recordsInFlight += records.length;
    }

    /**
     * A record's bytes as text, decoded as files are (invalid UTF-8 marked, not replaced), and at most
     * {@code 4 × (bound + 1)} of them — as many as the file reader keeps of a line —, so that a huge record costs
     * no more memory than a huge line; what is dropped is past the bound anyway (a code point has at most 4 bytes).
     */
    static String decode(byte[] value, int bound) {
        return value == null ? "" : LineReader.decode(value, 0, (int) Math.min(value.length, 4L * (bound + 1)));
    }

    /**
     * A record's value as a line: no terminator, and cut just past the length bound in <em>code points</em>, as
     * the file reader cuts, so that the parser rejects it as too long whatever characters it holds (a cut in UTF-16
     * chars kept fewer code points than the bound when the line had supplementary characters, and the line went
     * on to be rejected for another reason than a file's same line).
     */
    String line(String value) {
        if (value == null) {
            return "";
        }
        String line = value.endsWith("\r\n") ? value.substring(0, value.length() - 2)
                : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
        if (line.length() <= maxLineLength + 1 || line.codePointCount(0, line.length()) <= maxLineLength + 1) {
            return line;
        }
        return line.substring(0, line.offsetByCodePoints(0, maxLineLength + 1));
    }

    @Override
    public void ack(Object msgId) {
        if (msgId instanceof KafkaBlockId id) {
            for (KafkaSpoutMessageId record : id.records()) {
                retries.remove(record);
                call(() -> kafka.ack(record));
            }
            recordsInFlight -= id.records().length;
        }
        endIfStopped();
    }

    @Override
    public void fail(Object msgId) {
        if (msgId instanceof KafkaBlockId id) {
            KafkaSpoutMessageId[] records = id.records();
            for (int i = 0; i < records.length; i++) {
                KafkaSpoutMessageId record = records[i];
                if (!stop.stopping()) {
                    retries.put(record, id.position().isWhole() ? id.position().part(i, records.length) : id.position());
                }
                call(() -> kafka.fail(record));
            }
            recordsInFlight -= records.length;
        }
        endIfStopped();
    }

    @Override
    public void deactivate() {
        call(kafka::deactivate); // commits what is acked
        if (stop.deactivated()) {
            LOG.info("{}: deactivated; reading stopped, ending the input once {} record(s) in flight are processed",
                    name, recordsInFlight);
            endIfStopped();
        }
    }

    private void endIfStopped() {
        if (stop.stopping() && recordsInFlight == 0 && !committedOnStop) {
            committedOnStop = true;
            call(kafka::deactivate); // commits the last acks
        }
        stop.endWhenIdle(collector, name, () -> recordsInFlight, List.of(), () -> recordsRead);
    }

    @Override
    public void close() {
        if (kafka != null) {
            call(kafka::close);
        }
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declare(Schema.BLOCK_FIELDS);
        declarer.declareStream(Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS);
        declarer.declareStream(Schema.RETIRED_STREAM, Schema.RETIRED_FIELDS);
    }

    /**
     * Calls the wrapped spout, which throws when Kafka cannot be reached (metadata look-ups and commits time out):
     * that is logged (see the class comment) and the call is tried again later, never passed on to kill the worker.
     * An interrupt is passed on: the worker is stopping.
     */
    private void call(Runnable call) {
        try {
            call.run();
            trouble.ok();
        } catch (RuntimeException e) {
            if (e.getCause() instanceof InterruptedException) {
                throw e;
            }
            trouble.failed(e);
        }
    }

    /** Logs a run of failures once, reminds of it every 30 s, and logs its end. */
    private final class Trouble {
        private long sinceNanos;
        private long lastLogNanos;
        private long failures;

        void failed(RuntimeException e) {
            long now = System.nanoTime();
            failures++;
            if (failures == 1) {
                sinceNanos = now;
                lastLogNanos = now;
                LOG.warn("{}: cannot reach Kafka ({}); the worker goes on and tries again every {} ms", name,
                        reason(e), refreshMs);
            } else if (now - lastLogNanos >= REMINDER_NANOS) {
                lastLogNanos = now;
                LOG.warn("{}: still cannot reach Kafka after {} s ({} failed calls; last: {})", name,
                        TimeUnit.NANOSECONDS.toSeconds(now - sinceNanos), failures, reason(e));
            }
        }

        void ok() {
            if (failures > 0) {
                LOG.info("{}: Kafka reached again after {} s ({} failed calls)", name,
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - sinceNanos), failures);
                failures = 0;
            }
        }

        private String reason(RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            return cause == e ? e.toString() : e + ", caused by " + cause;
        }
    }

    /**
     * Round-robin partition assignment (storm-kafka-client's), reporting what it sees: a topic with no partitions
     * (missing) once, and the partitions this task reads whenever they change.
     */
    private final class ObservingPartitioner implements ManualPartitioner {
        private static final long serialVersionUID = 1L;
        private final RoundRobinManualPartitioner delegate = new RoundRobinManualPartitioner();
        private boolean reportedMissing;
        private long missingSinceNanos;
        private Set<TopicPartition> mine = Set.of();
        int assigned;
        long lookups;

        @Override
        public Set<TopicPartition> getPartitionsForThisTask(List<TopicPartition> all, TopologyContext context) {
            lookups++;
            if (all.isEmpty()) {
                if (!reportedMissing) {
                    reportedMissing = true;
                    missingSinceNanos = System.nanoTime();
                    LOG.warn("{}: topic '{}' does not exist (yet); waiting for it, looking again every {} ms", name,
                            topic, refreshMs);
                }
            } else if (reportedMissing) {
                reportedMissing = false;
                LOG.info("{}: topic '{}' found after {} s with {} partition(s) ({} look-ups)", name, topic,
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - missingSinceNanos), all.size(), lookups);
            }
            Set<TopicPartition> result = delegate.getPartitionsForThisTask(all, context);
            if (!result.equals(mine)) {
                LOG.info("{}: this task reads partition(s) {} of {}", name, result.stream().map(TopicPartition::partition)
                        .sorted().toList(), all.size());
                mine = Set.copyOf(result);
            }
            assigned = result.size();
            return result;
        }
    }

    /** Keeps what the wrapped spout emits; counts calls. */
    private final class Capture implements ISpoutOutputCollector {
        @Override
        public List<Integer> emit(String streamId, List<Object> tuple, Object messageId) {
            captured.add(new Emitted((KafkaSpoutMessageId) messageId, (String) tuple.get(0)));
            recordsRead++;
            return List.of();
        }

        @Override
        public void emitDirect(int taskId, String streamId, List<Object> tuple, Object messageId) {
            emit(streamId, tuple, messageId);
        }

        @Override
        public long getPendingCount() {
            return recordsInFlight;
        }

        @Override
        public void flush() {
        }

        @Override
        public void reportError(Throwable error) {
            collector.reportError(error);
        }
    }
}
