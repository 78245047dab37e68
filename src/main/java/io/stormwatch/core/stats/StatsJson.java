package io.stormwatch.core.stats;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * TEMPORARY stand-in, replaced by the branch that owns the batch JSON: a minimal rendering of
 * {@link LogStats} with the same signature, so that the bolts branch compiles and its tests run.
 */
public final class StatsJson {

    private StatsJson() {}

    public static ObjectNode toJson(LogStats stats, long clientsThreshold, int topK) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("records", stats.records());
        json.put("rejected", stats.rejected());
        ObjectNode content = json.putObject("contentSize");
        content.put("avg", stats.contentAvg());
        content.put("min", stats.contentMin());
        content.put("max", stats.contentMax());
        content.put("sum", stats.contentSum());
        json.put("firstTime", stats.firstTimeMillis() == null ? null
                : Instant.ofEpochMilli(stats.firstTimeMillis()).toString());
        json.put("lastTime", stats.lastTimeMillis() == null ? null
                : Instant.ofEpochMilli(stats.lastTimeMillis()).toString());
        ObjectNode codes = json.putObject("responseCodes");
        stats.responseCodes().sortedByCountDesc(Integer::compare).forEach(e -> codes.put(e.getKey().toString(), e.getValue()));
        ObjectNode clients = json.putObject("clientsOver");
        stats.clientsOver(clientsThreshold).forEach(clients::put);
        var top = json.putArray("topEndpoints");
        stats.topEndpoints(topK).forEach(e -> top.addObject().put("endpoint", e.endpoint()).put("count", e.count()));
        ObjectNode rejects = json.putObject("rejectReasons");
        stats.rejectReasons().forEach((reason, n) -> rejects.put(reason.key(), n));
        return json;
    }
}
