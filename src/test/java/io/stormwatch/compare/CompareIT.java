package io.stormwatch.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/stormwatch compare}'s measuring on one engine pair, small: stormwatch and DStream (1 s batches), each
 * its own process, fed 200 lines/s for 10 s of warm-up and 5 s measured. The probe must see every line of both,
 * with latencies that are positive and ordered, CPU and RSS read, and stormwatch's p99 below DStream's p50 (a
 * 1 s batch cannot show a line sooner than the batch ends; stormwatch counts a line within milliseconds). Runs
 * the launchers on the packaged jars (bin/stormwatch-spark builds spark/ when its jar is missing or stale).
 */
class CompareIT {

    @TempDir
    Path work;

    @Test
    void theProbeSeesEveryLineOfBothEnginesAndStormwatchIsFaster() throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Comparison comparison = new Comparison(new Comparison.Settings(root, work, "-Xmx512m", 10_000, 5_000, 15_000, 180_000));

        RunResult storm = comparison.live(Engine.STORMWATCH, "log-analytics", 200);
        RunResult dstream = comparison.live(Engine.DSTREAM_1S, "log-analytics", 200);

        for (RunResult run : new RunResult[] {storm, dstream}) {
            assertThat(run.note()).as(run.engine()).isEmpty();
            assertThat(run.lines()).as(run.engine()).isGreaterThanOrEqualTo(900);
            assertThat(run.unseen()).as(run.engine()).isZero();
            assertThat(run.latencyNanos()).as(run.engine()).hasSize((int) run.lines());
            assertThat(run.latencyNanos()[0]).as(run.engine() + ": the smallest latency (sorted)").isPositive();
            assertThat(run.latencyMs(50)).as(run.engine()).isLessThanOrEqualTo(run.latencyMs(99));
            assertThat(run.latencyMs(99)).as(run.engine()).isLessThanOrEqualTo(run.latencyMs(100));
            assertThat(run.cpuSeconds()).as(run.engine()).isPositive();
            assertThat(run.peakRssMib()).as(run.engine()).isPositive();
        }
        assertThat(storm.latencyMs(99)).isLessThan(dstream.latencyMs(50));
    }
}
