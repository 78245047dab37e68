package io.stormwatch.storm.sink;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.window.WindowResult;
import io.stormwatch.storm.state.RedisEndpoint;
import io.stormwatch.testing.RedisServer;
import io.stormwatch.testing.Records;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

/** Against a real redis-server that requires a password. */
class RedisSinkTest {

    private static final String PASSWORD = "s3cret-for-tests";
    private static RedisServer redis;

    private RedisSink sink;
    private Jedis jedis;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisServer.start(PASSWORD);
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void open() {
        RedisEndpoint endpoint = new RedisEndpoint(redis.host(), redis.port(), PASSWORD, 2, false, 2000);
        sink = new RedisSink(endpoint, "sw", Duration.ofMinutes(10), 2);
        sink.open(Map.of(), null);
        jedis = redis.client();
        jedis.select(2);
        jedis.flushDB();
    }

    @AfterEach
    void close() {
        sink.close();
        jedis.close();
    }

    private static LogStats stats() {
        return new LogStats()
                .add(Records.record(1_000, "c1", "/a", 200, 100))
                .add(Records.record(2_000, "c1", "/a", 200, 300))
                .add(Records.record(3_000, "c2", "/b", 404, 0))
                .add(Records.record(4_000, "c3", "/c", 200, 50))
                .reject(RejectReason.TOO_LONG);
    }

    @Test
    void totalsAreReadableHashesAndSortedSets() {
        sink.totals(stats(), false);
        sink.totals(stats().add(Records.record(5_000, "c4", "/d", 500, 10)), true);

        assertThat(jedis.hgetAll("sw:totals"))
                .containsEntry("records", "5").containsEntry("rejected", "1")
                .containsEntry("contentSum", "460").containsEntry("contentMin", "0").containsEntry("contentMax", "300")
                .containsEntry("contentAvg", "92")
                .containsEntry("firstTime", "1970-01-01T00:00:01Z").containsEntry("lastTime", "1970-01-01T00:00:05Z")
                .containsEntry("final", "true")
                .containsKey("updated");
        assertThat(jedis.hgetAll("sw:totals:codes")).isEqualTo(Map.of("200", "3", "404", "1", "500", "1"));
        assertThat(jedis.zrevrangeWithScores("sw:totals:endpoints", 0, -1))
                .as("the top 2 only, replaced on each update")
                .extracting(Tuple::getElement, Tuple::getScore)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/a", 2.0), org.assertj.core.groups.Tuple.tuple("/b", 1.0));
        assertThat(jedis.zrevrange("sw:totals:clients", 0, 0)).containsExactly("c1");
        assertThat(jedis.hgetAll("sw:totals:rejects")).isEqualTo(Map.of("too-long", "1"));
    }

    @Test
    void windowsExpireAndAreListedByEnd() {
        sink.window(new WindowResult(0, 30_000, stats(), 2));
        sink.window(new WindowResult(10_000, 40_000, new LogStats().add(Records.at(35_000)), 0));

        assertThat(jedis.hgetAll("sw:window:30000"))
                .containsEntry("start", "1970-01-01T00:00:00Z").containsEntry("end", "1970-01-01T00:00:30Z")
                .containsEntry("endMillis", "30000").containsEntry("records", "4").containsEntry("late", "2");
        assertThat(jedis.zrevrange("sw:window:30000:endpoints", 0, -1)).containsExactly("/a", "/b");
        assertThat(jedis.hgetAll("sw:window:30000:codes")).isEqualTo(Map.of("200", "3", "404", "1"));
        assertThat(jedis.ttl("sw:window:30000")).isBetween(590L, 600L);
        assertThat(jedis.ttl("sw:window:30000:endpoints")).isBetween(590L, 600L);
        assertThat(jedis.zrevrange("sw:windows", 0, -1)).containsExactly("40000", "30000");
    }

    @Test
    void windowEndsOlderThanTheTtlLeaveTheIndex() {
        sink.window(new WindowResult(0, 30_000, stats(), 0));
        sink.window(new WindowResult(630_000, 660_000, stats(), 0));

        assertThat(jedis.zrange("sw:windows", 0, -1)).containsExactly("660000");
    }

    @Test
    void deadLettersAreACappedListOfJson() throws Exception {
        for (int i = 0; i < RedisSink.DEAD_LETTERS_KEPT + 5; i++) {
            sink.rejected(new DeadLetter("access.log", i, "malformed", "bad status", "line " + i));
        }

        assertThat(jedis.llen("sw:rejected")).isEqualTo(RedisSink.DEAD_LETTERS_KEPT);
        Map<String, Object> newest = new ObjectMapper().readValue(jedis.lindex("sw:rejected", 0),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {});
        assertThat(newest).containsEntry("offset", RedisSink.DEAD_LETTERS_KEPT + 4).containsEntry("reason", "malformed")
                .containsEntry("line", "line " + (RedisSink.DEAD_LETTERS_KEPT + 4));
    }

    @Test
    void endOfInputIsMarked() {
        sink.endOfInput();
        assertThat(jedis.get("sw:end-of-input")).isNotBlank();
    }

    @Test
    void thePasswordNeverAppearsInDescriptions() {
        RedisEndpoint endpoint = new RedisEndpoint("h", 1, PASSWORD, 0, true, 1000);
        assertThat(List.of(endpoint.toString(), sink.toString(), new RedisSink(endpoint, "p", Duration.ofSeconds(5), 1).toString()))
                .noneMatch(text -> text.contains(PASSWORD));
        assertThat(endpoint).hasToString("rediss://***@h:1/0");
    }
}
