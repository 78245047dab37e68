package io.stormwatch.testing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.storm.task.IOutputCollector;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.tuple.Tuple;

/**
 * An output collector for bolt tests that records what a bolt does — emits with their anchors, acks,
 * fails, reported errors — in order, instead of sending anything. Wrap it with {@link #collector()}.
 */
public final class RecordingOutputCollector implements IOutputCollector {

    /** One emit: the stream, the anchors (empty when unanchored) and the values. */
    public record Emit(String stream, List<Tuple> anchors, List<Object> values) {}

    private final List<Emit> emits = new ArrayList<>();
    private final List<Tuple> acked = new ArrayList<>();
    private final List<Tuple> failed = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();

    public OutputCollector collector() {
        return new OutputCollector(this);
    }

    @Override
    public synchronized List<Integer> emit(String streamId, Collection<Tuple> anchors, List<Object> tuple) {
        emits.add(new Emit(streamId, anchors == null ? List.of() : List.copyOf(anchors), List.copyOf(tuple)));
        return List.of();
    }

    @Override
    public synchronized void emitDirect(int taskId, String streamId, Collection<Tuple> anchors, List<Object> tuple) {
        emit(streamId, anchors, tuple);
    }

    @Override
    public synchronized void ack(Tuple input) {
        acked.add(input);
    }

    @Override
    public synchronized void fail(Tuple input) {
        failed.add(input);
    }

    @Override
    public void resetTimeout(Tuple input) {}

    @Override
    public void flush() {}

    @Override
    public synchronized void reportError(Throwable error) {
        errors.add(error);
    }

    public synchronized List<Emit> emits() {
        return List.copyOf(emits);
    }

    /** Emits on {@code stream}, in order. */
    public synchronized List<Emit> emits(String stream) {
        return emits.stream().filter(e -> e.stream().equals(stream)).toList();
    }

    /** The streams emitted on, in order, one entry per emit. */
    public synchronized List<String> streams() {
        return emits.stream().map(Emit::stream).toList();
    }

    public synchronized List<Tuple> acked() {
        return List.copyOf(acked);
    }

    public synchronized List<Tuple> failed() {
        return List.copyOf(failed);
    }

    public synchronized List<Throwable> errors() {
        return List.copyOf(errors);
    }

    public synchronized void clear() {
        emits.clear();
        acked.clear();
        failed.clear();
        errors.clear();
    }
}
