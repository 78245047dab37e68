package io.stormwatch.storm.spout;

import io.stormwatch.core.io.BlockBounds;
import io.stormwatch.core.io.LineBlock;
import io.stormwatch.core.io.ReliableFileReader;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.topology.ExecutorWakeups;
import java.util.List;
import java.util.Map;
import org.apache.storm.spout.SpoutOutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichSpout;
import org.apache.storm.tuple.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storm glue shared by the spouts that read complete files with a {@link ReliableFileReader}: each block of
 * lines is one reliable tuple {@code (block, source, offset, next-offset)} ({@link Schema#BLOCK_FIELDS}) on
 * the default stream with message id {@link BlockMessageId}{@code (source, offset)}; once the reader is
 * drained (only finite catalogs ever are), one unanchored tuple {@code (source, unread)} goes out on
 * {@link Schema#END_OF_INPUT_STREAM}, after which the spout emits nothing more; {@code unread} names the files
 * that could not be read whole ({@link ReliableFileReader#unread}), so the output is not marked complete.
 *
 * <p><b>Blocks.</b> A block holds the next lines of one file, up to {@link #withBlockBounds} (default
 * {@link BlockBounds#DEFAULT}: 1,024 lines or 1 MiB); a file's blocks are full but for its last. Blocks carry
 * a {@link io.stormwatch.core.window.BlockPosition}: epoch = the time the task opened, seq = 0, 1, 2, … over
 * all the files of the task.
 *
 * <p><b>Failures come back as single lines.</b> A failed block is not emitted again as it was: its lines
 * come back one per tuple, as parts {@code i} of {@code n} at the block's position, each with its own
 * message id {@code (source, offset of the line)}, acked or failed on its own; a failed part comes back as
 * the same part. Example: the block {@code [0, 30)} with lines at 0, 10, 20 at seq 4 fails → tuples
 * {@code [0, 10)} part 0/3, {@code [10, 20)} part 1/3, {@code [20, 30)} part 2/3, all at seq 4, with message
 * ids {@code (source, 0)}, {@code (source, 10)}, {@code (source, 20)}; if {@code (source, 10)} fails again it
 * is emitted again as part 1/3. Why: downstream counts each {@code [offset, next-offset)} range once, and
 * after a restart a spout may cut blocks at other boundaries than before, so a block can be partly counted
 * already; the totals bolt fails such a block, and single lines are always fully counted or not at all.
 *
 * <p><b>In flight.</b> New blocks are read only while fewer than {@code maxInFlight} lines of this task are
 * unacked (default 131,072 lines, 128 full blocks; their text is kept for replay, a few tens of MB) and those
 * lines span less than 64 MiB of input ({@link io.stormwatch.core.io.BlockTracker#DEFAULT_MAX_BYTES_IN_FLIGHT}:
 * long lines, such as tweets or lines cut at the line bound, hold no more memory than short ones). These are
 * bounds in lines and bytes, while {@code topology.max.spout.pending} counts tuples (blocks and parts). It must not be too small: the
 * totals bolt acks only once a state checkpoint (every 100 ms) covers a block, so at a rate of R lines/s at
 * least R × 0.15 s lines are in flight (150,000 at 1 M lines/s) or the spout waits for acks. No method
 * throws: problems are logged and retried, so the worker never dies of its input.
 *
 * <p><b>Retired sources.</b> A spout whose catalog {@linkplain ReliableFileReader.Catalog#retiresCompletedFiles()
 * retires completed files} ({@link SpoolDirectorySpout}) emits one unanchored tuple {@code (source)} on
 * {@link Schema#RETIRED_STREAM} once a file is done (every block acked, file marked done); {@link FileSpout}
 * never does. The stream is declared by every spout.
 *
 * <p>Metrics (gauges per task): {@code lines-emitted} (new lines), {@code lines-replayed} (lines emitted
 * again as parts), {@code lines-in-flight}, {@code blocks-emitted} (new blocks), {@code files-completed},
 * {@code files-failed}.
 *
 * @param <S> the concrete spout, so that the {@code with...} setters chain
 */
public abstract class ReliableFileSpout<S extends ReliableFileSpout<S>> extends BaseRichSpout {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ReliableFileSpout.class);

    /** Default of {@link #withMaxInFlight}: enough for about 600 k lines/s with 100 ms checkpoints downstream. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 131_072;

    private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private int maxLineLength = AccessLogParser.DEFAULT_MAX_LINE_LENGTH;
    private BlockBounds blockBounds = BlockBounds.DEFAULT;

    private transient SpoutOutputCollector collector;
    private transient ReliableFileReader reader;
    private transient String endOfInputSource;
    private transient boolean endOfInputSent;
    private transient EndOnDeactivate stop;

    /**
     * Upper bound on unacked lines of one task, whose text is kept for replay (default 131,072: 128 blocks of
     * 1,024); at least rate × 0.15 s (see the class comment).
     */
    public S withMaxInFlight(int lines) {
        if (lines < 1) {
            throw new IllegalArgumentException("max in-flight lines must be positive, got " + lines);
        }
        this.maxInFlight = lines;
        return self();
    }

    /** Lines longer than this many characters are cut so the parser rejects them (default 64 Ki). */
    public S withMaxLineLength(int characters) {
        if (characters < 1) {
            throw new IllegalArgumentException("max line length must be positive, got " + characters);
        }
        this.maxLineLength = characters;
        return self();
    }

    /** How large a block may grow (default {@link BlockBounds#DEFAULT}). */
    public S withBlockBounds(BlockBounds bounds) {
        if (bounds == null) {
            throw new IllegalArgumentException("block bounds are needed");
        }
        this.blockBounds = bounds;
        return self();
    }

    /** What files this task reads and what becomes of them. */
    protected abstract ReliableFileReader.Catalog catalog(TopologyContext context);

    /** How often resume points are handed to the catalog (default 1 s). */
    protected long checkpointIntervalMillis() {
        return 1_000;
    }

    /** The {@link Schema#SOURCE} value of the end-of-input tuple: what this spout read. */
    protected abstract String describeInput();

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    @Override
    public void open(Map<String, Object> conf, TopologyContext context, SpoutOutputCollector collector) {
        this.collector = ExecutorWakeups.waking(collector, context);
        this.stop = new EndOnDeactivate(conf);
        this.reader = new ReliableFileReader(catalog(context),
                new ReliableFileReader.Settings(maxInFlight, maxLineLength, blockBounds, checkpointIntervalMillis()),
                System.currentTimeMillis(), System::currentTimeMillis);
        this.endOfInputSource = describeInput();
        ReliableFileReader metered = reader;
        context.registerGauge("lines-emitted", metered::linesEmitted);
        context.registerGauge("lines-replayed", metered::linesReplayed);
        context.registerGauge("lines-in-flight", metered::inFlight);
        context.registerGauge("blocks-emitted", metered::blocksEmitted);
        context.registerGauge("files-completed", metered::filesCompleted);
        context.registerGauge("files-failed", metered::filesFailed);
    }

    @Override
    public void nextTuple() {
        if (endOfInputSent || stop.stopping()) {
            return;
        }
        try {
            LineBlock block = reader.next();
            if (block != null) {
                collector.emit(BlockTuples.of(block), BlockTuples.messageId(block));
            }
            // Before the end of input, which may follow in this very call: a file completed by next() above.
            for (String retired; (retired = reader.pollRetired()) != null; ) {
                collector.emit(Schema.RETIRED_STREAM, BlockTuples.retired(retired));
            }
            if (block == null && reader.drained()) {
                List<String> unread = reader.unread();
                collector.emit(Schema.END_OF_INPUT_STREAM, new Values(endOfInputSource, String.join("\n", unread)));
                endOfInputSent = true;
                if (unread.isEmpty()) {
                    LOG.info("all lines of {} read and acked; end of input sent", endOfInputSource);
                } else {
                    LOG.warn("{} drained but not read whole ({}); end of input sent", endOfInputSource,
                            String.join("; ", unread));
                }
            }
        } catch (RuntimeException e) {
            LOG.error("unexpected failure reading {}; going on", endOfInputSource, e);
        }
    }

    @Override
    public void ack(Object msgId) {
        if (msgId instanceof BlockMessageId id) {
            reader.ack(id.source(), id.offset());
        }
        endIfStopped();
    }

    @Override
    public void fail(Object msgId) {
        if (msgId instanceof BlockMessageId id && reader.fail(id.source(), id.offset())) {
            LOG.debug("block at {} of {} failed; replaying its lines one by one", id.offset(), id.source());
        }
        endIfStopped();
    }

    @Override
    public void deactivate() {
        if (reader != null) {
            reader.checkpoint();
        }
        if (stop != null && !endOfInputSent && stop.deactivated()) {
            LOG.info("{}: deactivated, reading no more; ending the input once the blocks in flight finish", endOfInputSource);
            endIfStopped();
        }
    }

    private void endIfStopped() {
        if (!endOfInputSent) {
            stop.endWhenIdle(collector, endOfInputSource, reader::inFlight, reader.unread(), reader::linesEmitted);
        }
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declare(Schema.BLOCK_FIELDS);
        declarer.declareStream(Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS);
        declarer.declareStream(Schema.RETIRED_STREAM, Schema.RETIRED_FIELDS);
    }
}
