package io.stormwatch.storm.sink;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stormwatch.core.job.DeadLetter;
import io.stormwatch.storm.state.RedisEndpoint;
import io.stormwatch.storm.state.RedisRetry;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.storm.task.TopologyContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Writes any job's results into Redis under readable keys that a dashboard reads directly. The layout is
 * derived from each result's JSON, so a job needs no Redis code of its own. A JSON object goes under a key
 * {@code K} by these rules, applied recursively:
 * <ul>
 *   <li>its scalar fields — numbers as decimal text, strings, booleans ({@code true}/{@code false}), null as
 *       {@code ""} — are the fields of a <b>hash</b> at {@code K};</li>
 *   <li>a nested object goes under {@code K:<field>} by the same rules;</li>
 *   <li>a <em>ranking</em> — an array whose elements are each an object of exactly one string field and one
 *       number field, the strings all different, e.g. {@code topEndpoints: [{endpoint, count}]} — is a
 *       <b>sorted set</b> at {@code K:<field>}: member = the string, score = the number;</li>
 *   <li>any other array is its JSON text in {@code K}'s hash;</li>
 *   <li>an empty object or empty array stores nothing (Redis keeps no empty hash or sorted set: a reader
 *       finds no key, which reads as empty).</li>
 * </ul>
 * With prefix {@code p} ({@code stormwatch:<job>}, see {@code Outputs}):
 * <pre>
 * p:totals                 the totals' JSON as above, plus fields final (true|false) and updated (ISO-8601 UTC,
 *                          when written); the job's own fields of those names are overwritten
 * p:window:&lt;endMillis&gt;     each window's JSON as above; every key of it expires after windowTtl
 * p:windows                zset   member and score = endMillis of each window still kept; ends older than
 *                                 the newest minus windowTtl are removed
 * p:rejected               list   newest dead letters first, as JSON {source, offset, reason, detail, line},
 *                                 capped at {@value #DEAD_LETTERS_KEPT}
 * p:end-of-input           string ISO-8601 UTC time at which a finite input was complete
 * p:incomplete             string instead of end-of-input when the input could not be read whole: what was
 *                                 not read, one item per line
 * </pre>
 * Late lines are not stored one by one: their number is each window's {@code late}.
 *
 * <p>Worked example: log-analytics, window {@code (2024-03-31T00:00:00Z, 2024-03-31T00:00:30Z]}, whose JSON is
 * <pre>{@code
 * {"records":3,"rejected":1,"rejectReasons":{"too-long":1},
 *  "contentSize":{"sum":400,"min":0,"max":300,"avg":133},"responseCodes":{"200":2,"404":1},
 *  "clientsOver":{"threshold":1,"clients":{"10.0.0.1":2}},
 *  "topEndpoints":[{"endpoint":"/a","count":2},{"endpoint":"/b","count":1}],
 *  "firstTime":"2024-03-31T00:00:05Z","lastTime":"2024-03-31T00:00:25Z",
 *  "windowStart":"2024-03-31T00:00:00Z","windowEnd":"2024-03-31T00:00:30Z","late":0}
 * }</pre>
 * becomes, with {@code K = stormwatch:log-analytics:window:1711843230000}:
 * <pre>
 * K                        hash  records=3 rejected=1 firstTime=2024-03-31T00:00:05Z lastTime=2024-03-31T00:00:25Z
 *                                windowStart=2024-03-31T00:00:00Z windowEnd=2024-03-31T00:00:30Z late=0
 * K:rejectReasons          hash  too-long=1
 * K:contentSize            hash  sum=400 min=0 max=300 avg=133
 * K:responseCodes          hash  200=2 404=1
 * K:clientsOver            hash  threshold=1
 * K:clientsOver:clients    hash  10.0.0.1=2
 * K:topEndpoints           zset  /a=2 /b=1
 * stormwatch:log-analytics:windows   zset  + 1711843230000
 * </pre>
 * A dashboard lists the newest windows with {@code ZREVRANGE p:windows 0 9}, reads {@code HGETALL K} and
 * {@code ZREVRANGE K:topEndpoints 0 9 WITHSCORES} (equal scores then come in reverse text order). The totals
 * have the same shape under {@code p:totals}, e.g. {@code HGET stormwatch:log-analytics:totals:responseCodes 404}.
 * Field names are used as they are: one containing {@code :} can collide with a nested object's key.
 *
 * <p>Each window or totals update is one MULTI/EXEC transaction that first deletes every key the result
 * may occupy (its root, and the key of each object or array field, present or empty) and then writes it;
 * a reader never sees half of one, and a field that is gone from the JSON is gone from Redis. For the
 * totals it also deletes the keys it wrote the time before, so a nested object that vanished from the JSON
 * altogether goes too; that memory is the task's, so after a worker restart such a key stays. No stormwatch
 * job drops a nested object (their objects keep their fields; only entries of maps and arrays come and go,
 * and those go with their key). Dead letters are pushed one at a time (push and trim in one round trip).
 *
 * <p>While Redis cannot be reached a write waits and retries ({@link RedisRetry}: logged once, reminded, and
 * once more when Redis is back), holding the sink bolt and, through backpressure, the topology: no window is
 * dropped. A transaction rewrites its keys whole, so a retry after a reply was lost writes the same; a push of
 * dead letters retried that way may list them twice (the list is a capped "newest first" view, not a count).
 * Any other failure (a key of the wrong type, a refused command) is an {@link IOException} at once.
 *
 * <p>The endpoint's password comes from configuration or the environment and is never logged. For TLS
 * ({@code rediss://}) the JVM must trust the server's certificate: see {@link RedisEndpoint#newPool}.
 */
public final class RedisSink implements ResultSink {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RedisSink.class);
    static final int DEAD_LETTERS_KEPT = 1000;

    /** Fields the sink adds to the totals' root hash. */
    static final String FINAL = "final";
    static final String UPDATED = "updated";

    private final RedisEndpoint endpoint;
    private final String prefix;
    private final Duration windowTtl;
    private transient JedisPool pool;
    private transient Set<String> totalsKeys;
    private transient RedisRetry retry;

    /**
     * @param endpoint  the server
     * @param keyPrefix prefix of every key, e.g. {@code stormwatch:log-analytics}
     * @param windowTtl how long window keys live; at least 1 s
     */
    public RedisSink(RedisEndpoint endpoint, String keyPrefix, Duration windowTtl) {
        if (windowTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("window TTL must be at least 1 s, got " + windowTtl);
        }
        if (keyPrefix == null || keyPrefix.isEmpty()) {
            throw new IllegalArgumentException("the Redis key prefix is empty");
        }
        this.endpoint = endpoint;
        this.prefix = keyPrefix;
        this.windowTtl = windowTtl;
    }

    @Override
    public void open(Map<String, Object> topoConf, TopologyContext context) {
        pool = endpoint.newPool("stormwatch-sink");
        totalsKeys = Set.of();
        retry = new RedisRetry(RedisSink.class, "Redis sink " + endpoint + " (prefix '" + prefix + "')");
        LOG.info("Writing results to {} under prefix '{}'", endpoint, prefix);
    }

    String keyPrefix() {
        return prefix;
    }

    Duration windowTtl() {
        return windowTtl;
    }

    /** The key of the window ending at {@code endMillis}. */
    String windowKey(long endMillis) {
        return prefix + ":window:" + endMillis;
    }

    String totalsKey() {
        return prefix + ":totals";
    }

    String windowsKey() {
        return prefix + ":windows";
    }

    String rejectedKey() {
        return prefix + ":rejected";
    }

    String endOfInputKey() {
        return prefix + ":end-of-input";
    }

    String incompleteKey() {
        return prefix + ":incomplete";
    }

    @Override
    public void window(Result window) throws IOException {
        if (!window.isWindow()) {
            throw new IllegalArgumentException("not a window: " + window.json());
        }
        long end = window.windowEnd();
        RedisLayout layout = RedisLayout.of(windowKey(end), SinkJson.parseObject(window.json(), "window"));
        long ttl = windowTtl.toMillis();
        transaction("window " + end, tx -> {
            write(tx, layout, Set.of());
            for (String key : layout.written()) {
                tx.pexpire(key, ttl);
            }
            tx.zadd(windowsKey(), end, Long.toString(end));
            tx.zremrangeByScore(windowsKey(), Double.NEGATIVE_INFINITY, end - ttl);
        });
    }

    @Override
    public void totals(Result totals) throws IOException {
        ObjectNode json = SinkJson.parseObject(totals.json(), "totals");
        json.put(FINAL, totals.isFinal());
        json.put(UPDATED, Instant.now().toString());
        RedisLayout layout = RedisLayout.of(totalsKey(), json);
        transaction("totals", tx -> write(tx, layout, totalsKeys));
        totalsKeys = layout.written();
    }

    /** Deletes what {@code layout} replaces and {@code alsoDelete}, then writes {@code layout}. */
    private static void write(Transaction tx, RedisLayout layout, Set<String> alsoDelete) {
        Set<String> delete = new LinkedHashSet<>(layout.replaced());
        delete.addAll(alsoDelete);
        tx.del(delete.toArray(String[]::new));
        layout.hashes().forEach(tx::hset);
        layout.sortedSets().forEach(tx::zadd);
    }

    private void transaction(String what, Consumer<Transaction> commands) throws IOException {
        List<Object> replies;
        try {
            replies = retry.call(() -> {
                try (Jedis jedis = pool.getResource(); Transaction tx = jedis.multi()) {
                    commands.accept(tx);
                    return tx.exec();
                }
            }, () -> {});
        } catch (JedisException e) {
            throw new IOException("cannot write " + what + " to " + this + ": " + e.getMessage(), e);
        }
        if (replies == null) {
            throw new IOException("the transaction writing " + what + " to " + this + " was aborted");
        }
        // Redis runs the rest of a transaction after a failed command (e.g. WRONGTYPE): report it, as half is written.
        for (Object reply : replies) {
            if (reply instanceof Exception e) {
                throw new IOException("a command writing " + what + " to " + this + " failed: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void rejected(DeadLetter deadLetter) throws IOException {
        rejected(List.of(deadLetter));
    }

    /** A block's dead letters in one round trip: one LPUSH of them all, then the trim. */
    @Override
    public void rejected(List<DeadLetter> deadLetters) throws IOException {
        if (deadLetters.isEmpty()) {
            return;
        }
        String[] values = deadLetters.stream().map(d -> SinkJson.write(SinkJson.deadLetter(d))).toArray(String[]::new);
        try {
            retry.call(() -> {
                try (Jedis jedis = pool.getResource(); Pipeline pipeline = jedis.pipelined()) {
                    Response<Long> pushed = pipeline.lpush(rejectedKey(), values);
                    pipeline.ltrim(rejectedKey(), 0, DEAD_LETTERS_KEPT - 1);
                    pipeline.sync();
                    return pushed.get(); // throws when the push failed, e.g. the key holds something else than a list
                }
            }, () -> {});
        } catch (JedisException e) {
            throw new IOException("cannot write a dead letter to " + this + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void late(LateLine late) {
        // Counted in each window's "late" field; not stored one by one.
    }

    @Override
    public void flush() {}

    @Override
    public void endOfInput(String unread) throws IOException {
        try {
            retry.call(() -> {
                try (Jedis jedis = pool.getResource()) {
                    return unread.isEmpty() ? jedis.set(endOfInputKey(), Instant.now().toString())
                            : jedis.set(incompleteKey(), unread);
                }
            }, () -> {});
        } catch (JedisException e) {
            throw new IOException("cannot mark the end of input in " + this + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.close();
        }
    }

    @Override
    public String toString() {
        return "redis " + endpoint + " prefix " + prefix;
    }
}
