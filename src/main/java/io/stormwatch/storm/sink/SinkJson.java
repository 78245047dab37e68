package io.stormwatch.storm.sink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stormwatch.core.job.DeadLetter;
import java.io.IOException;
import java.time.Instant;

/**
 * The JSON objects the sinks write for what is not a rendered {@link Result}, so that every sink shows a
 * dead letter or a late line the same way:
 * <ul>
 *   <li>dead letter: {@code {"source", "offset", "reason", "detail", "line"}};</li>
 *   <li>late line: {@code {"source", "offset", "time", "reportedIn"}}, times ISO-8601 UTC.</li>
 * </ul>
 */
final class SinkJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private SinkJson() {}

    static ObjectNode deadLetter(DeadLetter deadLetter) {
        return MAPPER.createObjectNode()
                .put("source", deadLetter.source())
                .put("offset", deadLetter.offset())
                .put("reason", deadLetter.reason())
                .put("detail", deadLetter.detail())
                .put("line", deadLetter.line());
    }

    static ObjectNode late(LateLine late) {
        return MAPPER.createObjectNode()
                .put("source", late.source())
                .put("offset", late.offset())
                .put("time", Instant.ofEpochMilli(late.time()).toString())
                .put("reportedIn", Instant.ofEpochMilli(late.reportedIn()).toString());
    }

    /** Compact JSON text: one line, as JSON escapes line breaks inside strings. */
    static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain JSON nodes always serializes", e);
        }
    }

    /**
     * Parses a result's JSON, which must be an object.
     *
     * @throws IOException when it is not valid JSON or not an object: a sink cannot lay it out
     */
    static ObjectNode parseObject(String json, String what) throws IOException {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IOException("the " + what + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IOException("the " + what + " is not a JSON object but " + (node == null ? "empty" : node.getNodeType()));
        }
        return object;
    }
}
