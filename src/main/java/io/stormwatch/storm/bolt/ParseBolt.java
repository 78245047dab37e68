package io.stormwatch.storm.bolt;

import io.stormwatch.core.io.LineBlock;
import io.stormwatch.core.job.BlockCounter;
import io.stormwatch.core.job.DeadLetter;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.topology.ExecutorWakeups;
import java.util.Map;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichBolt;
import org.apache.storm.topology.base.BaseWindowedBolt.Duration;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.tuple.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job over blocks of lines ({@link Schema#BLOCK_FIELDS}): each line becomes a record counted into the
 * tally of its event-time pane, or a rejection with a reason ({@link BlockCounter}). The same for every job;
 * the job is a parameter.
 *
 * <p>Emits, anchored to the block: one {@code BlockPanes} on the default stream ({@link Schema#PANES_FIELDS},
 * the block's source position unchanged), read by the window bolt (in the block's spout-task order) and the
 * totals bolt (exactly once per block range); and, when the block had rejected lines, one tuple with all of
 * them on {@link Schema#REJECTED_STREAM}. Then acks the block. Parsing has no state, so any number of parse
 * tasks give the same results: the channel (the block's spout task, or the channel the spout gave it, e.g. a
 * Kafka partition: {@link LineBlock#channelOr}) and position travel on.
 *
 * <p>The pane size (slide) and lag must be the window bolt's: lines are cut into panes here, and lines whose
 * pane had closed by the earlier lines of the block are found late here; the window bolt checks that the
 * blocks it gets were cut with its own window.
 */
public final class ParseBolt extends BaseRichBolt {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ParseBolt.class);

    private final Job<?> job;
    private final WindowSpec window;
    private final int maxLineLength;
    private transient BlockCounter<?> counter;
    private transient OutputCollector collector;

    /**
     * @param window        the window whose slide (pane size) and lag cut the panes
     * @param maxLineLength lines longer than this many characters are rejected as too long
     */
    public ParseBolt(Job<?> job, WindowSpec window, int maxLineLength) {
        if (maxLineLength < 1) {
            throw new IllegalArgumentException("max line length must be positive, got " + maxLineLength);
        }
        this.job = job;
        this.window = window;
        this.maxLineLength = maxLineLength;
    }

    /** For Flux: the window as Storm durations, as the window bolt takes them. */
    public ParseBolt(Job<?> job, Duration length, Duration slide, Duration lag, int maxLineLength) {
        this(job, new WindowSpec(length.value, slide.value, lag.value), maxLineLength);
    }

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.counter = counter(job, window, maxLineLength);
        this.collector = ExecutorWakeups.waking(collector, context);
    }

    private static <R> BlockCounter<R> counter(Job<R> job, WindowSpec window, int maxLineLength) {
        return new BlockCounter<>(job, window, maxLineLength);
    }

    @Override
    public void execute(Tuple input) {
        try {
            LineBlock block = (LineBlock) input.getValueByField(Schema.BLOCK);
            BlockCounter.Counted counted = counter.count(block.channelOr(input.getSourceTask()), block.position(), block.source(),
                    block.lines(), block.offsets(), block.nextOffset());
            collector.emit(input, new Values(counted.panes(), block.source(), block.offset(), block.nextOffset()));
            if (!counted.deadLetters().isEmpty()) {
                collector.emit(Schema.REJECTED_STREAM, input,
                        new Values((Object) counted.deadLetters().toArray(new DeadLetter[0])));
            }
            collector.ack(input);
        } catch (RuntimeException e) {
            LOG.error("Cannot parse a block from {} on stream {}", input.getSourceComponent(), input.getSourceStreamId(), e);
            collector.reportError(e);
            collector.fail(input);
        }
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declare(Schema.PANES_FIELDS);
        declarer.declareStream(Schema.REJECTED_STREAM, Schema.REJECTED_FIELDS);
    }
}
