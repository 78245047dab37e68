package io.stormwatch.storm.spout;

import io.stormwatch.storm.Schema;
import io.stormwatch.storm.topology.StormwatchConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.storm.spout.SpoutOutputCollector;
import org.apache.storm.tuple.Values;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A spout's graceful stop, when {@link StormwatchConfig#DEACTIVATE_ENDS_INPUT} is set: once the topology is
 * deactivated the spout reads nothing more, and as soon as every block it emitted is acked or failed it sends
 * end of input, naming itself as stopped before the end of its input ({@link Schema#UNREAD}), so that the
 * windows close, the final totals are written and the output is marked incomplete, not complete. Storm keeps
 * delivering acks to a deactivated spout (it only stops calling {@code nextTuple}), which is what lets the
 * blocks in flight finish.
 *
 * <p>A block that fails while stopping is not replayed (replays come from {@code nextTuple}): a socket's
 * lines are lost and counted so, as always; a file spout keeps them waiting for a replay, so its stop does not
 * end by itself and whoever deactivated the topology gives up after a while ({@code LocalRunner}). One
 * instance per spout task, used from the spout's thread.
 */
final class EndOnDeactivate {

    private static final Logger LOG = LoggerFactory.getLogger(EndOnDeactivate.class);

    private final boolean enabled;
    private boolean stopping;
    private boolean ended;

    EndOnDeactivate(Map<String, Object> conf) {
        Object value = conf.get(StormwatchConfig.DEACTIVATE_ENDS_INPUT);
        this.enabled = value instanceof Boolean b ? b : Boolean.parseBoolean(String.valueOf(value));
    }

    /** Called from {@code deactivate()}: true when this spout now stops for good. */
    boolean deactivated() {
        if (enabled && !stopping) {
            stopping = true;
            return true;
        }
        return false;
    }

    /** The spout stopped reading: it emits nothing more but what finishes the blocks in flight. */
    boolean stopping() {
        return stopping;
    }

    /**
     * Sends end of input once nothing is in flight (call after deactivation and after each ack or fail while
     * stopping). {@code unread} is what the spout already knows it could not read; the stop is added to it, with
     * {@code linesRead} (how many lines the source gave before it stopped).
     */
    void endWhenIdle(SpoutOutputCollector collector, String source, LongSupplier linesInFlight, List<String> unread,
            LongSupplier linesRead) {
        if (!stopping || ended || linesInFlight.getAsLong() > 0) {
            return;
        }
        ended = true;
        List<String> notes = new ArrayList<>(unread);
        notes.add(String.format("%s: stopped before the end of its input, after %,d lines", source, linesRead.getAsLong()));
        collector.emit(Schema.END_OF_INPUT_STREAM, new Values(source, String.join("\n", notes)));
        LOG.info("{} stopped; every block in flight finished, end of input sent", source);
    }
}
