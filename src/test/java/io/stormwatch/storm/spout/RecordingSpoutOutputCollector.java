package io.stormwatch.storm.spout;

import io.stormwatch.storm.Schema;
import java.util.ArrayList;
import java.util.List;
import org.apache.storm.spout.ISpoutOutputCollector;
import org.apache.storm.utils.Utils;

/** Records what a spout emits, with message ids, for tests that drive a spout directly. */
final class RecordingSpoutOutputCollector implements ISpoutOutputCollector {

    /** One emitted tuple. */
    record Emit(String stream, List<Object> values, Object messageId) {

        String line() {
            return (String) values.get(Schema.LINE_FIELDS.fieldIndex(Schema.LINE));
        }

        String source() {
            return (String) values.get(Schema.LINE_FIELDS.fieldIndex(Schema.SOURCE));
        }

        long offset() {
            return (Long) values.get(Schema.LINE_FIELDS.fieldIndex(Schema.OFFSET));
        }

        long nextOffset() {
            return (Long) values.get(Schema.LINE_FIELDS.fieldIndex(Schema.NEXT_OFFSET));
        }
    }

    final List<Emit> emits = new ArrayList<>();
    final List<Throwable> errors = new ArrayList<>();

    @Override
    public List<Integer> emit(String streamId, List<Object> tuple, Object messageId) {
        emits.add(new Emit(streamId, List.copyOf(tuple), messageId));
        return List.of();
    }

    @Override
    public void emitDirect(int taskId, String streamId, List<Object> tuple, Object messageId) {
        emit(streamId, tuple, messageId);
    }

    @Override
    public long getPendingCount() {
        return 0;
    }

    @Override
    public void flush() {}

    @Override
    public void reportError(Throwable error) {
        errors.add(error);
    }

    /** Line tuples on the default stream, in emit order. */
    List<Emit> lines() {
        return emits.stream().filter(e -> e.stream().equals(Utils.DEFAULT_STREAM_ID)).toList();
    }

    List<Emit> endOfInput() {
        return emits.stream().filter(e -> e.stream().equals(Schema.END_OF_INPUT_STREAM)).toList();
    }

    /** Forgets what was recorded so far. */
    void clear() {
        emits.clear();
    }
}
