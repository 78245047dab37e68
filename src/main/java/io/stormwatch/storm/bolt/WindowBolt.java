package io.stormwatch.storm.bolt;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Views;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.core.window.Sequencer;
import io.stormwatch.core.window.WindowAssembler;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.sink.LateLine;
import io.stormwatch.storm.sink.Result;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.storm.Config;
import org.apache.storm.generated.GlobalStreamId;
import org.apache.storm.task.OutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichBolt;
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
 * {@link Schema#END_OF_INPUT_STREAM} (all-grouping); run one task.
 *
 * <p><b>Work off the executor thread.</b> Window work runs on the executor thread while nothing is queued, so a
 * window is out within milliseconds; once work piles up (a backfill renders hundreds of windows per block) it
 * moves to a worker thread ({@link Offloader}) and each block is acked on arrival, so Storm's checkpoint
 * tuples, which pass through every bolt in line with the data, do not wait behind it — the running totals'
 * acks wait for those checkpoints. Results are emitted by the executor thread with the next tuple or the next
 * one-second tick, anchored to it. Windows live in memory: a crash loses the open ones (the totals are the
 * durable part). The tick also advances processing time, notices idle tasks, and gives up on a block that
 * stayed missing longer than the message timeout plus {@value #GAP_SLACK_MILLIS} ms (a socket's block lost
 * for good). Once every spout task has sent end of input, the queued work is finished, the last windows are
 * emitted and end of input is forwarded.
 */
public final class WindowBolt extends BaseRichBolt {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WindowBolt.class);
    /** Blocks of one spout task that may wait behind a missing one before the gap is given up. */
    static final int MAX_WAITING_BLOCKS = 10_000;
    /** Window work waiting for the worker thread before the executor waits too (backpressure). */
    static final int MAX_QUEUED_TASKS = 256;
    /** Window work slower than this moves to the worker thread (a live stream's takes microseconds). */
    static final java.time.Duration INLINE_LIMIT = java.time.Duration.ofMillis(2);
    /** Beyond the message timeout, after which Storm replays a lost block, before its gap is given up. */
    static final long GAP_SLACK_MILLIS = 5_000;

    /** What one piece of window work made due: sent as one tuple per stream. */
    private record Emission(Result[] windows, LateLine[] late) {}

    private final Job<?> job;
    private long lengthMillis = 30_000;
    private long slideMillis = 10_000;
    private long lagMillis;
    private String timestampField;
    private String lateStream;
    private long idleTimeoutMillis = 30_000;

    private transient WindowSpec spec;
    private transient Views views;
    private transient WindowAssembler assembler;
    private transient Sequencer<BlockPanes> sequencer;
    private transient OutputCollector collector;
    private transient EndOfInputBarrier endOfInput;
    private transient String componentId;
    private transient Tuple anchor;
    /** What the running piece of window work made due (touched only by the one running it). */
    private transient List<Result> dueWindows;
    private transient List<LateLine> dueLate;
    /** Finished window work, waiting for the executor thread to emit it. */
    private transient ConcurrentLinkedQueue<Emission> done;
    private transient Offloader offloader;
    private transient long gapPatienceMillis;
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
        this.collector = collector;
        this.componentId = context.getThisComponentId();
        this.endOfInput = new EndOfInputBarrier(context);
        this.sequencer = new Sequencer<>(MAX_WAITING_BLOCKS);
        this.dueWindows = new ArrayList<>();
        this.dueLate = new ArrayList<>();
        this.done = new ConcurrentLinkedQueue<>();
        this.assembler = new WindowAssembler(spec, job.aggregate().schema(), new Emitter(), idleTimeoutMillis,
                System.currentTimeMillis());
        List<Integer> spoutTasks = new ArrayList<>();
        for (GlobalStreamId input : context.getThisSources().keySet()) {
            if (Schema.END_OF_INPUT_STREAM.equals(input.get_streamId())) {
                spoutTasks.addAll(context.getComponentTasks(input.get_componentId()));
            }
        }
        assembler.expect(spoutTasks);
        // A block lost for good (a socket's) is given up once Storm would have replayed it.
        Object timeout = topoConf.get(Config.TOPOLOGY_MESSAGE_TIMEOUT_SECS);
        this.gapPatienceMillis = 1_000L * (timeout instanceof Number n ? n.intValue() : 30) + GAP_SLACK_MILLIS;
        this.offloader = new Offloader(componentId + "-" + context.getThisTaskId() + "-windows", MAX_QUEUED_TASKS,
                INLINE_LIMIT);
    }

    @Override
    public void execute(Tuple input) {
        anchor = input;
        try {
            long now = System.currentTimeMillis();
            if (TupleUtils.isTick(input)) {
                offloader.submit(() -> work(() -> {
                    if (eventTime()) {
                        sequencer.skipGapsWaitingSince(now - gapPatienceMillis).forEach(block -> assembler.accept(block, now));
                        assembler.tick(now);
                    } else {
                        assembler.advanceClock(now);
                    }
                }));
            } else if (EndOfInputBarrier.isEndOfInput(input)) {
                int spoutTask = input.getSourceTask();
                offloader.submit(() -> work(() -> assembler.finish(spoutTask)));
                if (endOfInput.arrive(input)) {
                    offloader.submit(() -> work(() -> {
                        if (eventTime()) {
                            sequencer.drain().forEach(block -> assembler.accept(block, now));
                        }
                        assembler.finishAll();
                    }));
                    offloader.awaitIdle();
                    LOG.info("End of input: {} windows, {} late lines", assembler.windowsEmitted(), assembler.lateLines());
                    emitDone();
                    collector.emit(Schema.END_OF_INPUT_STREAM, input, endOfInput.forward(componentId));
                }
            } else {
                BlockPanes block = (BlockPanes) input.getValueByField(Schema.PANES);
                checkCut(block);
                offloader.submit(() -> work(() -> {
                    if (eventTime()) {
                        for (BlockPanes due : sequencer.offer(block.channel(), block.position(), block, now)) {
                            assembler.accept(due, now);
                        }
                    } else {
                        assembler.acceptAt(block, now);
                    }
                }));
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
        } finally {
            anchor = null;
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
            if (!dueWindows.isEmpty() || !dueLate.isEmpty()) {
                done.add(new Emission(dueWindows.toArray(new Result[0]), dueLate.toArray(new LateLine[0])));
                dueWindows.clear();
                dueLate.clear();
            }
        }
    }

    /** Emits, on the executor thread, what window work finished: anchored to the current input. */
    private void emitDone() {
        for (Emission emission = done.poll(); emission != null; emission = done.poll()) {
            if (emission.windows.length > 0) {
                collector.emit(Schema.WINDOWS_STREAM, anchor, new Values((Object) emission.windows));
            }
            if (emission.late.length > 0 && lateStream != null) {
                collector.emit(lateStream, anchor, new Values((Object) emission.late));
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
