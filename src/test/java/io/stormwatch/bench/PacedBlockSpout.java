package io.stormwatch.bench;

import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.core.io.LineBlock;
import io.stormwatch.core.log.AccessLogRenderer;
import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.topology.ExecutorWakeups;
import java.util.Arrays;
import java.util.Map;
import org.apache.storm.spout.SpoutOutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichSpout;
import org.apache.storm.tuple.Values;

/**
 * Benchmark-only source: emits generated Combined lines at {@code linesPerSecond}, paced by the wall clock, as
 * {@link LineBlock}s of whatever lines are due when Storm calls {@code nextTuple} (at most {@code maxBlockLines};
 * one line per block when Storm calls it often enough), as a tailed file or a socket does. Line {@code i} is due
 * at {@code start + i / rate}. Each line carries the wall clock of its emit as its {@code %t} (whole seconds, as
 * Apache writes them, zone +0000), so event time is wall time and windows close at their real pace. Offsets are
 * byte offsets, consistent from block to block as the file spouts give them; blocks carry positions
 * {@code (epoch, 0, 1, 2, …)} as every spout does.
 *
 * <p>When the topology holds the spout back ({@code max.spout.pending} blocks unacked) the due lines wait and go
 * out in the next, larger block; {@link Timeline} keeps each block's first line, size, emit time, event time and
 * ack time, and each line's due time follows from its index. The spout stops after {@code lines} lines or
 * {@code maxRunSeconds}, whichever comes first, so a topology that cannot keep up shows a lower achieved rate
 * rather than a longer run. Message id: the block's index. Failed blocks are counted, not replayed.
 *
 * <p>Lines are rendered from a pool of generated records, only the time changing, so that generating them costs
 * the spout little (the file spouts read ready-made lines too).
 *
 * <p>Reports to the static {@link #timeline}: benchmark code in one JVM with an in-process LocalCluster (see
 * {@link BenchProbe}); never do this in tests or on a cluster.
 */
final class PacedBlockSpout extends BaseRichSpout {

    private static final long serialVersionUID = 1L;
    static final String SOURCE = "paced#bench";
    private static final int POOL = 20_000;

    /**
     * Per block: first line, lines, emit/totals/windows/ack times (ns), event time (ms), offset; set before
     * submitting.
     */
    static final class Timeline {
        final int[] firstLine;
        final int[] lineCount;
        final long[] emitted;
        final long[] offsets;
        final long[] eventMillis;
        final long[] totals;
        final long[] windows;
        final long[] acked;
        /** System.nanoTime when line 0 was due. */
        volatile long startNanos;
        volatile int blocks;
        volatile int linesEmitted;
        volatile long totalsCount;
        volatile int ackedBlocks;
        volatile long failed;
        volatile boolean finished;
        /** Lines before the measured ones; the CPU of the executors is read when they are out and at the end. */
        volatile int warmupLines;
        volatile ExecutorCpu cpuAtMeasureStart;
        volatile long measureStartNanos;
        volatile ExecutorCpu cpuAtEnd;
        volatile long endNanos;

        Timeline(int maxBlocks) {
            firstLine = new int[maxBlocks];
            lineCount = new int[maxBlocks];
            emitted = new long[maxBlocks];
            offsets = new long[maxBlocks];
            eventMillis = new long[maxBlocks];
            totals = new long[maxBlocks];
            windows = new long[maxBlocks];
            acked = new long[maxBlocks];
        }

        /** The block that starts at {@code offset}. */
        int blockAt(long offset) {
            int i = Arrays.binarySearch(offsets, 0, blocks, offset);
            if (i < 0) {
                throw new IllegalStateException("no block was emitted at offset " + offset);
            }
            return i;
        }

        /** The first block whose event time is at least {@code millis}, or -1. */
        int firstBlockAtOrAfter(long millis) {
            int lo = 0;
            int hi = blocks;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (eventMillis[mid] < millis) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo < blocks ? lo : -1;
        }
    }

    static volatile Timeline timeline;

