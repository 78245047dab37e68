package io.stormwatch.storm.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stormwatch.testing.RecordingOutputCollector;
import io.stormwatch.testing.TestTopology;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.storm.spout.ISpoutOutputCollector;
import org.apache.storm.spout.SpoutOutputCollector;
import org.apache.storm.task.IOutputCollector;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Tuple;
import org.junit.jupiter.api.Test;

/**
 * An emit through a waking collector unparks the executor threads of the tasks it went to — and only those —
 * so an idle bolt can park long and still take a tuple at once.
 */
class ExecutorWakeupsTest {

    private static final Duration PARK = Duration.ofSeconds(60);

    private final TestTopology topology = new TestTopology()
            .component("source", 1, Map.of("default", new Fields("line")))
            .component("parse", 1, Map.of("default", new Fields("record")), TestTopology.stream("source", "default"))
            .component("totals", 1, Map.of(), TestTopology.stream("parse", "default"))
            .component("sink", 1, Map.of(), TestTopology.stream("parse", "default"));

    /** A bolt's executor: registers through its collector, then parks for a minute at a time until stopped. */
    private final class ParkedExecutor extends Thread {
        private final String component;
        private final CountDownLatch registered = new CountDownLatch(1);
        private volatile int wakeUps;
        private volatile boolean stop;

        ParkedExecutor(String component) {
            this.component = component;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            ExecutorWakeups.waking(new RecordingOutputCollector().collector(), topology.context(component, 0));
            registered.countDown();
            while (!stop) {
                LockSupport.parkNanos(PARK.toNanos());
                wakeUps++;
            }
        }

        void awaitParked() throws InterruptedException {
            assertThat(registered.await(20, TimeUnit.SECONDS)).isTrue();
            await().atMost(Duration.ofSeconds(20)).until(() -> getState() == State.TIMED_WAITING);
        }

        void stopNow() throws InterruptedException {
            stop = true;
            LockSupport.unpark(this);
            join(20_000);
        }
    }

    /** Storm's collector as a stub: every emit goes to {@code tasks}. */
    private static IOutputCollector routingTo(List<Integer> tasks) {
        return new IOutputCollector() {
            @Override
            public List<Integer> emit(String streamId, Collection<Tuple> anchors, List<Object> tuple) {
                return tasks;
            }

            @Override
            public void emitDirect(int taskId, String streamId, Collection<Tuple> anchors, List<Object> tuple) {}

            @Override
            public void ack(Tuple input) {}

            @Override
            public void fail(Tuple input) {}

            @Override
            public void resetTimeout(Tuple input) {}

            @Override
            public void flush() {}

            @Override
            public void reportError(Throwable error) {}
        };
    }

    @Test
    void aBoltsEmitWakesTheExecutorOfTheTaskItWentToAndNoOther() throws InterruptedException {
        ParkedExecutor totals = new ParkedExecutor("totals");
        ParkedExecutor sink = new ParkedExecutor("sink");
        try {
            totals.awaitParked();
            sink.awaitParked();
            OutputCollector parse = ExecutorWakeups.waking(
                    new OutputCollector(routingTo(topology.tasks("totals"))), topology.context("parse", 0));

            parse.emit(List.of("record"));

            await().atMost(Duration.ofSeconds(20)).until(() -> totals.wakeUps == 1);
            assertThat(sink.wakeUps).isZero();
        } finally {
            totals.stopNow();
            sink.stopNow();
        }
    }

    @Test
    void aSpoutsEmitWakesTheExecutorOfTheTaskItWentTo() throws InterruptedException {
        ParkedExecutor parse = new ParkedExecutor("parse");
        try {
            parse.awaitParked();
            List<Integer> parseTasks = topology.tasks("parse");
            SpoutOutputCollector source = ExecutorWakeups.waking(new SpoutOutputCollector(new ISpoutOutputCollector() {
                @Override
                public List<Integer> emit(String streamId, List<Object> tuple, Object messageId) {
                    return parseTasks;
                }

                @Override
                public void emitDirect(int taskId, String streamId, List<Object> tuple, Object messageId) {}

                @Override
                public long getPendingCount() {
                    return 0;
                }

                @Override
                public void flush() {}

                @Override
                public void reportError(Throwable error) {}
            }), topology.context("source", 0));

            source.emit(List.of("line"), "block-1");

            await().atMost(Duration.ofSeconds(20)).until(() -> parse.wakeUps == 1);
        } finally {
            parse.stopNow();
        }
    }

    @Test
    void aCollectorThatSaysNothingOfWhereATupleWentWakesNobody() throws InterruptedException {
        ParkedExecutor totals = new ParkedExecutor("totals");
        try {
            totals.awaitParked();
            // RecordingOutputCollector answers every emit with no task, as a test collector may.
            OutputCollector parse = ExecutorWakeups.waking(new RecordingOutputCollector().collector(),
                    topology.context("parse", 0));

            parse.emit(List.of("record"));

            assertThat(totals.wakeUps).isZero();
        } finally {
            totals.stopNow();
        }
    }

    @Test
    void theThreadsOfATopologyWhoseExecutorsAllEndedAreForgottenWhenAnotherRegisters() throws InterruptedException {
        TestTopology gone = new TestTopology().stormId("gone-topology")
                .component("source", 1, Map.of("default", new Fields("line")))
                .component("parse", 1, Map.of(), TestTopology.stream("source", "default"));
        Thread executor = new Thread(() -> ExecutorWakeups.waking(new RecordingOutputCollector().collector(),
                gone.context("parse", 0)));
        executor.start();
        executor.join(20_000);
        assertThat(ExecutorWakeups.holdsTopology("gone-topology")).isTrue();

        ExecutorWakeups.waking(new RecordingOutputCollector().collector(), topology.context("parse", 0));

        assertThat(ExecutorWakeups.holdsTopology("gone-topology")).isFalse();
        assertThat(ExecutorWakeups.holdsTopology("test-topology")).isTrue();
    }
}
