package io.stormwatch.core.job.loganalytics;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stormwatch.core.agg.Counts;
import io.stormwatch.core.job.IsoTime;
import io.stormwatch.core.job.JsonText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of a {@link LogStats}, shared by {@code stormwatch batch --json} and the streaming jobs'
 * totals and windows (which add their own keys, e.g. {@code windowStart}, to the object {@link #toJson}
 * returns). Keys come in this order:
 *
 * <pre>{@code
 * {"records":9900,"rejected":100,
 *  "rejectReasons":{"empty":14,"truncated":15},                      // by reason key
 *  "contentSize":{"sum":51234567,"min":0,"max":912345,"avg":5175},   // avg truncated
 *  "responseCodes":{"200":7800,"304":800,"404":500},                 // numeric order
 *  "clientsOver":{"threshold":10,"clients":{"10.0.0.1":812,"::1":15}},  // all of them, most first
 *  "topEndpoints":[{"endpoint":"/","count":1500},{"endpoint":"/a","count":90}],
 *  "firstTime":"2024-03-10T00:00:00Z","lastTime":"2024-03-10T00:00:41Z"}  // null without records
 * }</pre>
 *
 * <p>{@link #read} turns such an object (extra keys ignored) back into a {@link StatsReport}, so two
 * outputs compare field for field with {@code equals}.
 */
public final class StatsJson {

    public static final String RECORDS = "records";
    public static final String REJECTED = "rejected";
    public static final String REJECT_REASONS = "rejectReasons";
    public static final String CONTENT_SIZE = "contentSize";
    public static final String SUM = "sum";
    public static final String MIN = "min";
    public static final String MAX = "max";
    public static final String AVG = "avg";
    public static final String RESPONSE_CODES = "responseCodes";
    public static final String CLIENTS_OVER = "clientsOver";
    public static final String THRESHOLD = "threshold";
    public static final String CLIENTS = "clients";
    public static final String TOP_ENDPOINTS = "topEndpoints";
    public static final String ENDPOINT = "endpoint";
    public static final String COUNT = "count";
    public static final String FIRST_TIME = "firstTime";
    public static final String LAST_TIME = "lastTime";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private StatsJson() {}

    /** The JSON object of {@code stats} with the default client threshold and top-K. */
    public static ObjectNode toJson(LogStats stats) {
        return toJson(stats, LogStats.DEFAULT_CLIENT_THRESHOLD, LogStats.DEFAULT_TOP_ENDPOINTS);
    }

    /** A new, mutable object: callers may add keys after the documented ones. */
    public static ObjectNode toJson(LogStats stats, long clientThreshold, int topK) {
        return JsonText.tree(json -> writeFields(stats, clientThreshold, topK, json));
    }

    /**
     * Writes the documented fields, in order, straight from the statistics: the one rendering of log
     * statistics, as text (totals, each window) or as a tree. Sorting is limited to what is shown: the codes
     * and reasons (a few), the clients over the threshold, the top {@code topK} endpoints.
     */
    public static void writeFields(LogStats stats, long clientThreshold, int topK, JsonGenerator json) throws IOException {
        json.writeNumberField(RECORDS, stats.records());
        json.writeNumberField(REJECTED, stats.rejected());
        json.writeObjectFieldStart(REJECT_REASONS);
        for (Map.Entry<String, Long> e : sortedByKey(stats.rejectReasons())) {
            json.writeNumberField(e.getKey(), e.getValue());
        }
        json.writeEndObject();
        json.writeObjectFieldStart(CONTENT_SIZE);
        json.writeNumberField(SUM, stats.contentSum());
        json.writeNumberField(MIN, stats.contentMin());
        json.writeNumberField(MAX, stats.contentMax());
        json.writeNumberField(AVG, stats.contentAvg());
        json.writeEndObject();
        json.writeObjectFieldStart(RESPONSE_CODES);
        for (Map.Entry<Integer, Long> e : sortedByKey(stats.responseCodes())) {
            json.writeNumberField(Integer.toString(e.getKey()), e.getValue());
        }
        json.writeEndObject();
        json.writeObjectFieldStart(CLIENTS_OVER);
        json.writeNumberField(THRESHOLD, clientThreshold);
        json.writeObjectFieldStart(CLIENTS);
        for (Map.Entry<String, Long> e : stats.clients().over(clientThreshold, Comparator.naturalOrder())) {
            json.writeNumberField(e.getKey(), e.getValue());
        }
        json.writeEndObject();
        json.writeEndObject();
        json.writeArrayFieldStart(TOP_ENDPOINTS);
        for (Map.Entry<String, Long> e : stats.endpoints().top(topK, Comparator.naturalOrder())) {
            json.writeStartObject();
            json.writeStringField(ENDPOINT, e.getKey());
            json.writeNumberField(COUNT, e.getValue());
            json.writeEndObject();
        }
        json.writeEndArray();
        writeInstant(json, FIRST_TIME, stats.firstTimeMillis());
        writeInstant(json, LAST_TIME, stats.lastTimeMillis());
    }

    private static <K extends Comparable<K>> List<Map.Entry<K, Long>> sortedByKey(Counts<K> counts) {
        List<Map.Entry<K, Long>> entries = new ArrayList<>(counts.size());
        counts.forEach((key, n) -> entries.add(Map.entry(key, n)));
        entries.sort(Map.Entry.comparingByKey());
        return entries;
    }

    private static void writeInstant(JsonGenerator json, String key, Long epochMillis) throws IOException {
        if (epochMillis == null) {
            json.writeNullField(key);
        } else {
            IsoTime.writeField(json, key, epochMillis);
        }
    }

    /** One line of compact JSON, without a line terminator. */
    public static String write(JsonNode json) {
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // a tree of plain nodes always serializes
        }
    }

    /** Parses JSON text, e.g. one line of a job's output. */
    public static JsonNode parse(String json) throws JsonProcessingException {
        return MAPPER.readTree(json);
    }

    /**
     * Reads an object in the documented form back; keys beyond the documented ones are ignored.
     *
     * @throws IllegalArgumentException when a documented key is missing or has the wrong type
     */
    public static StatsReport read(JsonNode json) {
        Map<String, Long> reasons = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object(json, REJECT_REASONS).properties()) {
            reasons.put(e.getKey(), e.getValue().asLong());
        }
        Map<Integer, Long> codes = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object(json, RESPONSE_CODES).properties()) {
            codes.put(Integer.valueOf(e.getKey()), e.getValue().asLong());
        }
        JsonNode over = object(json, CLIENTS_OVER);
        Map<String, Long> clients = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object(over, CLIENTS).properties()) {
            clients.put(e.getKey(), e.getValue().asLong());
        }
        List<LogStats.EndpointCount> top = new ArrayList<>();
        JsonNode endpoints = json.path(TOP_ENDPOINTS);
        if (!endpoints.isArray()) {
            throw new IllegalArgumentException("missing array " + TOP_ENDPOINTS);
        }
        for (JsonNode e : endpoints) {
            top.add(new LogStats.EndpointCount(text(e, ENDPOINT), number(e, COUNT)));
        }
        JsonNode size = object(json, CONTENT_SIZE);
        return new StatsReport(
                number(json, RECORDS),
                number(json, REJECTED),
                reasons,
                new StatsReport.ContentSize(number(size, SUM), number(size, MIN), number(size, MAX), number(size, AVG)),
                codes,
                number(over, THRESHOLD),
                clients,
                top,
                instant(json, FIRST_TIME),
                instant(json, LAST_TIME));
    }

    private static JsonNode object(JsonNode json, String key) {
        JsonNode node = json.path(key);
        if (!node.isObject()) {
            throw new IllegalArgumentException("missing object " + key);
        }
        return node;
    }

    private static long number(JsonNode json, String key) {
        JsonNode node = json.path(key);
        if (!node.isIntegralNumber()) {
            throw new IllegalArgumentException("missing integer " + key);
        }
        return node.asLong();
    }

    private static String text(JsonNode json, String key) {
        JsonNode node = json.path(key);
        if (!node.isTextual()) {
            throw new IllegalArgumentException("missing string " + key);
        }
        return node.asText();
    }

    private static Instant instant(JsonNode json, String key) {
        JsonNode node = json.path(key);
        if (node.isNull()) {
            return null;
        }
        return Instant.parse(text(json, key));
    }
}
