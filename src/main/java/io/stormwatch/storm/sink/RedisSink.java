package io.stormwatch.storm.sink;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.window.WindowResult;
import io.stormwatch.storm.state.RedisEndpoint;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.storm.task.TopologyContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Transaction;

/**
 * Writes results into Redis under readable keys that a dashboard reads directly. With prefix {@code p}:
 * <pre>
 * p:totals                 hash   records, rejected, contentSum, contentMin, contentMax, contentAvg,
 *                                 firstTime, lastTime (ISO-8601 UTC, "" when no records), final (true|false),
 *                                 updated (ISO-8601 UTC)
 * p:totals:codes           hash   status code → count
 * p:totals:endpoints       zset   endpoint → count, the {@code topN} most requested
 * p:totals:clients         zset   client → count, the {@code topN} most active
 * p:totals:rejects         hash   reject reason key (e.g. too-long) → count
 * p:window:&lt;endMillis&gt;     hash   start, end (ISO-8601 UTC), startMillis, endMillis, records, rejected, late,
 *                                 contentSum, contentMin, contentMax, contentAvg          (expires after windowTtl)
 * p:window:&lt;endMillis&gt;:codes      hash  status code → count                            (expires after windowTtl)
 * p:window:&lt;endMillis&gt;:endpoints  zset  endpoint → count, the {@code topN} most requested (expires after windowTtl)
 * p:windows                zset   member and score = endMillis of each window still kept; ends older than
 *                                 the newest minus windowTtl are removed
 * p:rejected               list   newest dead letters first, as JSON {source, offset, reason, detail, line},
 *                                 capped at {@value #DEAD_LETTERS_KEPT}
 * p:end-of-input           string ISO-8601 UTC time at which a finite input was complete
 * </pre>
 * Every totals or window update is one MULTI/EXEC transaction, so a reader never sees half of one; a
 * dashboard lists windows with {@code ZREVRANGE p:windows 0 9} and reads each hash. Late records are not
 * stored one by one: their number is each window's {@code late}.
 *
 * <p>The endpoint's password comes from configuration or the environment and is never logged. For TLS
 * ({@code rediss://}) the JVM must trust the server's certificate: see {@link RedisEndpoint#newPool}.
 */
