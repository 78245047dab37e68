package io.stormwatch.testing;

import static org.awaitility.Awaitility.await;

import io.stormwatch.storm.sink.JsonLinesSink;
import io.stormwatch.storm.topology.JobTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.storm.Config;
import org.apache.storm.LocalCluster;
import org.apache.storm.generated.KillOptions;

/** What LocalCluster ITs and benchmarks share: a test config that really serializes tuples, and run/kill helpers. */
public final class LocalStorm {

    public static final Duration RUN_LIMIT = Duration.ofMinutes(3);
    /** How Storm names an executor's thread: {@code Thread-<n>-<component>-executor[<tasks>]}. */
    private static final Pattern EXECUTOR_THREAD = Pattern.compile("Thread-\\d+-.+-executor\\[.*\\]");

    private LocalStorm() {}

    /**
     * Tuples are really serialized, so a class missing from the Kryo registrations fails in tests too. A worker
     * of a multi-worker topology checks backpressure every second, not every 50 ms: Storm re-schedules that
     * timer with {@code StormTimer.scheduleRecurringMs}, which throws if the worker closed the timer while the
     * check ran, and the worker then halts its JVM — here the test JVM, once in a while when a test kills a
     * 2-worker topology (CI, 2026-12-01: "Timer is not active" → "Halting process", exit 20).
     */
    public static Map<String, Object> testConfig() {
        Map<String, Object> conf = new HashMap<>();
        conf.put(Config.TOPOLOGY_BACKPRESSURE_CHECK_MILLIS, 1_000);
        conf.put(Config.TOPOLOGY_TESTING_ALWAYS_TRY_SERIALIZE, true);
        conf.put(Config.TOPOLOGY_FALL_BACK_ON_JAVA_SERIALIZATION, false);
        conf.put(Config.TOPOLOGY_MAX_SPOUT_PENDING, 5_000);
        return conf;
    }

    public static void submit(LocalCluster cluster, JobTopology job) throws Exception {
        cluster.submitTopology(job.name(), job.config(), job.topology());
    }

    /** Waits until a jsonl output is complete (a finite input was drained and every sink flushed). */
    public static void awaitSuccess(Path out) {
        await().atMost(RUN_LIMIT).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(out.resolve(JsonLinesSink.SUCCESS)));
    }

    /**
     * Kills a topology at once and waits until the cluster has forgotten it, so its name can be reused, and until
     * its executors have stopped: a worker still committing state to a Redis the test then stops would die, and
     * a dying in-process worker halts the test JVM.
     */
    public static void kill(LocalCluster cluster, String name) throws Exception {
        KillOptions now = new KillOptions();
        now.set_wait_secs(0);
        cluster.killTopologyWithOpts(name, now);
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.getTopologySummaries().stream()
                .noneMatch(t -> t.get_name().equals(name)));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> executorThreads() == 0);
    }

    /** Live executor threads of in-process workers ({@code Thread-<n>-<component>-executor[<tasks>]}). */
    private static long executorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && EXECUTOR_THREAD.matcher(thread.getName()).matches())
                .count();
    }

}
