package io.stormwatch.storm.bolt;

import io.stormwatch.core.log.AccessLogFormats;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.log.ParseResult;
import io.stormwatch.core.log.RejectReason;
import io.stormwatch.storm.Schema;
import java.util.Map;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichBolt;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.tuple.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses lines ({@link Schema#LINE_FIELDS}) into records.
 *
 * <p>Emits, anchored to the line: a parsed line on the default stream ({@link Schema#RECORD_FIELDS}), a
 * rejected one on {@link Schema#REJECTED_STREAM} ({@link Schema#REJECTED_FIELDS}: the reason's key, the
 * parser's detail, the line cut to {@value #DEAD_LETTER_LINE_CHARS} characters, source, offset, next offset);
 * both carry the line's source position unchanged. Every line gives exactly one of the two, then is acked;
 * a parser that throws is a bug, and the line is still rejected as malformed rather than lost or allowed to
 * kill the worker. End of input is forwarded once every upstream task has sent it.
 */
public final class ParseBolt extends BaseRichBolt {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ParseBolt.class);

    /** Dead letters keep this many characters of a line: enough to see what is wrong, bounded in size. */
    public static final int DEAD_LETTER_LINE_CHARS = 1024;

    private final String format;
    private final int maxLineLength;
    private transient AccessLogParser parser;
    private transient OutputCollector collector;
    private transient EndOfInputBarrier endOfInput;
    private transient String componentId;

    /**
     * @param format        {@code auto}, {@code common}, {@code combined}, ... or a LogFormat string
     * @param maxLineLength lines longer than this many characters are rejected as too long
     * @throws IllegalArgumentException for an unknown format, at topology build time rather than in a worker
     */
    public ParseBolt(String format, int maxLineLength) {
        this.format = format;
        this.maxLineLength = maxLineLength;
        AccessLogFormats.parser(format, maxLineLength);
    }

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.parser = AccessLogFormats.parser(format, maxLineLength);
        this.collector = collector;
        this.endOfInput = new EndOfInputBarrier(context);
        this.componentId = context.getThisComponentId();
    }

    @Override
    public void execute(Tuple input) {
        try {
            if (EndOfInputBarrier.isEndOfInput(input)) {
                if (endOfInput.arrive(input)) {
                    collector.emit(Schema.END_OF_INPUT_STREAM, input, new Values(componentId));
                }
            } else {
                parse(input);
            }
            collector.ack(input);
        } catch (RuntimeException e) {
            LOG.error("Cannot process tuple from {} on stream {}", input.getSourceComponent(), input.getSourceStreamId(), e);
            collector.reportError(e);
            collector.fail(input);
        }
    }

    private void parse(Tuple input) {
        String line = input.getStringByField(Schema.LINE);
        String source = input.getStringByField(Schema.SOURCE);
        long offset = input.getLongByField(Schema.OFFSET);
        long nextOffset = input.getLongByField(Schema.NEXT_OFFSET);
        ParseResult result;
        try {
            result = parser.parse(line);
        } catch (RuntimeException e) {
            LOG.error("Parser failed on a line of {} at offset {}", source, offset, e);
            result = new ParseResult.Rejected(RejectReason.MALFORMED, "parser error: " + e);
        }
        if (result instanceof ParseResult.Parsed parsed) {
            collector.emit(input, new Values(parsed.record(), source, offset, nextOffset));
        } else if (result instanceof ParseResult.Rejected rejected) {
            collector.emit(Schema.REJECTED_STREAM, input, new Values(rejected.reason().key(), rejected.detail(),
                    deadLetterLine(line), source, offset, nextOffset));
        }
    }

    /** The line cut to {@link #DEAD_LETTER_LINE_CHARS}, never between the two halves of a surrogate pair. */
    static String deadLetterLine(String line) {
        if (line.length() <= DEAD_LETTER_LINE_CHARS) {
            return line;
        }
        int end = DEAD_LETTER_LINE_CHARS;
        if (Character.isHighSurrogate(line.charAt(end - 1))) {
            end--;
        }
        return line.substring(0, end);
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declare(Schema.RECORD_FIELDS);
        declarer.declareStream(Schema.REJECTED_STREAM, Schema.REJECTED_FIELDS);
        declarer.declareStream(Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS);
    }
}