public final class RedisSink implements StatsSink {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RedisSink.class);
    static final int DEAD_LETTERS_KEPT = 1000;

    private final RedisEndpoint endpoint;
    private final String prefix;
    private final Duration windowTtl;
    private final int topN;
    private transient JedisPool pool;
    private transient ObjectMapper json;

    /**
     * @param endpoint  the server
     * @param keyPrefix prefix of every key, e.g. {@code stormwatch}
     * @param windowTtl how long window keys live
     * @param topN      how many endpoints and clients the sorted sets keep
     */
    public RedisSink(RedisEndpoint endpoint, String keyPrefix, Duration windowTtl, int topN) {
        if (windowTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("window TTL must be at least 1 s, got " + windowTtl);
        }
        this.endpoint = endpoint;
        this.prefix = keyPrefix;
        this.windowTtl = windowTtl;
        this.topN = topN;
    }

    @Override
    public void open(Map<String, Object> topoConf, TopologyContext context) {
        pool = endpoint.newPool("stormwatch-sink");
        json = new ObjectMapper();
        LOG.info("Writing results to {} under prefix '{}'", endpoint, prefix);
    }

    @Override
    public void window(WindowResult window) {
        String key = prefix + ":window:" + window.end();
        LogStats stats = window.stats();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("start", Instant.ofEpochMilli(window.start()).toString());
        fields.put("end", Instant.ofEpochMilli(window.end()).toString());
        fields.put("startMillis", Long.toString(window.start()));
        fields.put("endMillis", Long.toString(window.end()));
        fields.put("late", Long.toString(window.late()));
        putCounts(fields, stats);
        long ttl = windowTtl.toSeconds();
        try (Jedis jedis = pool.getResource(); Transaction tx = jedis.multi()) {
            tx.del(key, key + ":codes", key + ":endpoints");
            tx.hset(key, fields);
            hsetIfAny(tx, key + ":codes", codes(stats));
            zaddTop(tx, key + ":endpoints", stats.endpoints().sortedByCountDesc(String::compareTo));
            tx.expire(key, ttl);
            tx.expire(key + ":codes", ttl);
            tx.expire(key + ":endpoints", ttl);
            tx.zadd(prefix + ":windows", window.end(), Long.toString(window.end()));
            tx.zremrangeByScore(prefix + ":windows", Double.NEGATIVE_INFINITY, window.end() - windowTtl.toMillis());
            tx.exec();
        }
    }

    @Override
    public void totals(LogStats totals, boolean isFinal) {
        String key = prefix + ":totals";
        Map<String, String> fields = new LinkedHashMap<>();
        putCounts(fields, totals);
        fields.put("firstTime", totals.firstTimeMillis() == null ? "" : Instant.ofEpochMilli(totals.firstTimeMillis()).toString());
        fields.put("lastTime", totals.lastTimeMillis() == null ? "" : Instant.ofEpochMilli(totals.lastTimeMillis()).toString());
        fields.put("final", Boolean.toString(isFinal));
        fields.put("updated", Instant.now().toString());
        Map<String, String> rejects = new HashMap<>();
        totals.rejectReasons().forEach((reason, n) -> rejects.put(reason.key(), Long.toString(n)));
        try (Jedis jedis = pool.getResource(); Transaction tx = jedis.multi()) {
            tx.hset(key, fields);
            tx.del(key + ":codes", key + ":endpoints", key + ":clients", key + ":rejects");
            hsetIfAny(tx, key + ":codes", codes(totals));
            zaddTop(tx, key + ":endpoints", totals.endpoints().sortedByCountDesc(String::compareTo));
            zaddTop(tx, key + ":clients", totals.clients().sortedByCountDesc(String::compareTo));
            hsetIfAny(tx, key + ":rejects", rejects);
            tx.exec();
        }
    }

    @Override
    public void rejected(DeadLetter deadLetter) throws IOException {
        String value = json.writeValueAsString(deadLetter);
        try (Jedis jedis = pool.getResource(); Pipeline pipeline = jedis.pipelined()) {
            pipeline.lpush(prefix + ":rejected", value);
            pipeline.ltrim(prefix + ":rejected", 0, DEAD_LETTERS_KEPT - 1);
            pipeline.sync();
        }
    }

    @Override
    public void late(LateRecord late) {
        // Counted in each window's "late" field; not stored one by one.
    }

    @Override
    public void flush() {}

    @Override
    public void endOfInput() {
        try (Jedis jedis = pool.getResource()) {
            jedis.set(prefix + ":end-of-input", Instant.now().toString());
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }

    private static void putCounts(Map<String, String> fields, LogStats stats) {
        fields.put("records", Long.toString(stats.records()));
        fields.put("rejected", Long.toString(stats.rejected()));
        fields.put("contentSum", Long.toString(stats.contentSum()));
        fields.put("contentMin", Long.toString(stats.contentMin()));
        fields.put("contentMax", Long.toString(stats.contentMax()));
        fields.put("contentAvg", Long.toString(stats.contentAvg()));
    }

    private static Map<String, String> codes(LogStats stats) {
        Map<String, String> codes = new HashMap<>();
        stats.responseCodes().forEach((code, n) -> codes.put(code.toString(), Long.toString(n)));
        return codes;
    }

    private static void hsetIfAny(Transaction tx, String key, Map<String, String> values) {
        if (!values.isEmpty()) {
            tx.hset(key, values);
        }
    }

    private void zaddTop(Transaction tx, String key, List<Map.Entry<String, Long>> sorted) {
        Map<String, Double> top = new HashMap<>();
        for (Map.Entry<String, Long> entry : sorted.subList(0, Math.min(topN, sorted.size()))) {
            top.put(entry.getKey(), entry.getValue().doubleValue());
        }
        if (!top.isEmpty()) {
            tx.zadd(key, top);
        }
    }

    @Override
    public String toString() {
        return "redis " + endpoint + " prefix " + prefix;
    }
}
