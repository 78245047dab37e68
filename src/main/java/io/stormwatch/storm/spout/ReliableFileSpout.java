package io.stormwatch.storm.spout;

import io.stormwatch.core.io.ReliableFileReader;
import io.stormwatch.core.io.SourcedLine;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.storm.Schema;
import java.util.Map;
import org.apache.storm.spout.SpoutOutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichSpout;
import org.apache.storm.tuple.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Storm glue shared by the spouts that read complete files with a {@link ReliableFileReader}: each line is
 * one reliable tuple {@code (line, source, offset, next-offset)} ({@link Schema#LINE_FIELDS}) on the default
 * stream with message id {@link LineMessageId}{@code (source, offset)}; a failed tuple is emitted again from
 * memory, with the same values; once the reader
 * is drained (only finite catalogs ever are), one unanchored tuple {@code (source)} goes out on
 * {@link Schema#END_OF_INPUT_STREAM}, after which the spout emits nothing more.
 *
 * <p>Lines are emitted one per {@code nextTuple} call, and new lines only while fewer than
 * {@code maxInFlight} lines of this task are unacked (the replay memory bound; {@code topology.max.spout.pending}
 * usually bounds it first). No method throws: problems are logged and retried, so the worker never dies of
 * its input.
 *
 * <p>Metrics (gauges per task): {@code lines-emitted}, {@code lines-replayed}, {@code lines-in-flight},
 * {@code files-completed}, {@code files-failed}.
 *
 * @param <S> the concrete spout, so that the {@code with...} setters chain
 */
public abstract class ReliableFileSpout<S extends ReliableFileSpout<S>> extends BaseRichSpout {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ReliableFileSpout.class);

    private int maxInFlight = 10_000;
    private int maxLineLength = AccessLogParser.DEFAULT_MAX_LINE_LENGTH;

    private transient SpoutOutputCollector collector;
    private transient ReliableFileReader reader;
    private transient String endOfInputSource;
    private transient boolean endOfInputSent;

    /** Upper bound on unacked lines of one task, whose text is kept for replay (default 10,000). */
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
        this.collector = collector;
        this.reader = new ReliableFileReader(catalog(context), maxInFlight, maxLineLength,
                checkpointIntervalMillis(), System::currentTimeMillis);
        this.endOfInputSource = describeInput();
        ReliableFileReader metered = reader;
        context.registerGauge("lines-emitted", metered::linesEmitted);
        context.registerGauge("lines-replayed", metered::linesReplayed);
        context.registerGauge("lines-in-flight", metered::inFlight);
        context.registerGauge("files-completed", metered::filesCompleted);
        context.registerGauge("files-failed", metered::filesFailed);
    }

    @Override
    public void nextTuple() {
        if (endOfInputSent) {
            return;
        }
        try {
            SourcedLine line = reader.next();
            if (line != null) {
                collector.emit(new Values(line.text(), line.source(), line.offset(), line.nextOffset()),
                        new LineMessageId(line.source(), line.offset()));
            } else if (reader.drained()) {
                collector.emit(Schema.END_OF_INPUT_STREAM, new Values(endOfInputSource));
                endOfInputSent = true;
                LOG.info("all lines of {} read and acked; end of input sent", endOfInputSource);
            }
        } catch (RuntimeException e) {
            LOG.error("unexpected failure reading {}; going on", endOfInputSource, e);
        }
    }

    @Override
    public void ack(Object msgId) {
        if (msgId instanceof LineMessageId id) {
            reader.ack(id.source(), id.offset());
        }
    }

    @Override
    public void fail(Object msgId) {
        if (msgId instanceof LineMessageId id && reader.fail(id.source(), id.offset())) {
            LOG.debug("line {} of {} failed; replaying it", id.offset(), id.source());
        }
    }

    @Override
    public void deactivate() {
        if (reader != null) {
            reader.checkpoint();
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
        declarer.declare(Schema.LINE_FIELDS);
        declarer.declareStream(Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS);
    }
}
