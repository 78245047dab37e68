package io.stormwatch.storm.bolt;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Views;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.core.window.ExactlyOnceWindows;
import io.stormwatch.core.window.WindowAssembler;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.sink.LateLine;
import io.stormwatch.storm.sink.Result;
import io.stormwatch.storm.topology.ExecutorWakeups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.storm.Config;
import org.apache.storm.generated.GlobalStreamId;
import org.apache.storm.state.KeyValueState;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseStatefulBolt;
import org.apache.storm.topology.base.BaseWindowedBolt.Duration;
import org.apache.storm.tuple.Fields;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.tuple.Values;
import org.apache.storm.utils.TupleUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's sliding windows: counted blocks ({@code BlockPanes} from the parse bolt) in, one rendered
 * {@link Result} per window out on {@link Schema#WINDOWS_STREAM}, as soon as the watermark passes the window's
 * end (the windows one input makes due travel together, in one tuple). The same for every job. Configured with Storm's window vocabulary, as a {@code BaseWindowedBolt} is:
 * {@link #withWindow}, {@link #withTimestampField} (event time; without it, processing time),
 * {@link #withLag}, {@link #withLateTupleStream}.
 *
 * <p>Why not Storm's {@code BaseWindowedBolt}: it keeps every tuple of a window and, on each watermark,
 * fires every window between the last one and the watermark — empty ones included — scanning its whole
 * queue for each: a backfill of a month-long log fired ~30 windows a second and would have needed hours
 * (see the job page). Here panes of pre-counted blocks slide incrementally ({@link WindowAssembler}): work
 * follows the panes that hold data, a window is out within milliseconds of its watermark, and nothing ties
 * the window's length to the message timeout.
 *
 * <p>Semantics (event time): blocks of each spout task are taken in that task's order ({@link Sequencer}),
 * whatever parse task they came through; lateness is decided per task in that order; panes close by the
 * smallest watermark of the tasks still sending. See {@link WindowAssembler} for the rules and a worked
 * example. Late lines are counted in the {@code late} of the next window to close and, with a late-tuple
 * stream, emitted there ({@link LateLine}s). In processing time a block goes into the pane of its arrival
 * and nothing is late. Subscribe it to the parse bolt's default stream and to the spout's
 * {@link Schema#END_OF_INPUT_STREAM} (all-grouping) and {@link Schema#RETIRED_STREAM} (a source the spout
 * will never emit again: its ranges are forgotten {@value #RETIRE_GRACE_MILLIS} ms later, as the totals forget
 * theirs, so a spool of many files does not grow the state); run one task.
 *
 * <p><b>Exactly once</b> (event time): the open panes, the panes in the window, each channel's watermark and
 * progress and the source ranges already in the windows live in Storm's checkpointed {@link KeyValueState}
 * ({@link ExactlyOnceWindows}; a checkpoint writes the panes that changed), and a block is acked only once it
 * is in the windows, so Storm acks it after the checkpoint that holds it. After a crash or a rollback the bolt
 * goes back to its last checkpoint, the blocks after it come again, and the windows come out as in a run
 * without failures; the windows emitted again are those the sinks have written already, and they keep the
 * first copy ({@link io.stormwatch.storm.sink.SinkBolt}). A block partly in the windows already (a restarted
 * spout cut its blocks elsewhere) is failed, so that its lines come again one by one. Late lines sent on the
 * late-tuple stream may come twice after a failure (at least once). In processing time a replayed block goes
 * into the pane of its new arrival (at least once).
 *
 * <p><b>Work off the executor thread.</b> Window work runs on the executor thread while nothing is queued, so a
 * window is out within milliseconds; once work piles up (a backfill renders hundreds of windows per block) it
 * moves to a worker thread ({@link Offloader}). A checkpoint waits for the queued work (it must write the state
 * as of every block it acks). Results are emitted by the executor thread with the next tuple, the next
 * one-second tick or the checkpoint, anchored to the latest input. The tick also advances processing time,
 * notices idle tasks, and gives up on a block that stayed missing longer than Storm takes to replay it
 * ({@link #gapPatience}: a socket's block lost for good). Once every spout task has sent end of input,
 * the queued work is finished, the last windows are emitted and end of input is forwarded.
 */
public final class WindowBolt extends BaseStatefulBolt<KeyValueState<String, Object>> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WindowBolt.class);
    /** Blocks of one spout task that may wait behind a missing one before the gap is given up. */
    static final int MAX_WAITING_BLOCKS = 10_000;
    /** Window work waiting for the worker thread before the executor waits too (backpressure). */
    static final int MAX_QUEUED_TASKS = 256;
    /** Window work slower than this moves to the worker thread (a live stream's takes microseconds). */
    static final java.time.Duration INLINE_LIMIT = java.time.Duration.ofMillis(2);
    /** Beyond the latest a lost block can come again (see {@link #gapPatience}), before its gap is given up. */
    static final long GAP_SLACK_MILLIS = 5_000;
    /** The longest a Kafka spout holds back the replay of a failed record (storm-kafka-client's default backoff). */
    static final long REPLAY_BACKOFF_MILLIS = 10_000;

    /** How long a source retired by its spout is still recognised in a replay. */
    static final long RETIRE_GRACE_MILLIS = 600_000;

    /** What one piece of window work made due (sent as one tuple per stream) and the blocks it is done with. */
    private record Emission(Result[] windows, LateLine[] late, Tuple[] done, Tuple[] refused) {}

    private final Job<?> job;
    private long lengthMillis = 30_000;
    private long slideMillis = 10_000;
    private long lagMillis;
    private String timestampField;
    private String lateStream;
    private long idleTimeoutMillis = 30_000;

    private transient WindowSpec spec;
    private transient Views views;
    private transient ExactlyOnceWindows<Tuple> windows;
    private transient KeyValueState<String, Object> state;
    private transient boolean reloadNeeded;
    private transient OutputCollector collector;
    private transient EndOfInputBarrier endOfInput;
    private transient String componentId;
    /** The input being executed, or the last one: what emits are anchored to. */
    private transient Tuple anchor;
    /** What the running piece of window work made due (touched only by the one running it). */
    private transient List<Result> dueWindows;
    private transient List<LateLine> dueLate;
    private transient List<Tuple> dueDone;
    private transient List<Tuple> dueRefused;
    /** Finished window work, waiting for the executor thread to emit it. */
    private transient ConcurrentLinkedQueue<Emission> done;
    private transient Offloader offloader;
    private transient long lostGapPatienceMillis;
    private transient long replayedGapPatienceMillis;
    private transient boolean mismatchReported;

    public WindowBolt(Job<?> job) {
        this.job = job;
    }

    /** A window as {@link WindowSpec} gives it, in event time when {@code eventTime}. */
    public static WindowBolt of(Job<?> job, WindowSpec window, boolean eventTime) {
        WindowBolt bolt = new WindowBolt(job)
                .withWindow(Duration.of((int) window.lengthMillis()), Duration.of((int) window.slideMillis()))
                .withLag(Duration.of((int) window.lagMillis()));
        return eventTime ? bolt.withTimestampField(job.timestampField()) : bolt;
    }

    /** Sliding window: {@code length}, a multiple of {@code slide}. */
    public WindowBolt withWindow(Duration length, Duration slide) {
        new WindowSpec(length.value, slide.value, lagMillis);
        this.lengthMillis = length.value;
        this.slideMillis = slide.value;
        return this;
    }

    /**
     * Event time, from the job's record field of this name ({@link Job#timestampField()}); without this call
     * the window runs in processing time.
     *
     * @throws IllegalArgumentException when the job's records have no such time field, or no time at all
     */
    public WindowBolt withTimestampField(String fieldName) {
        if (!job.hasEventTime()) {
            throw new IllegalArgumentException(job.name() + "'s lines carry no time of their own: it runs in processing time");
        }
        if (!job.timestampField().equals(fieldName)) {
            throw new IllegalArgumentException(job.name() + " records keep their event time in '"
                    + job.timestampField() + "', not '" + fieldName + "'");
        }
        this.timestampField = fieldName;
        return this;
    }

    /**
     * {@code event} (the job's own time field, as {@link #withTimestampField}) or {@code processing}: the form
     * a Flux properties file can switch ({@code withTime("${stormwatch.time}")}).
     */
    public WindowBolt withTime(String mode) {
        switch (mode.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "event" -> withTimestampField(job.timestampField());
            case "processing" -> timestampField = null;
            default -> throw new IllegalArgumentException("time must be 'event' or 'processing', got '" + mode + "'");
        }
        return this;
    }

    /** How far event time may run backwards before a line is late (default 0). */
    public WindowBolt withLag(Duration lag) {
        this.lagMillis = lag.value;
        return this;
    }

    /** Emits late lines on this stream ({@link Schema#LATE_FIELDS}); without it they are only counted. */
    public WindowBolt withLateTupleStream(String streamId) {
        this.lateStream = streamId;
        return this;
    }

    /** A spout task silent this long stops holding the watermark back (default 30 s). */
    public WindowBolt withIdleTimeout(Duration timeout) {
        this.idleTimeoutMillis = timeout.value;
        return this;
    }

    /** The window this bolt computes. */
    public WindowSpec window() {
        return new WindowSpec(lengthMillis, slideMillis, lagMillis);
    }

    public boolean eventTime() {
        return timestampField != null;
    }

    @Override
    public Map<String, Object> getComponentConfiguration() {
        Map<String, Object> conf = new HashMap<>();
        conf.put(Config.TOPOLOGY_TICK_TUPLE_FREQ_SECS, 1);
        return conf;
    }

    @Override
    public void prepare(Map<String, Object> topoConf, TopologyContext context, OutputCollector collector) {
        this.spec = window();
        this.views = job.views();
        this.collector = ExecutorWakeups.waking(collector, context);
        this.componentId = context.getThisComponentId();
        this.endOfInput = new EndOfInputBarrier(context);
        this.dueWindows = new ArrayList<>();
        this.dueLate = new ArrayList<>();
        this.dueDone = new ArrayList<>();
        this.dueRefused = new ArrayList<>();
        this.done = new ConcurrentLinkedQueue<>();
        WindowAssembler assembler = new WindowAssembler(spec, job.aggregate().schema(), new Emitter(), idleTimeoutMillis,
                System.currentTimeMillis());
        this.windows = new ExactlyOnceWindows<>(eventTime(), assembler, MAX_WAITING_BLOCKS, RETIRE_GRACE_MILLIS,
                new ExactlyOnceWindows.Handles<>() {
                    @Override
                    public void done(Tuple block) {
                        dueDone.add(block);
                    }

                    @Override
                    public void refused(Tuple block) {
                        dueRefused.add(block);
                    }
                });
        List<Integer> spoutTasks = new ArrayList<>();
        for (GlobalStreamId input : context.getThisSources().keySet()) {
            if (Schema.END_OF_INPUT_STREAM.equals(input.get_streamId())) {
                spoutTasks.addAll(context.getComponentTasks(input.get_componentId()));
            }
        }
        windows.expect(spoutTasks);
        Object timeout = topoConf.get(Config.TOPOLOGY_MESSAGE_TIMEOUT_SECS);
        long timeoutMillis = 1_000L * (timeout instanceof Number n ? n.intValue() : 30);
        this.lostGapPatienceMillis = gapPatience(timeoutMillis, false);
        this.replayedGapPatienceMillis = gapPatience(timeoutMillis, true);
        this.offloader = new Offloader(componentId + "-" + context.getThisTaskId() + "-windows", MAX_QUEUED_TASKS,
                INLINE_LIMIT);
    }

    @Override
    public void initState(KeyValueState<String, Object> state) {
        this.state = state;
        load();
    }

    @Override
    public void execute(Tuple input) {
        anchor = input;
        try {
            if (reloadNeeded) {
                load();
            }
            long now = System.currentTimeMillis();
            if (TupleUtils.isTick(input)) {
                offloader.submit(() -> work(() -> windows.tick(now, now - lostGapPatienceMillis,
                        now - replayedGapPatienceMillis)));
            } else if (EndOfInputBarrier.isEndOfInput(input)) {
                int spoutTask = input.getSourceTask();
                offloader.submit(() -> work(() -> windows.finish(spoutTask)));
                if (endOfInput.arrive(input)) {
                    offloader.submit(() -> work(() -> windows.finishAll(now)));
                    offloader.awaitIdle();
                    LOG.info("End of input: {} windows, {} late lines", windows.assembler().windowsEmitted(),
                            windows.assembler().lateLines());
                    emitDone();
                    collector.emit(Schema.END_OF_INPUT_STREAM, input, endOfInput.forward(componentId));
                }
            } else if (Schema.RETIRED_STREAM.equals(input.getSourceStreamId())) {
                // Sent once every block of the source is acked, so all of them are in the windows by now.
                String source = input.getStringByField(Schema.SOURCE);
                offloader.submit(() -> work(() -> windows.retire(source, now)));
            } else {
                BlockPanes block = (BlockPanes) input.getValueByField(Schema.PANES);
                checkCut(block);
                offloader.submit(() -> work(() -> windows.offer(block, input, now)));
                emitDone();
                return; // acked once it is in the windows
            }
            emitDone();
            collector.ack(input);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            collector.fail(input);
        } catch (RuntimeException e) {
            LOG.error("Cannot process a tuple from {} on stream {}", input.getSourceComponent(), input.getSourceStreamId(), e);
            collector.reportError(e);
            collector.fail(input);
        }
    }

    @Override
    public void prePrepare(long txid) {
        try {
            if (reloadNeeded) {
                load();
            }
            // The state must hold every block this checkpoint acks: let the queued work finish first.
            offloader.awaitIdle();
            emitDone();
            Map<String, Object> puts = new HashMap<>();
            List<String> deletes = new ArrayList<>();
            windows.checkpoint(System.currentTimeMillis(), puts, deletes);
            puts.forEach(state::put);
            deletes.forEach(state::delete);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the window work finished for a checkpoint", e);
        }
    }

    @Override
    public void preRollback() {
        try {
            offloader.awaitIdle();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // What the work since the checkpoint made is void: its blocks come again.
        for (Emission emission = done.poll(); emission != null; emission = done.poll()) {
            failAll(emission.done);
            failAll(emission.refused);
        }
        // Storm rolls the state back only after this returns: reading it now would see the prepared values.
        reloadNeeded = true;
    }

    /**
     * How long a channel's blocks wait behind a missing one before it is given up (its lines, should they come
     * after all, are then late). Storm fails a block lost with a worker between one and two message timeouts
     * after its spout emitted it (the spout's pending map rotates once per timeout). A socket's failed block is
     * lost for good, so its gap is given up once Storm must have failed it; a replayable one comes again after
     * that, once its spout's retry backoff (Kafka's: up to {@value #REPLAY_BACKOFF_MILLIS} ms) has passed, and
     * giving up before it does would make its lines late — a window short of them after a killed worker.
     */
    static long gapPatience(long messageTimeoutMillis, boolean replayable) {
        return 2 * messageTimeoutMillis + (replayable ? REPLAY_BACKOFF_MILLIS : 0) + GAP_SLACK_MILLIS;
    }

    private void load() {
        Map<String, Object> entries = new HashMap<>();
        state.iterator().forEachRemaining(entry -> entries.put(entry.getKey(), entry.getValue()));
        List<Tuple> waiting = windows.load(entries, System.currentTimeMillis());
        waiting.forEach(collector::fail);
        reloadNeeded = false;
        WindowAssembler assembler = windows.assembler();
        LOG.info("Windows restored: {} panes open, {} in the window, {} sources; {} windows emitted before",
                assembler.openPanes(), assembler.windowPanes(), windows.sourceCount(), assembler.windowsEmitted());
    }

    private void failAll(Tuple[] tuples) {
        for (Tuple tuple : tuples) {
            collector.fail(tuple);
        }
    }

    /**
     * Runs window work (on whichever thread the offloader picks, one at a time) and hands what it made due —
     * the windows and late lines — to {@link #emitDone}, as one emission.
     */
    private void work(Runnable body) {
        try {
            body.run();
        } finally {
            if (!dueWindows.isEmpty() || !dueLate.isEmpty() || !dueDone.isEmpty() || !dueRefused.isEmpty()) {
                done.add(new Emission(dueWindows.toArray(new Result[0]), dueLate.toArray(new LateLine[0]),
                        dueDone.toArray(new Tuple[0]), dueRefused.toArray(new Tuple[0])));
                dueWindows.clear();
                dueLate.clear();
                dueDone.clear();
                dueRefused.clear();
            }
        }
    }

    /**
     * Emits, on the executor thread, what window work finished, anchored to the latest input, and acks the
     * blocks it is done with (Storm holds the acks until the checkpoint that covers them has committed).
     */
    private void emitDone() {
        for (Emission emission = done.poll(); emission != null; emission = done.poll()) {
            if (emission.windows.length > 0) {
                collector.emit(Schema.WINDOWS_STREAM, anchor, new Values((Object) emission.windows));
            }
            if (emission.late.length > 0 && lateStream != null) {
                collector.emit(lateStream, anchor, new Values((Object) emission.late));
            }
            for (Tuple block : emission.done) {
                collector.ack(block);
            }
            if (emission.refused.length > 0) {
                LOG.info("{} blocks partly in the windows already (a restarted spout cut them elsewhere): failing them"
                        + " so that their lines come again one by one", emission.refused.length);
                failAll(emission.refused);
            }
        }
    }

    @Override
    public void cleanup() {
        if (offloader != null) {
            offloader.close();
        }
    }

    /** Blocks cut with another slide or lag than this window's would give wrong windows: say so, loudly, once. */
    private void checkCut(BlockPanes block) {
        if ((block.slideMillis() != slideMillis || block.lagMillis() != lagMillis) && !mismatchReported) {
            mismatchReported = true;
            IllegalStateException e = new IllegalStateException("blocks are cut with slide " + block.slideMillis()
                    + " ms and lag " + block.lagMillis() + " ms, but this window has slide " + slideMillis
                    + " ms and lag " + lagMillis + " ms: give the parse bolt the window bolt's window");
            LOG.error("{}", e.getMessage());
            collector.reportError(e);
        }
    }

    /** Renders windows with the job's views and emits them and late lines, anchored to the current tuple. */
    private final class Emitter implements WindowAssembler.Listener {

        @Override
        public void window(long start, long end, Tally tally, long late) {
            dueWindows.add(Result.window(start, end, late, views.windowJsonText(start, end, tally, late)));
        }

        @Override
        public void late(String source, long[] offsets, long[] times, long reportedIn) {
            if (lateStream == null) {
                return;
            }
            for (int i = 0; i < offsets.length; i++) {
                dueLate.add(new LateLine(source, offsets[i], times[i], reportedIn));
            }
        }
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declareStream(Schema.WINDOWS_STREAM, Schema.WINDOWS_FIELDS);
        declarer.declareStream(Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS);
        if (lateStream != null) {
            declarer.declareStream(lateStream, new Fields(Schema.LATE));
        }
    }
}
