package io.stormwatch.storm.sink;

import static io.stormwatch.storm.sink.Results.T0;
import static io.stormwatch.testing.TestTopology.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.job.DeadLetter;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Jobs;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.job.statuscodes.StatusCodes;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.spout.FileSpout;
import io.stormwatch.storm.state.RedisEndpoint;
import io.stormwatch.storm.topology.JobOptions;
import io.stormwatch.storm.topology.PipelineTopology;
import io.stormwatch.storm.topology.StormwatchConfig;
import io.stormwatch.testing.RecordingOutputCollector;
import io.stormwatch.testing.TestTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With real tuples and contexts ({@link TestTopology}): a window bolt of 1 task and a totals bolt of 2 tasks, both
 * forwarding end of input, and a parse bolt of 2 tasks whose dead letters the sink reads without waiting for its
 * end of input (the spouts end only once every block, dead letters included, is acked).
 */
class SinkBoltTest {

    /** A sink that records the calls it gets, and can be told to fail. */
    static final class RecordingSink implements ResultSink {
        final List<String> calls = new ArrayList<>();
        boolean failWindows;
        int endOfInputFailures;
        long lastWindowHeld = Long.MIN_VALUE;

        @Override
        public long lastWindowEnd() {
            return lastWindowHeld;
        }

        @Override
        public void open(Map<String, Object> topoConf, TopologyContext context) {
            calls.add("open");
        }

        @Override
        public void window(Result window) throws IOException {
            if (failWindows) {
                throw new IOException("disk full");
            }
            calls.add("window " + window.windowEnd());
        }

        @Override
        public void totals(Result totals) {
            calls.add("totals " + totals.json() + (totals.isFinal() ? " final" : ""));
        }

        @Override
        public void rejected(DeadLetter deadLetter) {
            calls.add("rejected " + deadLetter.offset());
        }

        @Override
        public void late(LateLine late) {
            calls.add("late " + late.offset());
        }

        @Override
        public void flush() {
            calls.add("flush");
        }

        @Override
        public void endOfInput(String unread) throws IOException {
            if (endOfInputFailures > 0) {
                endOfInputFailures--;
                throw new IOException("cannot write _SUCCESS");
            }
            calls.add(unread.isEmpty() ? "end of input" : "end of input, not read: " + unread.replace("\n", "; "));
        }

        @Override
        public void close() {
            calls.add("close");
        }
    }

    private final TestTopology topology = new TestTopology()
            .component("parse", 2, Map.of(Schema.REJECTED_STREAM, Schema.REJECTED_FIELDS,
                    Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS))
            .component("windows", 1, Map.of(Schema.WINDOWS_STREAM, Schema.WINDOWS_FIELDS, Schema.LATE_STREAM, Schema.LATE_FIELDS,
                    Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS))
            .component("totals", 2, Map.of(Schema.TOTALS_STREAM, Schema.RESULT_FIELDS,
                    Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS))
            .component("sink", 1, Map.of(),
                    stream("windows", Schema.WINDOWS_STREAM), stream("windows", Schema.LATE_STREAM),
                    stream("windows", Schema.END_OF_INPUT_STREAM),
                    stream("totals", Schema.TOTALS_STREAM), stream("totals", Schema.END_OF_INPUT_STREAM),
                    stream("parse", Schema.REJECTED_STREAM));
    private final RecordingOutputCollector output = new RecordingOutputCollector();
    private SinkBolt bolt;

    private SinkBolt prepare(ResultSink sink) {
        bolt = new SinkBolt(sink);
        bolt.prepare(topology.conf(), topology.context("sink", 0), output.collector());
        return bolt;
    }

    @AfterEach
    void cleanup() {
        if (bolt != null) {
            bolt.cleanup();
        }
    }

    private Tuple window(long end) {
        return topology.tuple("windows", 0, Schema.WINDOWS_STREAM,
                (Object) new Result[] {Results.window(end - 30_000, end, 0, Results.example())});
    }

    private Tuple totals(int task, boolean isFinal, LogStats stats) {
        return topology.tuple("totals", task, Schema.TOTALS_STREAM, Results.totals(isFinal, stats));
    }

    private Tuple endOfInput(String component, int task) {
        return endOfInput(component, task, "");
    }

    private Tuple endOfInput(String component, int task, String unread) {
        return topology.tuple(component, task, Schema.END_OF_INPUT_STREAM, component, unread);
    }

    private Tuple deadLetters(int task, long... offsets) {
        DeadLetter[] letters = new DeadLetter[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            letters[i] = new DeadLetter("a.log#1", offsets[i], "empty", "blank line", "");
        }
        return topology.tuple("parse", task, Schema.REJECTED_STREAM, (Object) letters);
    }

