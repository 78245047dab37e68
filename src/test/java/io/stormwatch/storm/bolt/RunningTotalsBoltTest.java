package io.stormwatch.storm.bolt;

import static io.stormwatch.testing.TestTopology.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.io.FileList;
import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.io.ReliableFileReader;
import io.stormwatch.core.io.SourcedLine;
import io.stormwatch.core.io.SpoolDirectory;
import io.stormwatch.core.totals.OffsetSet;
import io.stormwatch.storm.Schema;

import io.stormwatch.testing.RecordingOutputCollector;
import io.stormwatch.testing.Records;
import io.stormwatch.testing.TestTopology;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.apache.storm.Config;
import org.apache.storm.spout.CheckPointState.Action;
import org.apache.storm.spout.CheckpointSpout;
import org.apache.storm.state.DefaultStateSerializer;
import org.apache.storm.state.InMemoryKeyValueState;
import org.apache.storm.topology.StatefulBoltExecutor;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunningTotalsBoltTest {

    /** An in-memory state that also records which keys were put, to see what a checkpoint writes. */
    static final class RecordingState extends InMemoryKeyValueState<String, Object> {
        final List<String> puts = new ArrayList<>();

        @Override
        public void put(String key, Object value) {
            puts.add(key);
            super.put(key, value);
        }
    }

    private final TestTopology topology = new TestTopology()
            .bolt("parse", 2, new ParseBolt("combined", 100))
            .component(CheckpointSpout.CHECKPOINT_COMPONENT_ID, 1, Map.of(CheckpointSpout.CHECKPOINT_STREAM_ID,
                    new Fields(CheckpointSpout.CHECKPOINT_FIELD_TXID, CheckpointSpout.CHECKPOINT_FIELD_ACTION)))
            .bolt("totals", 1, new RunningTotalsBolt(), stream("parse", Utils.DEFAULT_STREAM_ID),
                    stream("parse", Schema.REJECTED_STREAM), stream("parse", Schema.END_OF_INPUT_STREAM),
                    stream(CheckpointSpout.CHECKPOINT_COMPONENT_ID, CheckpointSpout.CHECKPOINT_STREAM_ID));
    private final RecordingState state = new RecordingState();
    private final RecordingOutputCollector output = new RecordingOutputCollector();

    private RunningTotalsBolt started() {
        RunningTotalsBolt bolt = new RunningTotalsBolt();
        bolt.prepare(topology.conf(), topology.context("totals", 0), output.collector());
        bolt.initState(state);
        return bolt;
    }

    /** Lines in these tests are {@value} bytes long: line {@code n} of a source is {@code [100 n, 100 n + 100)}. */
    private static final long LINE_BYTES = 100;

    /** The parsed {@code line}-th line of {@code source}, a record at {@code 1000 + line} ms. */
    private Tuple record(String source, long line) {
        return topology.tuple("parse", 0, Utils.DEFAULT_STREAM_ID, Records.at(1_000 + line), source,
                line * LINE_BYTES, (line + 1) * LINE_BYTES);
    }

    private Tuple rejected(String source, long line, RejectReason reason) {
        return topology.tuple("parse", 1, Schema.REJECTED_STREAM, reason.key(), "detail", "line", source,
                line * LINE_BYTES, (line + 1) * LINE_BYTES);
    }

    private Tuple endOfInput(int parseTask) {
        return topology.tuple("parse", parseTask, Schema.END_OF_INPUT_STREAM, "parse");
    }

    private LogStats lastTotals() {
        List<RecordingOutputCollector.Emit> totals = output.emits(Schema.TOTALS_STREAM);
        return (LogStats) totals.get(totals.size() - 1).values().get(0);
    }

    /** The statistics of the records of {@link #record} for these line numbers. */
    private static LogStats statsOf(long... lines) {
        LogStats stats = new LogStats();
        for (long line : lines) {
            stats.add(Records.at(1_000 + line));
        }
        return stats;
    }

    @Test
    void countsEveryLineOncePerSourceAndPosition() {
        RunningTotalsBolt bolt = started();
        List<Tuple> inputs = List.of(record("a", 0), record("a", 1), rejected("a", 2, RejectReason.GLUED),
                record("b", 0), record("a", 1), rejected("a", 2, RejectReason.GLUED));

        inputs.forEach(bolt::execute);
        bolt.execute(topology.tick());

        assertThat(lastTotals()).isEqualTo(statsOf(0, 1, 0).reject(RejectReason.GLUED));
        assertThat(output.acked()).as("replays are skipped but acked").containsAll(inputs);
        assertThat(output.failed()).isEmpty();
    }

    @Test
    void ticksEmitAnchoredSnapshotsOnlyWhenSomethingChanged() {
        RunningTotalsBolt bolt = started();
        assertThat(bolt.getComponentConfiguration()).containsEntry(Config.TOPOLOGY_TICK_TUPLE_FREQ_SECS, 1);
        Tuple firstTick = topology.tick();
        bolt.execute(firstTick);
        bolt.execute(topology.tick());
        assertThat(output.emits(Schema.TOTALS_STREAM)).as("the restored totals once, then nothing new").hasSize(1);

        bolt.execute(record("a", 0));
        Tuple tick = topology.tick();
        bolt.execute(tick);
        bolt.execute(record("a", 1));

        List<RecordingOutputCollector.Emit> totals = output.emits(Schema.TOTALS_STREAM);
        assertThat(totals).hasSize(2);
        assertThat(totals.get(0).anchors()).containsExactly(firstTick);
        assertThat(totals.get(1).anchors()).containsExactly(tick);
        assertThat(totals.get(1).values()).containsExactly(statsOf(0), false);
    }

    @Test
    void aCheckpointWritesTheStatsAndOnlyTheSourcesThatChanged() {
        RunningTotalsBolt bolt = started();
        bolt.execute(record("a", 0));
        bolt.execute(record("b", 0));
        bolt.prePrepare(1);
        assertThat(state.puts).containsExactlyInAnyOrder("stats", "offsets/a", "offsets/b");

        state.puts.clear();
        bolt.execute(record("b", 1));
        bolt.execute(record("a", 0));
        bolt.prePrepare(2);
        assertThat(state.puts).containsExactlyInAnyOrder("stats", "offsets/b");

        state.puts.clear();
        bolt.execute(record("b", 1));
        bolt.prePrepare(3);
        assertThat(state.puts).as("a replay changes nothing").isEmpty();

        assertThat(state.get("stats")).isEqualTo(statsOf(0, 0, 1));
        assertThat(state.get("offsets/b")).hasToString("{[0, 200)}");
    }

    @Test
    void aLinePartlyOverlappingCountedLinesIsTakenAsSeenAndAcked() {
        RunningTotalsBolt bolt = started();
        bolt.execute(record("a", 0));
        bolt.execute(record("a", 1));
        Tuple overlapping = topology.tuple("parse", 0, Utils.DEFAULT_STREAM_ID, Records.at(5_000), "a", 150L, 260L);
        bolt.execute(overlapping);
        bolt.execute(topology.tick());

        assertThat(lastTotals()).isEqualTo(statsOf(0, 1));
        assertThat(output.acked()).contains(overlapping);
        assertThat(output.failed()).isEmpty();
        bolt.prePrepare(1);
        assertThat(state.get("offsets/a")).hasToString("{[0, 200)}");
    }

    /**
     * 100,000 consecutive lines of one file, their positions found by the spouts' {@link LineReader} (mixed
     * {@code \n} and {@code \r\n}), arriving shuffled within windows of 1,000 (two parse tasks, lines in flight)
     * with replays after each checkpoint, commit as ONE range: the state of a source does not grow with its
     * lines.
     */
    @Test
    void consecutiveLinesOfAFileCommitAsOneRange() throws IOException {
        int lineCount = 100_000;
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < lineCount; i++) {
            file.append("x".repeat(60 + i % 41)).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        byte[] bytes = file.toString().getBytes(StandardCharsets.UTF_8);
        List<LineReader.Line> lines = new ArrayList<>(lineCount);
        try (LineReader reader = new LineReader(new ByteArrayInputStream(bytes), 1_000)) {
            for (LineReader.Line line; (line = reader.next()) != null; ) {
                lines.add(line);
            }
        }
        assertThat(lines).hasSize(lineCount);

        String source = "/var/log/access.log";
        Function<List<Object>, Tuple> records = topology.tuples("parse", 0, Utils.DEFAULT_STREAM_ID);
        Function<List<Object>, Tuple> rejects = topology.tuples("parse", 1, Schema.REJECTED_STREAM);
        List<Tuple> tuples = new ArrayList<>(lineCount);
        for (int i = 0; i < lineCount; i++) {
            LineReader.Line line = lines.get(i);
            tuples.add(i % 100 == 99
                    ? rejects.apply(List.of("malformed", "detail", "x", source, line.offset(), line.end()))
                    : records.apply(List.of(Records.at(i % 5_000), source, line.offset(), line.end())));
        }

        RunningTotalsBolt bolt = started();
        Random random = new Random(42);
        long txid = 0;
        for (int from = 0; from < lineCount; from += 1_000) {
            List<Tuple> window = new ArrayList<>(tuples.subList(from, from + 1_000));
            Collections.shuffle(window, random);
            window.forEach(bolt::execute);
            if ((from + 1_000) % 10_000 == 0) {
                txid++;
                bolt.prePrepare(txid);
                state.prepareCommit(txid);
                state.commit(txid);
                tuples.subList(from + 500, from + 1_000).forEach(bolt::execute);   // acks lost: replayed
            }
        }
        bolt.execute(topology.tick());

        OffsetSet committed = (OffsetSet) state.get(RunningTotalsBolt.OFFSETS_KEY_PREFIX + source);
        assertThat(committed.rangeCount()).isOne();
        assertThat(committed).hasToString("{[0, " + bytes.length + ")}");
        assertThat(lastTotals().records()).isEqualTo(99_000);
        assertThat(lastTotals().rejected()).isEqualTo(1_000);
        assertThat(output.failed()).isEmpty();

        Config conf = new Config();
        conf.putAll(Utils.readDefaultConfig());
        TupleTypes.register(conf);
        byte[] stored = new DefaultStateSerializer<Object>(conf, topology.context("totals", 0)).serialize(committed);
        assertThat(stored.length).as("bytes a checkpoint writes for this source").isLessThan(100);
    }

    /**
     * Reads every line {@code catalog} gives through the spouts' {@link ReliableFileReader} into {@code bolt}
     * as a record at {@code 1000 + n} ms for a line reading {@code n} (like {@link #record}), acking each
     * line to the reader once the bolt has it, until the reader is drained.
     */
    private void readAll(ReliableFileReader.Catalog catalog, RunningTotalsBolt bolt) {
        Function<List<Object>, Tuple> records = topology.tuples("parse", 0, Utils.DEFAULT_STREAM_ID);
        try (ReliableFileReader reader = new ReliableFileReader(catalog, 100, 1_000, 0, () -> 0L)) {
            for (int calls = 0; !reader.drained(); calls++) {
                assertThat(calls).as("calls to drain the reader").isLessThan(1_000);
                SourcedLine line = reader.next();
                if (line != null) {
                    bolt.execute(records.apply(List.of(Records.at(1_000 + Long.parseLong(line.text())),
                            line.source(), line.offset(), line.nextOffset())));
                    reader.ack(line.source(), line.offset());
                }
            }
        }
    }

    /** A checkpoint of {@code bolt} that commits, as before a topology is killed and resubmitted. */
    private void commit(RunningTotalsBolt bolt, long txid) {
        bolt.prePrepare(txid);
        state.prepareCommit(txid);
        state.commit(txid);
    }

    /**
     * The silent loss this guards against: {@code access.log} is read, counted, committed and renamed
     * {@code .COMPLETED}; a new {@code access.log} of the same length (so the same line ranges) arrives and is
     * read by a restarted topology. Both files' lines count.
     */
    @Test
    void twoFilesUnderTheSameNameOneAfterTheOtherInASpoolAreBothCounted(@TempDir Path spool) throws IOException {
        SpoolDirectory.Settings settings = new SpoolDirectory.Settings(SpoolDirectory.DEFAULT_COMPLETED_SUFFIX, null,
                SpoolDirectory.DEFAULT_IGNORE_PATTERN, true, 0, 1, 0);
        Path name = spool.resolve("access.log");
        Files.writeString(name, "1\n2\n3\n");
        RunningTotalsBolt first = started();
        readAll(new SpoolDirectory(spool, settings, () -> 0L), first);
        commit(first, 1);
        assertThat(spool.resolve("access.log.COMPLETED")).exists();

        Files.writeString(name, "4\n5\n6\n");
        RunningTotalsBolt second = started();
        readAll(new SpoolDirectory(spool, settings, () -> 0L), second);
        second.execute(topology.tick());

        assertThat(lastTotals()).isEqualTo(statsOf(1, 2, 3, 4, 5, 6));
        assertThat(output.failed()).isEmpty();
    }

    /**
     * {@code --source file:PATH} run again on durable state: the unchanged file counts nothing more; once a line
     * is appended the file is a new instance and all of it counts again (documented on {@code FileSpout}).
     */
    @Test
    void aFileReadAgainCountsOnlyOnceUnlessItChanged(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("access.log"), "1\n2\n");
        RunningTotalsBolt first = started();
        readAll(new FileList(List.of(file)), first);
        commit(first, 1);

        RunningTotalsBolt second = started();
        readAll(new FileList(List.of(file)), second);
        second.execute(topology.tick());
        assertThat(lastTotals()).isEqualTo(statsOf(1, 2));
        commit(second, 2);

        Files.writeString(file, "3\n", StandardOpenOption.APPEND);
        RunningTotalsBolt third = started();
        readAll(new FileList(List.of(file)), third);
        third.execute(topology.tick());
        assertThat(lastTotals()).isEqualTo(statsOf(1, 2, 1, 2, 3));
    }

    @Test
    void aRollbackReturnsToTheLastCommitSoReplaysCountAgain() {
        RunningTotalsBolt bolt = started();
        bolt.execute(record("a", 0));
        bolt.prePrepare(1);
        state.prepareCommit(1);
        state.commit(1);

        bolt.execute(record("a", 1));
        bolt.prePrepare(2);
        state.prepareCommit(2);
        bolt.preRollback();
        state.rollback();

        bolt.execute(record("a", 0));
        bolt.execute(record("a", 1));
        bolt.execute(topology.tick());

        assertThat(lastTotals()).as("a@0 was committed, a@1 was rolled back and replayed").isEqualTo(statsOf(0, 1));
    }

    @Test
    void aRestartedBoltRestoresTheCommittedTotalsAndSkipsReplays() {
        RunningTotalsBolt first = started();
        first.execute(record("a", 0));
        first.execute(rejected("a", 1, RejectReason.EMPTY));
        first.prePrepare(1);
        state.prepareCommit(1);
        state.commit(1);

        RunningTotalsBolt second = started();
        second.execute(record("a", 0));
        second.execute(rejected("a", 1, RejectReason.EMPTY));
        second.execute(record("a", 2));
        second.execute(topology.tick());

        assertThat(lastTotals()).isEqualTo(statsOf(0, 2).reject(RejectReason.EMPTY));
    }

    @Test
    void endOfInputFromEveryParseTaskEmitsFinalTotalsThenForwardsIt() {
        RunningTotalsBolt bolt = started();
        bolt.execute(record("a", 0));
        output.clear();

        Tuple first = endOfInput(0);
        bolt.execute(first);
        assertThat(output.emits()).isEmpty();
        Tuple last = endOfInput(1);
        bolt.execute(last);

        assertThat(output.streams()).containsExactly(Schema.TOTALS_STREAM, Schema.END_OF_INPUT_STREAM);
        assertThat(output.emits(Schema.TOTALS_STREAM).get(0).values()).containsExactly(statsOf(0), true);
        assertThat(output.emits()).allSatisfy(emit -> assertThat(emit.anchors()).containsExactly(last));
        assertThat(output.acked()).containsExactly(first, last);
    }

    @Test
    void emittedTotalsAreSnapshots() {
        RunningTotalsBolt bolt = started();
        bolt.execute(record("a", 0));
        bolt.execute(topology.tick());
        LogStats emitted = lastTotals();

        bolt.execute(record("a", 1));

        assertThat(emitted).isEqualTo(statsOf(0));
    }

    /**
     * Through Storm's own stateful executor: input acks are held back until the checkpoint that covers
     * them commits, and a rollback fails them instead (so the spout replays them).
     */
    @Test
    void stormAcksInputsOnlyAfterTheirCheckpointCommits() {
        StatefulBoltExecutor<?> executor = new StatefulBoltExecutor<>(new RunningTotalsBolt());
        executor.prepare(topology.conf(), topology.context("totals", 0), output.collector());
        executor.execute(checkpoint(0, Action.INITSTATE));

        Tuple a0 = record("a", 0);
        Tuple a1 = record("a", 1);
        executor.execute(a0);
        executor.execute(a1);
        assertThat(output.acked()).doesNotContain(a0, a1);

        executor.execute(checkpoint(1, Action.PREPARE));
        assertThat(output.acked()).doesNotContain(a0, a1);
        executor.execute(checkpoint(1, Action.COMMIT));
        assertThat(output.acked()).contains(a0, a1);

        Tuple a2 = record("a", 2);
        executor.execute(a2);
        executor.execute(checkpoint(2, Action.PREPARE));
        executor.execute(checkpoint(2, Action.ROLLBACK));
        assertThat(output.failed()).containsExactly(a2);

        executor.execute(endOfInput(0));
        executor.execute(endOfInput(1));
        List<RecordingOutputCollector.Emit> totals = output.emits(Schema.TOTALS_STREAM);
        assertThat(totals.get(totals.size() - 1).values()).containsExactly(statsOf(0, 1), true);
        assertThat(output.errors()).isEmpty();
    }

    private Tuple checkpoint(long txid, Action action) {
        return topology.tuple(CheckpointSpout.CHECKPOINT_COMPONENT_ID, 0, CheckpointSpout.CHECKPOINT_STREAM_ID, txid, action);
    }
}
