package io.stormwatch.storm.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * How {@link RedisSink} lays a JSON object out in Redis keys; the rules and an example are in
 * {@link RedisSink}'s documentation. Pure: it computes the keys, and the sink writes them.
 *
 * <p>{@link #replaced()} is every key this object may occupy — its root, and for each object or array
 * field, the key such a field would get, whether or not it holds anything now — so that deleting them
 * before writing leaves no key or field behind from an earlier object of the same shape.
 */
final class RedisLayout {

    /** Separates a key from its fields' keys. */
    static final String SEPARATOR = ":";

    private final Set<String> replaced = new LinkedHashSet<>();
    private final Map<String, Map<String, String>> hashes = new LinkedHashMap<>();
    private final Map<String, Map<String, Double>> sortedSets = new LinkedHashMap<>();

    private RedisLayout() {}

    /** The layout of {@code json} under {@code key}. */
    static RedisLayout of(String key, ObjectNode json) {
        RedisLayout layout = new RedisLayout();
        layout.object(key, json);
        return layout;
    }

    private void object(String key, ObjectNode json) {
        replaced.add(key);
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : json.properties()) {
            String name = entry.getKey();
            JsonNode value = entry.getValue();
            String fieldKey = key + SEPARATOR + name;
            if (value instanceof ObjectNode nested) {
                object(fieldKey, nested);
            } else if (value.isArray()) {
                // Whatever this array is now, an earlier one may have been a sorted set under this key.
                replaced.add(fieldKey);
                Map<String, Double> ranking = ranking(value);
                if (ranking != null) {
                    if (!ranking.isEmpty()) {
                        sortedSets.put(fieldKey, ranking);
                    }
                } else {
                    fields.put(name, SinkJson.write(value));
                }
            } else {
                fields.put(name, value.isNull() ? "" : value.asText());
            }
        }
        if (!fields.isEmpty()) {
            hashes.put(key, fields);
        }
    }

    /**
     * The array as member → score when it is a ranking — every element an object of exactly one string
     * field and one number field, the strings all different — or null when it is not. An empty array is
     * an empty ranking.
     */
    static Map<String, Double> ranking(JsonNode array) {
        Map<String, Double> ranking = new HashMap<>();
        for (JsonNode element : array) {
            if (!(element instanceof ObjectNode object) || object.size() != 2) {
                return null;
            }
            String member = null;
            Double score = null;
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                JsonNode value = field.getValue();
                if (value.isTextual() && member == null) {
                    member = value.asText();
                } else if (value.isNumber() && score == null) {
                    score = value.asDouble();
                } else {
                    return null;
                }
            }
            // A repeated member would silently keep one score of several: show the array as it is instead.
            if (member == null || score == null || ranking.put(member, score) != null) {
                return null;
            }
        }
        return ranking;
    }

    /** Every key to delete before writing, in a stable order: the root first. */
    Set<String> replaced() {
        return Collections.unmodifiableSet(replaced);
    }

    /** Hashes to write: key → field → value. */
    Map<String, Map<String, String>> hashes() {
        return Collections.unmodifiableMap(hashes);
    }

    /** Sorted sets to write: key → member → score. */
    Map<String, Map<String, Double>> sortedSets() {
        return Collections.unmodifiableMap(sortedSets);
    }

    /** The keys that hold something after writing. */
    Set<String> written() {
        Set<String> written = new LinkedHashSet<>(hashes.keySet());
        written.addAll(sortedSets.keySet());
        return written;
    }
}