    private Tuple lateLines(long... offsets) {
        LateLine[] lines = new LateLine[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            lines[i] = new LateLine("a.log#1", offsets[i], T0, T0 + 10_000);
        }
        return topology.tuple("windows", 0, Schema.LATE_STREAM, (Object) lines);
    }

    @Test
    void handsEachStreamToTheSinkElementByElement() {
        RecordingSink sink = new RecordingSink();
        prepare(sink);
        List<Tuple> inputs = List.of(
                window(T0 + 30_000),
                totals(1, false, Results.example()),
                deadLetters(1, 3, 4),
                lateLines(7, 9),
                topology.tick());

        inputs.forEach(bolt::execute);

        assertThat(sink.calls).containsExactly("open", "window " + (T0 + 30_000),
                "totals " + Results.VIEWS.jsonText(Results.example().tally()),
                "rejected 3", "rejected 4", "late 7", "late 9", "flush");
        assertThat(output.acked()).containsExactlyElementsOf(inputs);
        assertThat(output.failed()).isEmpty();
        assertThat(bolt.getComponentConfiguration()).containsEntry(Config.TOPOLOGY_TICK_TUPLE_FREQ_SECS, 1);
    }

    @Test
    void aRestartedSinkResumesAfterTheLastWindowWrittenAndWritesNoWindowTwice() {
        RecordingSink sink = new RecordingSink();
        sink.lastWindowHeld = T0 + 90_000; // written between the last checkpoint and a crash
        prepare(sink);
        io.stormwatch.storm.state.MemoryKeyValueState<String, Object> state = new io.stormwatch.storm.state.MemoryKeyValueState<>();
        state.put(SinkBolt.LAST_WINDOW_END, T0 + 60_000L);
        bolt.initState(state);

        List.of(window(T0 + 60_000), window(T0 + 90_000), window(T0 + 120_000), window(T0 + 90_000), window(T0 + 150_000))
                .forEach(bolt::execute);
        bolt.prePrepare(1);

        assertThat(sink.calls).containsExactly("open", "window " + (T0 + 120_000), "window " + (T0 + 150_000), "flush");
        assertThat(state.get(SinkBolt.LAST_WINDOW_END)).as("recorded for the next restart").isEqualTo(T0 + 150_000);
        assertThat(output.failed()).isEmpty();
    }

    @Test
    void aSinkWithANewStateWritesEveryWindowWhateverItHeldBefore() {
        RecordingSink sink = new RecordingSink();
        sink.lastWindowHeld = T0 + 90_000; // from an earlier run with another state
        prepare(sink);
        bolt.initState(new io.stormwatch.storm.state.MemoryKeyValueState<>());

        bolt.execute(window(T0 + 30_000));

        assertThat(sink.calls).containsExactly("open", "window " + (T0 + 30_000));
    }

    @Test
    void endOfInputRunsOnceAfterEveryTaskOfEveryUpstreamComponent() {
        RecordingSink sink = new RecordingSink();
        prepare(sink);

        bolt.execute(endOfInput("windows", 0));
        bolt.execute(endOfInput("totals", 0));
        bolt.execute(endOfInput("totals", 0));
        assertThat(sink.calls).as("totals task 1 has not ended; a repeated marker counts once").containsExactly("open");

        bolt.execute(totals(1, true, Results.example()));
        bolt.execute(endOfInput("totals", 1));
        bolt.execute(endOfInput("totals", 1));
        bolt.execute(endOfInput("windows", 0));

        assertThat(sink.calls).containsExactly("open", "totals " + Results.VIEWS.jsonText(Results.example().tally()) + " final",
                "end of input");
        assertThat(output.failed()).isEmpty();
    }

    @Test
    void whatAnyMarkerSaysWasNotReadReachesTheSinkOnce() {
        RecordingSink sink = new RecordingSink();
        prepare(sink);

        bolt.execute(endOfInput("windows", 0, "/logs/c.log: does not exist\n/logs/d.gz: cut short"));
        bolt.execute(endOfInput("totals", 0, "/logs/c.log: does not exist\n/logs/d.gz: cut short"));
        bolt.execute(endOfInput("totals", 1, ""));

        assertThat(sink.calls).containsExactly("open", "end of input, not read: /logs/c.log: does not exist; /logs/d.gz: cut short");
    }

    @Test
    void successAppearsOnlyWhenTheLastUpstreamTaskEnded(@TempDir Path dir) throws IOException {
        prepare(new JsonLinesSink(dir.toString()));
        Path success = dir.resolve(JsonLinesSink.SUCCESS);

        bolt.execute(window(T0 + 30_000));
        bolt.execute(deadLetters(0, 1, 2));
        bolt.execute(endOfInput("windows", 0));
        bolt.execute(totals(0, true, Results.example()));
        bolt.execute(endOfInput("totals", 0));
        assertThat(success).doesNotExist();

        bolt.execute(endOfInput("totals", 1));

        assertThat(success).exists();
        assertThat(Files.readAllLines(dir.resolve(JsonLinesSink.REJECTED))).as("flushed before _SUCCESS").hasSize(2);
        assertThat(Files.readAllLines(dir.resolve(JsonLinesSink.WINDOWS))).hasSize(1);
        assertThat(dir.resolve(JsonLinesSink.TOTALS)).exists();
        assertThat(output.failed()).isEmpty();
    }

