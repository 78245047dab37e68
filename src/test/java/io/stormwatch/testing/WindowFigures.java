package io.stormwatch.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import redis.clients.jedis.Jedis;

/**
 * How a run's windows differ from {@code batch --window}'s, as counts for a faults report rather than an
 * assertion: windows are compared by their end, up to the last end the run emitted (later ones wait for a
 * watermark a finite test never sends). Of each window the run emitted more than once, the last emission
 * counts (what a keyed store such as the Redis sink keeps); {@code emittedTwice} says how many there were
 * (what an appended file such as {@code windows.jsonl} shows).
 *
 * @param compared     windows of the oracle up to the run's last window end
 * @param missing      of those, windows the run never emitted
 * @param emittedTwice windows emitted more than once
 * @param wrong        windows whose (last) record count differs from the oracle's
 * @param recordsLost  records the oracle counts and the run's windows do not (summed over windows)
 * @param recordsExtra records the run's windows count beyond the oracle's (summed over windows)
 */
public record WindowFigures(int compared, int missing, int emittedTwice, int wrong, long recordsLost, long recordsExtra) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Compares the run's window objects (any order, repeats allowed) with the oracle's JSON lines. */
    public static WindowFigures of(Collection<JsonNode> run, List<String> oracle) {
        return of(run, oracle, false);
    }

    /**
     * As {@link #of}, for a store that expires old windows (the Redis sink keeps those ending within
     * {@code Outputs.windowTtl} of the newest): oracle windows ending before the run's first kept one are not
     * compared.
     */
    public static WindowFigures ofKept(Collection<JsonNode> run, List<String> oracle) {
        return of(run, oracle, true);
    }

    private static WindowFigures of(Collection<JsonNode> run, List<String> oracle, boolean fromFirstKept) {
        Map<String, List<JsonNode>> emitted = new TreeMap<>();
        for (JsonNode window : run) {
            emitted.computeIfAbsent(window.get("windowEnd").asText(), end -> new ArrayList<>()).add(window);
        }
        if (emitted.isEmpty()) {
            return new WindowFigures(0, 0, 0, 0, 0, 0);
        }
        String lastEnd = ((TreeMap<String, List<JsonNode>>) emitted).lastKey();
        String firstEnd = fromFirstKept ? ((TreeMap<String, List<JsonNode>>) emitted).firstKey() : "";
        Map<String, JsonNode> expected = new LinkedHashMap<>();
        for (String line : oracle) {
            try {
                JsonNode window = JSON.readTree(line);
                String end = window.get("windowEnd").asText();
                if (end.compareTo(lastEnd) <= 0 && end.compareTo(firstEnd) >= 0) {
                    expected.put(window.get("windowEnd").asText(), window);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        int missing = 0;
        int twice = 0;
        int wrong = 0;
        long lost = 0;
        long extra = 0;
        for (Map.Entry<String, JsonNode> window : expected.entrySet()) {
            List<JsonNode> got = emitted.get(window.getKey());
            long want = window.getValue().get("records").asLong();
            if (got == null) {
                missing++;
                lost += want;
                continue;
            }
            if (got.size() > 1) {
                twice++;
            }
            long have = got.get(got.size() - 1).get("records").asLong();
            if (have != want) {
                wrong++;
                lost += Math.max(0, want - have);
                extra += Math.max(0, have - want);
            }
        }
        return new WindowFigures(expected.size(), missing, twice, wrong, lost, extra);
    }

    /** The windows the Redis sink keeps under {@code keyPrefix}: one hash per window end. */
    public static List<JsonNode> fromRedis(Jedis jedis, String keyPrefix) {
        List<JsonNode> windows = new ArrayList<>();
        for (String end : jedis.zrange(keyPrefix + ":windows", 0, -1)) {
            Map<String, String> hash = jedis.hgetAll(keyPrefix + ":window:" + end);
            if (!hash.isEmpty()) {
                ObjectNode window = JSON.createObjectNode();
                window.put("windowEnd", hash.get("windowEnd"));
                window.put("records", Long.parseLong(hash.get("records")));
                windows.add(window);
            }
        }
        return windows;
    }

    @Override
    public String toString() {
        return String.format("%d windows compared: %d missing, %d emitted more than once, %d with other counts"
                + " (%d records lost, %d counted twice)", compared, missing, emittedTwice, wrong, recordsLost, recordsExtra);
    }
}