    private final int lines;
    private final int linesPerSecond;
    private final int maxBlockLines;
    private final long maxRunNanos;
    private transient SpoutOutputCollector collector;
    private transient Timeline sink;
    private transient String[] heads;
    private transient String[] tails;
    private transient long epoch;
    private transient long start;
    private transient int next;
    private transient long nextOffset;
    private transient long timeSecond = Long.MIN_VALUE;
    private transient String timeText;

    PacedBlockSpout(int lines, int linesPerSecond, int maxBlockLines, int maxRunSeconds) {
        this.lines = lines;
        this.linesPerSecond = linesPerSecond;
        this.maxBlockLines = maxBlockLines;
        this.maxRunNanos = maxRunSeconds * 1_000_000_000L;
    }

    @Override
    public void open(Map<String, Object> conf, TopologyContext context, SpoutOutputCollector collector) {
        this.collector = ExecutorWakeups.waking(collector, context);
        this.sink = timeline;
        this.epoch = System.currentTimeMillis();
        LogGenerator generator = new LogGenerator(new LogGenerator.Options(POOL, 42, LogGenerator.Format.COMBINED, 0.0,
                LogGenerator.DEFAULT_START));
        heads = new String[POOL];
        tails = new String[POOL];
        for (int i = 0; i < POOL; i++) {
            LogRecord r = generator.next().records().get(0);
            String line = AccessLogRenderer.combined(new LogRecord(r.client(), r.ident(), r.user(), r.timeMillis(), 0,
                    r.method(), r.endpoint(), r.protocol(), r.status(), r.bytesSent(), r.referer(), r.userAgent(), null, -1));
            int open = line.indexOf('[');
            int close = line.indexOf(']', open);
            heads[i] = line.substring(0, open + 1);
            tails[i] = line.substring(close);
        }
    }

    @Override
    public void nextTuple() {
        long now = System.nanoTime();
        if (start == 0) {
            start = now;
            sink.startNanos = now;
        }
        if (next >= lines || now - start > maxRunNanos || sink.blocks == sink.emitted.length) {
            if (!sink.finished) {
                sink.cpuAtEnd = ExecutorCpu.now();
                sink.endNanos = System.nanoTime();
                sink.finished = true;
            }
            return;
        }
        if (sink.cpuAtMeasureStart == null && next >= sink.warmupLines) {
            sink.cpuAtMeasureStart = ExecutorCpu.now();
            sink.measureStartNanos = System.nanoTime();
        }
        long due = Math.min(lines, (now - start) * linesPerSecond / 1_000_000_000L + 1);
        int count = (int) Math.min(maxBlockLines, due - next);
        if (count <= 0) {
            return;
        }
        long millis = System.currentTimeMillis();
        long second = millis - Math.floorMod(millis, 1000L);
        if (second != timeSecond) {
            timeSecond = second;
            timeText = AccessLogRenderer.time(second, 0);
        }
        String[] text = new String[count];
        long[] offsets = new long[count];
        for (int i = 0; i < count; i++) {
            int pooled = (next + i) % POOL;
            text[i] = heads[pooled] + timeText + tails[pooled];
            offsets[i] = nextOffset;
            nextOffset += text[i].length() + 1; // generated lines are ASCII; + the newline
        }
        int b = sink.blocks;
        LineBlock block = new LineBlock(SOURCE, text, offsets, nextOffset, BlockPosition.whole(epoch, b));
        sink.firstLine[b] = next;
        sink.lineCount[b] = count;
        sink.offsets[b] = offsets[0];
        sink.eventMillis[b] = second;
        next += count;
        sink.linesEmitted = next;
        sink.emitted[b] = System.nanoTime();
        sink.blocks = b + 1;
        collector.emit(new Values(block, SOURCE, block.offset(), block.nextOffset()), b);
    }

    @Override
    public void ack(Object msgId) {
        sink.acked[(Integer) msgId] = System.nanoTime();
        sink.ackedBlocks++; // only the spout's thread writes it
    }

    @Override
    public void fail(Object msgId) {
        sink.failed++;
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declare(Schema.BLOCK_FIELDS);
        // Never emitted (the benchmark stops the topology), but the topology subscribes to them.
        declarer.declareStream(Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS);
        declarer.declareStream(Schema.RETIRED_STREAM, Schema.RETIRED_FIELDS);
    }
}
