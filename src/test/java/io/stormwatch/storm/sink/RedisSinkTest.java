package io.stormwatch.storm.sink;

import static io.stormwatch.storm.sink.Results.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.job.DeadLetter;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.job.loganalytics.StatsJson;
import io.stormwatch.core.job.statuscodes.StatusCodes;
import io.stormwatch.storm.state.RedisEndpoint;
import io.stormwatch.testing.CapturedLog;
import io.stormwatch.testing.RedisServer;
import io.stormwatch.testing.Records;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Tuple;

/** Against a real redis-server that requires a password; read back with a plain Jedis client. */
class RedisSinkTest {

    private static final String PASSWORD = "s3cret-for-tests";
    private static final String PREFIX = "stormwatch:log-analytics";
    private static final int DB = 2;
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
        jedis = redis.client();
        jedis.select(DB);
        jedis.flushDB();
        sink = open(Duration.ofMinutes(10));
    }

    private static RedisSink open(Duration windowTtl) {
        RedisSink sink = new RedisSink(endpoint(PASSWORD), PREFIX, windowTtl);
        sink.open(Map.of(), null);
        return sink;
    }

    private static RedisEndpoint endpoint(String password) {
        return new RedisEndpoint(redis.host(), redis.port(), password, DB, false, 2000);
    }

    @AfterEach
    void close() {
        sink.close();
        jedis.close();
    }

    private List<org.assertj.core.groups.Tuple> ranking(String key) {
        return jedis.zrevrangeWithScores(key, 0, -1).stream().map(t -> tuple(t.getElement(), t.getScore())).toList();
    }

    /** The worked example of RedisSink's documentation, key by key. */
    @Test
    void aWindowIsLaidOutAsDocumented() throws IOException {
        long end = T0 + 30_000;
        assertThat(end).isEqualTo(1_711_843_230_000L);
        Result window = Results.window(T0, end, 0, Results.example());
        assertThat(new ObjectMapper().readTree(window.json())).isEqualTo(new ObjectMapper().readTree(
                "{\"records\":3,\"rejected\":1,\"rejectReasons\":{\"too-long\":1},"
                        + "\"contentSize\":{\"sum\":400,\"min\":0,\"max\":300,\"avg\":133},\"responseCodes\":{\"200\":2,\"404\":1},"
                        + "\"clientsOver\":{\"threshold\":1,\"clients\":{\"10.0.0.1\":2}},"
                        + "\"topEndpoints\":[{\"endpoint\":\"/a\",\"count\":2},{\"endpoint\":\"/b\",\"count\":1}],"
                        + "\"firstTime\":\"2024-03-31T00:00:05Z\",\"lastTime\":\"2024-03-31T00:00:25Z\","
                        + "\"windowStart\":\"2024-03-31T00:00:00Z\",\"windowEnd\":\"2024-03-31T00:00:30Z\",\"late\":0}"));

        sink.window(window);

        String k = PREFIX + ":window:1711843230000";
        assertThat(jedis.keys(PREFIX + ":*")).containsExactlyInAnyOrder(k, k + ":rejectReasons", k + ":contentSize",
                k + ":responseCodes", k + ":clientsOver", k + ":clientsOver:clients", k + ":topEndpoints",
                PREFIX + ":windows");
        assertThat(jedis.hgetAll(k)).isEqualTo(Map.of("records", "3", "rejected", "1",
                "firstTime", "2024-03-31T00:00:05Z", "lastTime", "2024-03-31T00:00:25Z",
                "windowStart", "2024-03-31T00:00:00Z", "windowEnd", "2024-03-31T00:00:30Z", "late", "0"));
        assertThat(jedis.hgetAll(k + ":rejectReasons")).isEqualTo(Map.of("too-long", "1"));
        assertThat(jedis.hgetAll(k + ":contentSize")).isEqualTo(Map.of("sum", "400", "min", "0", "max", "300", "avg", "133"));
        assertThat(jedis.hgetAll(k + ":responseCodes")).isEqualTo(Map.of("200", "2", "404", "1"));
        assertThat(jedis.hgetAll(k + ":clientsOver")).isEqualTo(Map.of("threshold", "1"));
        assertThat(jedis.hgetAll(k + ":clientsOver:clients")).isEqualTo(Map.of("10.0.0.1", "2"));
        assertThat(jedis.type(k + ":topEndpoints")).isEqualTo("zset");
        assertThat(ranking(k + ":topEndpoints")).containsExactly(tuple("/a", 2.0), tuple("/b", 1.0));
        assertThat(jedis.zrangeWithScores(PREFIX + ":windows", 0, -1)).extracting(Tuple::getElement, Tuple::getScore)
                .containsExactly(tuple("1711843230000", 1.711843230000E12));
    }

    @Test
    void everyKeyOfAWindowHasTheTtl() throws IOException {
        sink.window(Results.window(T0, T0 + 30_000, 2, Results.example()));

        for (String key : jedis.keys(PREFIX + ":window:*")) {
            assertThat(jedis.pttl(key)).as(key).isBetween(590_000L, 600_000L);
        }
        assertThat(jedis.pttl(PREFIX + ":windows")).as("the index itself lives on").isEqualTo(-1);
    }

    @Test
    void aWindowsKeysExpire() throws IOException {
        sink.close();
        sink = open(Duration.ofSeconds(1));

        sink.window(Results.window(T0, T0 + 30_000, 0, Results.example()));
        assertThat(jedis.keys(PREFIX + ":window:*")).hasSize(7);

        await().atMost(Duration.ofSeconds(5)).until(() -> jedis.keys(PREFIX + ":window:*").isEmpty());
    }

    @Test
    void windowEndsOlderThanTheTtlLeaveTheIndex() throws IOException {
        sink.window(Results.window(T0, T0 + 30_000, 0, Results.example()));
        sink.window(Results.window(T0 + 40_000, T0 + 70_000, 0, Results.example()));
        sink.window(Results.window(T0 + 630_000, T0 + 660_000, 0, Results.example()));

        assertThat(jedis.zrange(PREFIX + ":windows", 0, -1))
                .containsExactly(Long.toString(T0 + 70_000), Long.toString(T0 + 660_000));
    }

    @Test
    void totalsHaveTheSameLayoutPlusFinalAndUpdated() throws IOException {
        Instant before = Instant.now();
        sink.totals(Results.totals(true, Results.example()));

        String k = PREFIX + ":totals";
        Map<String, String> root = jedis.hgetAll(k);
        assertThat(root).containsEntry("records", "3").containsEntry("rejected", "1")
                .containsEntry("firstTime", "2024-03-31T00:00:05Z").containsEntry("final", "true")
                .containsOnlyKeys("records", "rejected", "firstTime", "lastTime", "final", "updated");
        assertThat(Instant.parse(root.get("updated"))).isBetween(before, Instant.now());
        assertThat(jedis.hgetAll(k + ":responseCodes")).isEqualTo(Map.of("200", "2", "404", "1"));
        assertThat(ranking(k + ":topEndpoints")).containsExactly(tuple("/a", 2.0), tuple("/b", 1.0));
        assertThat(jedis.pttl(k)).as("totals do not expire").isEqualTo(-1);
    }

    @Test
    void rewritingTotalsRemovesWhatDisappeared() throws IOException {
        LogStats first = Results.example()
                .add(Records.record(T0 + 26_000, "10.0.0.2", "/c", 500, 10))
                .add(Records.record(T0 + 27_000, "10.0.0.3", "/c", 200, 10));
        sink.totals(Results.totals(false, first));
        String k = PREFIX + ":totals";
        assertThat(jedis.hgetAll(k + ":clientsOver:clients")).containsOnlyKeys("10.0.0.1", "10.0.0.2");
        assertThat(jedis.hgetAll(k + ":responseCodes")).containsOnlyKeys("200", "404", "500");
        assertThat(jedis.zrange(k + ":topEndpoints", 0, -1)).containsExactlyInAnyOrder("/a", "/c");

        // New totals of other lines: nothing of the first may linger.
        sink.totals(Results.totals(false, new LogStats().add(Records.record(T0, "10.9.9.9", "/z", 200, 1))));

        assertThat(jedis.hgetAll(k + ":responseCodes")).isEqualTo(Map.of("200", "1"));
        assertThat(jedis.exists(k + ":clientsOver:clients")).as("no client over 1 now").isFalse();
        assertThat(jedis.exists(k + ":rejectReasons")).isFalse();
        assertThat(ranking(k + ":topEndpoints")).containsExactly(tuple("/z", 1.0));
        assertThat(jedis.hget(k, "final")).isEqualTo("false");
    }

    @Test
    void aFieldOrKeyGoneFromTheJsonIsGoneFromRedis() throws IOException {
        sink.totals(Result.totals(false, "{\"a\":1,\"b\":2,\"dynamic\":{\"x\":{\"n\":1},\"y\":{\"n\":2}},"
                + "\"top\":[{\"k\":\"p\",\"n\":1}]}"));
        String k = PREFIX + ":totals";
        assertThat(jedis.exists(k + ":dynamic:y")).isTrue();

        sink.totals(Result.totals(true, "{\"a\":1,\"dynamic\":{\"x\":{\"n\":3}},\"top\":[1,2]}"));

        assertThat(jedis.hgetAll(k)).containsOnlyKeys("a", "top", "final", "updated").containsEntry("top", "[1,2]");
        assertThat(jedis.exists(k + ":dynamic:y")).as("an object that vanished from the JSON").isFalse();
        assertThat(jedis.hgetAll(k + ":dynamic:x")).isEqualTo(Map.of("n", "3"));
        assertThat(jedis.exists(k + ":top")).as("a ranking that became a plain array").isFalse();
    }

    @Test
    void anotherJobGetsItsLayoutFromItsOwnJson() throws IOException {
        StatusCodes job = new StatusCodes("combined", 65_536);
        Tally tally = job.aggregate().createAccumulator();
        job.aggregate().add(Records.record(T0, "10.0.0.1", "/a", 200, 1), tally);
        job.aggregate().add(Records.record(T0, "10.0.0.1", "/a", 503, 1), tally);
        tally.countRejected("truncated");
        RedisSink statusCodes = new RedisSink(endpoint(PASSWORD), "stormwatch:" + StatusCodes.NAME, Duration.ofMinutes(1));
        statusCodes.open(Map.of(), null);
        try {
            statusCodes.totals(Result.totals(true, StatsJson.write(job.views().json(tally))));
        } finally {
            statusCodes.close();
        }

        assertThat(jedis.keys("stormwatch:status-codes:*")).containsExactlyInAnyOrder("stormwatch:status-codes:totals",
                "stormwatch:status-codes:totals:rejectReasons", "stormwatch:status-codes:totals:responseCodes");
        assertThat(jedis.hgetAll("stormwatch:status-codes:totals")).containsEntry("records", "2").containsEntry("rejected", "1");
        assertThat(jedis.hgetAll("stormwatch:status-codes:totals:responseCodes")).isEqualTo(Map.of("200", "1", "503", "1"));
        assertThat(jedis.hgetAll("stormwatch:status-codes:totals:rejectReasons")).isEqualTo(Map.of("truncated", "1"));
    }

    @Test
    void rewritingAWindowReplacesIt() throws IOException {
        sink.window(Results.window(T0, T0 + 30_000, 0, Results.example()));
        sink.window(Results.window(T0, T0 + 30_000, 1, new LogStats().add(Records.at(T0 + 1_000, "10.0.0.9", "/only"))));

        String k = PREFIX + ":window:" + (T0 + 30_000);
        assertThat(jedis.hget(k, "records")).isEqualTo("1");
        assertThat(jedis.hget(k, "late")).isEqualTo("1");
        assertThat(jedis.exists(k + ":rejectReasons")).isFalse();
        assertThat(ranking(k + ":topEndpoints")).containsExactly(tuple("/only", 1.0));
        assertThat(jedis.zcard(PREFIX + ":windows")).isEqualTo(1);
    }

    @Test
    void aCommandThatFailsInTheTransactionIsAnIOException() {
        jedis.set(PREFIX + ":windows", "not a sorted set");

        assertThatThrownBy(() -> sink.window(Results.window(T0, T0 + 30_000, 0, Results.example())))
                .isInstanceOf(IOException.class).hasMessageContaining("WRONGTYPE");
    }

    @Test
    void deadLettersAreACappedListOfJson() throws Exception {
        for (int i = 0; i < RedisSink.DEAD_LETTERS_KEPT + 5; i++) {
            sink.rejected(new DeadLetter("access.log#1", i, "malformed", "bad status", "line " + i));
        }

        assertThat(jedis.llen(PREFIX + ":rejected")).isEqualTo(RedisSink.DEAD_LETTERS_KEPT);
        assertThat(new ObjectMapper().readTree(jedis.lindex(PREFIX + ":rejected", 0))).isEqualTo(new ObjectMapper().readTree(
                "{\"source\":\"access.log#1\",\"offset\":" + (RedisSink.DEAD_LETTERS_KEPT + 4)
                        + ",\"reason\":\"malformed\",\"detail\":\"bad status\",\"line\":\"line " + (RedisSink.DEAD_LETTERS_KEPT + 4) + "\"}"));
    }

    @Test
    void lateLinesAreNotStoredOneByOne() {
        sink.late(new LateLine("a.log#1", 3, T0, T0 + 10_000));
        assertThat(jedis.dbSize()).isZero();
    }

    @Test
    void endOfInputIsMarked() throws IOException {
        sink.endOfInput("");
        assertThat(Instant.parse(jedis.get(PREFIX + ":end-of-input"))).isBeforeOrEqualTo(Instant.now());
        assertThat(jedis.exists(PREFIX + ":incomplete")).isFalse();
    }

    @Test
    void anInputNotReadWholeIsMarkedIncompleteInsteadWithWhatWasNotRead() throws IOException {
        sink.endOfInput("/logs/c.log: does not exist");
        assertThat(jedis.get(PREFIX + ":incomplete")).isEqualTo("/logs/c.log: does not exist");
        assertThat(jedis.exists(PREFIX + ":end-of-input")).isFalse();
    }

    @Test
    void aWriteWhileRedisIsFrozenWaitsSaysSoOnceAndLandsWhenRedisIsBack() throws Exception {
        RedisSink patient = new RedisSink(new RedisEndpoint(redis.host(), redis.port(), PASSWORD, DB, false, 300),
                PREFIX, Duration.ofMinutes(1));
        patient.open(Map.of(), null);
        long end = T0 + 30_000;
        try (CapturedLog log = CapturedLog.attach(Level.WARN, RedisSink.class.getName())) {
            redis.pause();
            CompletableFuture<Void> write = CompletableFuture.runAsync(() -> {
                try {
                    patient.window(Results.window(T0, end, 0, Results.example()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> log.lines().size() == 1);
                assertThat(write).as("waiting, not failed").isNotDone();
                assertThat(log.lines()).singleElement().asString().startsWith("Redis sink ").contains("is unreachable");
            } finally {
                redis.resume();
            }
            await().atMost(Duration.ofSeconds(30)).until(write::isDone);
            write.join();
            assertThat(log.lines()).hasSize(2).last().asString().contains("is reachable again");
        } finally {
            patient.close();
        }
        assertThat(jedis.exists(PREFIX + ":window:" + end)).as("the window was written, not dropped").isTrue();
    }

    @Test
    void thePasswordIsNeverShownOrLogged() {
        String wrong = "wrong-" + PASSWORD;
        try (CapturedLog log = CapturedLog.attach(Level.DEBUG, "")) {
            RedisSink rejectedLogin = new RedisSink(endpoint(wrong), PREFIX, Duration.ofMinutes(1));
            rejectedLogin.open(Map.of(), null);
            try {
                assertThatThrownBy(() -> rejectedLogin.totals(Results.totals(false, Results.example())))
                        .isInstanceOf(IOException.class)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain(PASSWORD));
                assertThat(List.of(rejectedLogin.toString(), sink.toString())).noneMatch(text -> text.contains(PASSWORD));
            } finally {
                rejectedLogin.close();
            }
            assertThat(log.text()).contains("Writing results to").doesNotContain(PASSWORD);
        }
    }
}
