package io.stormwatch.storm.sink;

import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.window.WindowResult;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.bolt.EndOfInputBarrier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichBolt;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.TupleUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the result streams to a {@link StatsSink}: {@link Schema#WINDOWS_STREAM},
 * {@link Schema#TOTALS_STREAM}, {@link Schema#REJECTED_STREAM} and {@link Schema#LATE_STREAM}, whichever
 * the topology subscribes it to, plus {@link Schema#END_OF_INPUT_STREAM} from each of those components.
 * Once every upstream task has sent end of input, the sink's {@link StatsSink#endOfInput()} runs. Flushes
 * the sink on a one-second tick. Run one task per sink whose output is a single place (files).
 *
 * <p>A tuple the sink could not take (an I/O error) is failed and the error reported; the bolt goes on.
 */
public final class SinkBolt extends BaseRichBolt {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SinkBolt.class);

    private final StatsSink sink;
    private transient OutputCollector collector;
    private transient EndOfInputBarrier endOfInput;

    public SinkBolt(StatsSink sink) {
        this.sink = sink;
    }

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.collector = collector;
        this.endOfInput = new EndOfInputBarrier(context);
        try {
            sink.open(topoConf, context);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + sink, e);
        }
    }

    @Override
    public Map<String, Object> getComponentConfiguration() {
        Map<String, Object> conf = new HashMap<>();
        conf.put(Config.TOPOLOGY_TICK_TUPLE_FREQ_SECS, 1);
        return conf;
    }

    @Override
    public void execute(Tuple input) {
        try {
            if (TupleUtils.isTick(input)) {
                sink.flush();
            } else {
                deliver(input);
            }
            collector.ack(input);
        } catch (IOException | RuntimeException e) {
            LOG.error("Sink {} failed on a tuple from {} on stream {}", sink, input.getSourceComponent(),
                    input.getSourceStreamId(), e);
            collector.reportError(e);
            collector.fail(input);
        }
    }

    private void deliver(Tuple input) throws IOException {
        switch (input.getSourceStreamId()) {
            case Schema.WINDOWS_STREAM -> sink.window((WindowResult) input.getValueByField(Schema.WINDOW));
            case Schema.TOTALS_STREAM ->
                    sink.totals((LogStats) input.getValueByField(Schema.TOTALS), input.getBooleanByField(Schema.FINAL));
            case Schema.REJECTED_STREAM -> sink.rejected(new DeadLetter(input.getStringByField(Schema.SOURCE),
                    input.getLongByField(Schema.OFFSET), input.getStringByField(Schema.REASON),
                    input.getStringByField(Schema.DETAIL), input.getStringByField(Schema.LINE)));
            case Schema.LATE_STREAM -> sink.late(new LateRecord((LogRecord) input.getValueByField(Schema.RECORD),
                    input.getStringByField(Schema.SOURCE), input.getLongByField(Schema.OFFSET)));
            case Schema.END_OF_INPUT_STREAM -> {
                if (endOfInput.arrive(input)) {
                    sink.endOfInput();
                }
            }
            default -> LOG.warn("Ignoring a tuple on unexpected stream {} from {}", input.getSourceStreamId(),
                    input.getSourceComponent());
        }
    }

    @Override
    public void cleanup() {
        sink.close();
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        // A sink ends the topology: nothing to declare.
    }
}
