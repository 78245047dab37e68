package io.stormwatch.storm.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import org.apache.storm.Config;
import org.apache.storm.policy.IWaitStrategy.WaitSituation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How long an idle executor parks: its situation's park, or the woken park where its inputs wake it. */
class WakeableParkWaitStrategyTest {

    @ParameterizedTest(name = "{0}, park {1} µs, woken park {2}: {3} µs, or {4} µs when woken")
    @CsvSource(nullValues = "-", value = {
        // situation,       park, woken park, parks (µs), parks when its inputs wake it (µs)
        "BOLT_WAIT,          100,  -,           100,        1000",
        "BOLT_WAIT,          100,  5000,        100,        5000",
        "SPOUT_WAIT,         100,  2000,        100,        2000",
        // a woken park shorter than the park would make woken executors poll more often: the park wins
        "BOLT_WAIT,          1000, 200,         1000,       1000",
        // waiting for room downstream: nothing wakes it, whatever its inputs
        "BACK_PRESSURE_WAIT, 100,  5000,        100,        100",
        // park 0: poll without parking, as Storm's WaitStrategyPark
        "SPOUT_WAIT,         0,    -,           0,          1000",
    })
    void parksItsSituationsParkOrTheWokenParkWhereInputsWakeIt(WaitSituation situation, long parkMicros,
            Long wokenParkMicros, long expectedMicros, long expectedWokenMicros)
            throws ExecutionException, InterruptedException {
        Map<String, Object> conf = new HashMap<>();
        String key = switch (situation) {
            case SPOUT_WAIT -> Config.TOPOLOGY_SPOUT_WAIT_PARK_MICROSEC;
            case BOLT_WAIT -> Config.TOPOLOGY_BOLT_WAIT_PARK_MICROSEC;
            case BACK_PRESSURE_WAIT -> Config.TOPOLOGY_BACKPRESSURE_WAIT_PARK_MICROSEC;
        };
        conf.put(key, parkMicros);
        if (wokenParkMicros != null) {
            conf.put(WakeableParkWaitStrategy.WOKEN_PARK_MICROSEC_KEY, wokenParkMicros);
        }
        WakeableParkWaitStrategy strategy = new WakeableParkWaitStrategy();
        strategy.prepare(conf, situation);

        var executor = Executors.newSingleThreadExecutor();
        try {
            long plain = CompletableFuture.supplyAsync(strategy::parkNanosOfCurrentThread, executor).get();
            var woken = Executors.newSingleThreadExecutor();
            try {
                long wokenNanos = CompletableFuture.supplyAsync(() -> {
                    ExecutorWakeups.wakerOfCurrentThread();
                    return strategy.parkNanosOfCurrentThread();
                }, woken).get();
                assertThat(plain).isEqualTo(expectedMicros * 1_000);
                assertThat(wokenNanos).isEqualTo(expectedWokenMicros * 1_000);
            } finally {
                woken.shutdownNow();
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
