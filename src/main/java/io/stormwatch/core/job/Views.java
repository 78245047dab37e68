package io.stormwatch.core.job;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stormwatch.core.agg.Counts;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallySchema;
import java.io.IOException;
import java.io.Serializable;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a job shows of a tally: the result of its aggregate, as all-time totals ({@code totals.json}, the batch
 * {@code --json} object) and per window ({@code windows.jsonl}, which adds {@code windowStart},
 * {@code windowEnd} and {@code late} to the same object). Views read the tally and never keep it: the engine
 * hands them live windows and totals and sends only what they render downstream, so a sink gets a small
 * result, not a copy of a tally with a million keys.
 */
public interface Views extends Serializable {

    /**
     * Writes the fields of the job's JSON object of {@code tally} (the object's braces are the caller's): the
     * one rendering of a job's result, from which {@link #json}, {@link #jsonText} and the window forms come.
     */
    void writeFields(Tally tally, JsonGenerator json) throws IOException;

    /**
     * One line for the log, e.g. {@code records=1200 rejected=3 codes={200=1100, 404=100}}, read from what
     * {@link #writeFields} rendered (keys the job did not write, such as a window's, are ignored). A sink calls
     * it only for what it shows.
     */
    String describe(JsonNode json);

    /** The job's JSON object of {@code tally}: a new, mutable object (callers may add keys after the job's). */
    default ObjectNode json(Tally tally) {
        return JsonText.tree(json -> writeFields(tally, json));
    }

    /** {@link #json} as compact text. */
    default String jsonText(Tally tally) {
        return JsonText.text(json -> writeFields(tally, json));
    }

    /**
     * The JSON object of a window {@code (start, end]} as compact text: the job's fields followed by
     * {@code windowStart}, {@code windowEnd} (ISO-8601 UTC) and {@code late}. One method, so the stream and
     * the batch oracle write windows alike.
     */
    default String windowJsonText(long start, long end, Tally tally, long late) {
        return JsonText.text(json -> writeWindowFields(start, end, tally, late, json));
    }

    /** {@link #windowJsonText} as a tree. */
    default ObjectNode windowJson(long start, long end, Tally tally, long late) {
        return JsonText.tree(json -> writeWindowFields(start, end, tally, late, json));
    }

    private void writeWindowFields(long start, long end, Tally tally, long late, JsonGenerator json) throws IOException {
        writeFields(tally, json);
        IsoTime.writeField(json, "windowStart", start);
        IsoTime.writeField(json, "windowEnd", end);
        json.writeNumberField("late", late);
    }

    /**
     * Writes {@code records}, {@code rejected} and {@code rejectReasons} (by reason key): the fields every job's
     * object starts with.
     */
    static void writeCountedFields(Tally tally, JsonGenerator json) throws IOException {
        json.writeNumberField("records", tally.records());
        json.writeNumberField("rejected", tally.rejected());
        json.writeObjectFieldStart("rejectReasons");
        for (Map.Entry<String, Long> e : new TreeMap<>(tally.<String>dim(TallySchema.REJECT_REASONS).toMap()).entrySet()) {
            json.writeNumberField(e.getKey(), e.getValue());
        }
        json.writeEndObject();
    }

    /**
     * Writes {@code field} as the {@code k} most counted keys of {@code counts}, most first and ties by key:
     * {@code "field":[{"<keyName>":"a","count":9},…]}. O(n log k), so a top 10 of a million keys stays cheap.
     */
    static void writeTop(JsonGenerator json, String field, String keyName, Counts<String> counts, int k) throws IOException {
        json.writeArrayFieldStart(field);
        for (Map.Entry<String, Long> e : counts.top(k, Comparator.naturalOrder())) {
            json.writeStartObject();
            json.writeStringField(keyName, e.getKey());
            json.writeNumberField("count", e.getValue());
            json.writeEndObject();
        }
        json.writeEndArray();
    }
}
