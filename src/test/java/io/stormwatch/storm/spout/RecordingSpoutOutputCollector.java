package io.stormwatch.storm.spout;

import io.stormwatch.core.io.LineBlock;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.storm.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.storm.spout.ISpoutOutputCollector;
import org.apache.storm.tuple.Fields;
import org.apache.storm.utils.Utils;

/** Records what a spout emits, with message ids, for tests that drive a spout directly. Fields are read by name. */
final class RecordingSpoutOutputCollector implements ISpoutOutputCollector {

    /** One line of an emitted block, where it starts and where the next one starts. */
    record EmittedLine(String text, String source, long offset, long end) {}

    /** One emitted tuple. */
    record Emit(String stream, List<Object> values, Object messageId) {

        private Object field(Fields fields, String name) {
            return values.get(fields.fieldIndex(name));
        }

        LineBlock block() {
            return (LineBlock) field(Schema.BLOCK_FIELDS, Schema.BLOCK);
        }

        String source() {
            return (String) field(stream.equals(Utils.DEFAULT_STREAM_ID) ? Schema.BLOCK_FIELDS
                    : stream.equals(Schema.RETIRED_STREAM) ? Schema.RETIRED_FIELDS : Schema.END_OF_INPUT_FIELDS,
                    Schema.SOURCE);
        }

        long offset() {
            return (Long) field(Schema.BLOCK_FIELDS, Schema.OFFSET);
        }

        long nextOffset() {
            return (Long) field(Schema.BLOCK_FIELDS, Schema.NEXT_OFFSET);
        }

        /** The block's lines' text. */
        List<String> texts() {
            return List.of(block().lines());
        }

        BlockPosition position() {
            return block().position();
        }

        /** The block's lines with their ranges. */
        List<EmittedLine> lines() {
            LineBlock block = block();
            return IntStream.range(0, block.lineCount())
                    .mapToObj(i -> new EmittedLine(block.lines()[i], block.source(), block.offsets()[i], block.lineEnd(i)))
                    .toList();
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

    /** Block tuples on the default stream, in emit order. */
    List<Emit> blocks() {
        return emits.stream().filter(e -> e.stream().equals(Utils.DEFAULT_STREAM_ID)).toList();
    }

    /** The lines of every block tuple, in emit order (a replayed line again where it was replayed). */
    List<EmittedLine> lines() {
        return blocks().stream().flatMap(e -> e.lines().stream()).toList();
    }

    /** The lines' text of every block tuple, in emit order. */
    List<String> texts() {
        return lines().stream().map(EmittedLine::text).toList();
    }

    List<Emit> endOfInput() {
        return emits.stream().filter(e -> e.stream().equals(Schema.END_OF_INPUT_STREAM)).toList();
    }

    /** Sources emitted on the retired stream, in emit order. */
    List<String> retired() {
        return emits.stream().filter(e -> e.stream().equals(Schema.RETIRED_STREAM)).map(Emit::source).toList();
    }

    /** Forgets what was recorded so far. */
    void clear() {
        emits.clear();
    }
}
