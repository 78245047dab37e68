package io.stormwatch.core.job;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One JSON object written field by field — as compact text, or as a tree — by the same code: jobs write their
 * results with a {@link JsonGenerator} ({@link Views#writeFields}), which is several times cheaper than
 * building a tree and serializing it, and matters when a backfill renders a quarter of a million windows.
 */
public final class JsonText {

    /** Writes the fields of one object (the braces are written around them). */
    @FunctionalInterface
    public interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonFactory FACTORY = MAPPER.getFactory();

    private JsonText() {}

    /** The object as one line of compact JSON. */
    public static String text(Fields fields) {
        // What ObjectMapper.writeValueAsString does: recycled buffers, one copy into the string.
        try (SegmentedStringWriter text = new SegmentedStringWriter(FACTORY._getBufferRecycler())) {
            try (JsonGenerator json = FACTORY.createGenerator(text)) {
                json.writeStartObject();
                fields.write(json);
                json.writeEndObject();
            }
            return text.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an in-memory writer does not fail
        }
    }

    /** The object as a tree (a new, mutable object: callers may add fields after these). */
    public static ObjectNode tree(Fields fields) {
        try (TokenBuffer buffer = new TokenBuffer(MAPPER, false)) {
            buffer.writeStartObject();
            fields.write(buffer);
            buffer.writeEndObject();
            return MAPPER.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new UncheckedIOException(e); // an in-memory buffer does not fail
        }
    }
}
