package io.stormwatch.bench;

import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.core.log.AccessLogRenderer;
import io.stormwatch.core.log.LogRecord;
import io.stormwatch.storm.Schema;
import java.time.Instant;
import java.util.Map;
import org.apache.storm.spout.SpoutOutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichSpout;
import org.apache.storm.tuple.Values;

/**
 * Benchmark-only source: emits {@code lines} generated Combined lines at {@code linesPerSecond}, paced by
 * the wall clock, each stamped with the current time as its {@code %t} (so event time moves as in a live
 * log, and windows close at their real pace). Line {@code i} is due at {@code start + i / rate}; when the
 * spout falls behind (Storm stops calling it while {@code max.spout.pending} lines are unacked) it catches
 * up in bursts, and {@link Timeline} keeps both the due time and the real emit time of every line. It
 * stops after its lines or its time, whichever comes first, so a topology that cannot keep up with the rate
 * shows it as a lower achieved rate rather than a longer run.
 *
 * <p>Offsets ({@code offset}, {@code next-offset}) are byte offsets as the file, spool and tail spouts give
 * them, or line numbers as the socket spout gives them. Message id: the line number. Failed lines are
 * counted, not replayed.
 *
 * <p>Reports to the static {@link #timeline}: benchmark code in one JVM with an in-process LocalCluster
 * (see {@link BenchProbe}); never do this in tests or on a cluster.
 */
final class PacedLineSpout extends BaseRichSpout {

    private static final long serialVersionUID = 1L;
    static final String SOURCE = "paced";
    /** Catch-up bursts are cut into calls of at most this many lines, so Storm's own work is not starved. */
    private static final int MAX_BURST = 64;

    /** Per line: when it was due, emitted, counted in the totals, acked (ns); set before submitting. */
    static final class Timeline {
        final long[] due;
        final long[] emitted;
        final long[] offsets;
        final long[] totals;
        final long[] acked;
        volatile long emittedCount;
        volatile long totalsCount;
        volatile long failed;
        /** Set once the spout emits no more: all lines sent, or the run's time is up. */
        volatile boolean finished;

        Timeline(int lines) {
            due = new long[lines];
            emitted = new long[lines];
            offsets = new long[lines];
            totals = new long[lines];
            acked = new long[lines];
        }

        /** The line number of an offset this spout emitted. */
        int lineOf(long offset) {
            int i = java.util.Arrays.binarySearch(offsets, 0, (int) emittedCount, offset);
            if (i < 0) {
                throw new IllegalStateException("offset " + offset + " was never emitted");
            }
            return i;
        }
    }

    static volatile Timeline timeline;

    private final int lines;
    private final int linesPerSecond;
    private final boolean byteOffsets;
    private final long maxRunNanos;
    private transient SpoutOutputCollector collector;
    private transient LogGenerator generator;
    private transient Timeline sink;
    private transient long start;
    private transient int next;
    private transient long nextOffset;

    /** Stops after {@code lines} lines or {@code maxRunSeconds}, whichever comes first. */
    PacedLineSpout(int lines, int linesPerSecond, boolean byteOffsets, int maxRunSeconds) {
        this.maxRunNanos = maxRunSeconds * 1_000_000_000L;
        this.lines = lines;
        this.linesPerSecond = linesPerSecond;
        this.byteOffsets = byteOffsets;
    }

    @Override
    public void open(Map<String, Object> conf, TopologyContext context, SpoutOutputCollector collector) {
        this.collector = collector;
        this.generator = new LogGenerator(new LogGenerator.Options(lines, 42, LogGenerator.Format.COMBINED, 0.0,
                Instant.now()));
        this.sink = timeline;
    }

    @Override
    public void nextTuple() {
        long now = System.nanoTime();
        if (start == 0) {
            start = now;
        }
        if (next == lines || now - start > maxRunNanos) {
            sink.finished = true;
            return;
        }
        for (int burst = 0; burst < MAX_BURST && next < lines; burst++) {
            long due = start + next * 1_000_000_000L / linesPerSecond;
            if (due > now) {
                return;
            }
            emit(due);
        }
    }

    private void emit(long due) {
        LogRecord generated = generator.next().records().get(0);
        long second = System.currentTimeMillis() / 1000 * 1000; // Apache writes whole seconds
        String line = AccessLogRenderer.combined(new LogRecord(generated.client(), generated.ident(),
                generated.user(), second, 0, generated.method(), generated.endpoint(), generated.protocol(),
                generated.status(), generated.bytesSent(), generated.referer(), generated.userAgent(), null, -1));
        long offset = nextOffset;
        nextOffset += byteOffsets ? line.length() + 1 : 1; // generated lines are ASCII; + the newline
        int i = next++;
        sink.due[i] = due;
        sink.offsets[i] = offset;
        sink.emitted[i] = System.nanoTime();
        sink.emittedCount = i + 1;
        collector.emit(new Values(line, SOURCE, offset, nextOffset), i);
    }

    @Override
    public void ack(Object msgId) {
        sink.acked[(Integer) msgId] = System.nanoTime();
    }

    @Override
    public void fail(Object msgId) {
        sink.failed++;
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declare(Schema.LINE_FIELDS);
        // Never emitted (the benchmark stops the topology), but the topology subscribes to it.
        declarer.declareStream(Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS);
    }
}