    @Test
    void aSinkTaskMarksItselfDoneForAnInProcessRunOnlyOnceItsEndOfInputRan(@TempDir Path dir) {
        RecordingSink sink = new RecordingSink();
        sink.endOfInputFailures = 1;
        Map<String, Object> conf = new HashMap<>(topology.conf());
        conf.put(StormwatchConfig.SINKS_DONE_DIR, dir.toString());
        bolt = new SinkBolt(sink);
        bolt.prepare(conf, topology.context("sink", 0), output.collector());
        Path done = dir.resolve("sink-" + topology.context("sink", 0).getThisTaskId());

        bolt.execute(endOfInput("windows", 0));
        bolt.execute(endOfInput("totals", 0));
        bolt.execute(endOfInput("totals", 1));
        assertThat(done).as("its end of input failed: not done yet").doesNotExist();

        bolt.execute(topology.tick());
        assertThat(done).exists();
    }

    @Test
    void theSinkTasksOfATopologyAreCounted() {
        Job<?> job = Jobs.fromConfig(StatusCodes.NAME, Map.of());
        StormTopology built = PipelineTopology.build(job, new FileSpout("a.log"), 1,
                Map.of("sink-log", new LogSink(job), "sink-jsonl", new JsonLinesSink("out")), JobOptions.defaults());
        assertThat(SinkBolt.taskCount(built)).isEqualTo(2);
    }

    @Test
    void aSinkFailureFailsTheTupleAndTheBoltGoesOn() {
        RecordingSink sink = new RecordingSink();
        sink.failWindows = true;
        prepare(sink);
        Tuple window = window(T0 + 30_000);
        Tuple totals = totals(0, false, new LogStats());

        bolt.execute(window);
        bolt.execute(totals);

        assertThat(output.failed()).containsExactly(window);
        assertThat(output.errors()).singleElement().satisfies(e -> assertThat(e).hasMessage("disk full"));
        assertThat(output.acked()).containsExactly(totals);
    }

    @Test
    void aRealIoErrorFailsTheTupleAndLaterResultsAreWritten(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve(JsonLinesSink.TOTALS).resolve("in-the-way"));
        prepare(new JsonLinesSink(dir.toString()));
        Tuple totals = totals(0, false, Results.example());
        Tuple window = window(T0 + 30_000);

        bolt.execute(totals);
        bolt.execute(window);

        assertThat(output.failed()).containsExactly(totals);
        assertThat(output.errors()).singleElement().isInstanceOf(IOException.class);
        assertThat(output.acked()).containsExactly(window);
        assertThat(Files.readAllLines(dir.resolve(JsonLinesSink.WINDOWS))).hasSize(1);
    }

    @Test
    void anEndOfInputThatFailedIsTriedAgainOnTheNextTick() {
        RecordingSink sink = new RecordingSink();
        sink.endOfInputFailures = 1;
        prepare(sink);

        bolt.execute(endOfInput("windows", 0));
        bolt.execute(endOfInput("totals", 0));
        Tuple last = endOfInput("totals", 1);
        bolt.execute(last);
        assertThat(output.failed()).containsExactly(last);
        assertThat(sink.calls).doesNotContain("end of input");

        bolt.execute(topology.tick());
        bolt.execute(topology.tick());

        assertThat(sink.calls).containsExactly("open", "flush", "end of input", "flush");
    }

    @Test
    void aResultOnTheWrongStreamIsFailedNotWritten() {
        RecordingSink sink = new RecordingSink();
        prepare(sink);
        Tuple totalsAsWindow = topology.tuple("windows", 0, Schema.WINDOWS_STREAM,
                (Object) new Result[] {Results.totals(false, new LogStats())});

        bolt.execute(totalsAsWindow);

        assertThat(output.failed()).containsExactly(totalsAsWindow);
        assertThat(sink.calls).containsExactly("open");
    }

    @Test
    void aBoltOfEverySinkSerializesAsStormShipsIt() {
        List<ResultSink> sinks = List.of(new LogSink(new io.stormwatch.testing.EventJob()), new JsonLinesSink("/tmp/out"),
                new RedisSink(RedisEndpoint.of("127.0.0.1", 6379), "stormwatch:log-analytics", Duration.ofMinutes(2)));
        for (ResultSink sink : sinks) {
            SinkBolt copy = Utils.javaDeserialize(Utils.javaSerialize(new SinkBolt(sink)), SinkBolt.class);
            assertThat(copy).isNotNull();
        }
    }
}
