package io.stormwatch.storm.spout;

import com.codahale.metrics.Counter;
import io.stormwatch.core.io.BlockBounds;
import io.stormwatch.core.io.LineBlock;
import io.stormwatch.core.io.SocketLineClient;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.topology.ExecutorWakeups;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.storm.spout.SpoutOutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichSpout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits the lines a TCP server sends, in blocks, as a client like Spark's {@code socketTextStream}: run
 * {@code tail -f access.log | nc -lk 9999} or {@code stormwatch serve --port 9999 access.log} and point this
 * spout at {@code host:port}.
 *
 * <p>Tuples ({@link Schema#BLOCK_FIELDS}): {@code block} = the lines received and not yet emitted, up to
 * {@link #withBlockBounds block bounds} (default 1,024 lines or 1 MiB) — one-line blocks while the server
 * sends slowly — all of one connection; {@code source} = {@code socket:host:port#n} (n counts connections of
 * this task from 1); {@code offset} = the sequence number of the block's first line within that connection
 * (from 0); {@code next-offset} = the last line's + 1, so a block is {@code [first, last + 1)}. Message id
 * {@code (source, offset)}, so {@code topology.max.spout.pending} bounds the blocks in flight.
 *
 * <p><b>Delivery: at most once for failed blocks.</b> A socket cannot be re-read, and this spout keeps no
 * copy: a block that fails (or times out) downstream is lost with all its lines. Each lost line is counted
 * in the {@code lines-lost} metric and losses are reported at WARN (at most one message per 10 s, with the
 * count). Example: the block {@code [5, 8)} of {@code socket:h:9999#1} fails → {@code lines-lost} grows by 3,
 * nothing is emitted again. Lines that are acked were processed; lines sent by the server while no connection
 * was up, or still queued in the spout when the worker stops, are never seen.
 *
 * <p><b>Retired connections.</b> Once a connection is closed (by the server, or broken) and none of its
 * blocks is in flight any more, one unanchored tuple {@code (source)} naming it goes out on
 * {@link Schema#RETIRED_STREAM}: a new connection always has another number.
 *
 * <p>A reader thread fills a bounded queue (default 10,000 lines) and blocks while it is full, which pushes
 * back on the server. When the server is down or closes the connection the spout reconnects, waiting 100 ms
 * doubling up to 5 s between attempts (configurable); {@code nextTuple} never blocks or throws, so the
 * worker lives on however the server behaves. Lines longer than the maximum length are cut so that the
 * parser rejects them. A socket has no end: the end-of-input stream is used only when the topology is
 * deactivated with {@code stormwatch.deactivate.ends.input} set ({@link EndOnDeactivate}): the connection is
 * closed, the lines already received are emitted, and end of input follows once they are processed.
 *
 * <p>Metrics (per task): {@code lines-received}, {@code lines-lost}, {@code lines-in-flight},
 * {@code blocks-emitted}, {@code connections}, {@code connected} (1 or 0).
 */
public class SocketLineSpout extends BaseRichSpout {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SocketLineSpout.class);
    private static final long LOSS_WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String host;
    private final int port;
    private int queueCapacity = 10_000;
    private int maxLineLength = AccessLogParser.DEFAULT_MAX_LINE_LENGTH;
    private long initialBackoffMillis = 100;
    private long maxBackoffMillis = 5_000;
    private BlockBounds blockBounds = BlockBounds.DEFAULT;

    private transient SpoutOutputCollector collector;
    private transient SocketLineClient client;
    private transient Counter linesLost;
    private transient long lostSinceWarning;
    private transient long lastWarningNanos;
    private transient EndOnDeactivate stop;

    public SocketLineSpout(String host, int port) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("invalid port " + port);
        }
        this.host = host;
        this.port = port;
    }

    /** Lines received but not yet emitted, at most (default 10,000); the reader waits when it is full. */
    public SocketLineSpout withQueueCapacity(int lines) {
        if (lines < 1) {
            throw new IllegalArgumentException("queue capacity must be positive, got " + lines);
        }
        this.queueCapacity = lines;
        return this;
    }

    /** Lines longer than this many characters are cut so the parser rejects them (default 64 Ki). */
    public SocketLineSpout withMaxLineLength(int characters) {
        if (characters < 1) {
            throw new IllegalArgumentException("max line length must be positive, got " + characters);
        }
        this.maxLineLength = characters;
        return this;
    }

    /** How large a block may grow (default {@link BlockBounds#DEFAULT}). */
    public SocketLineSpout withBlockBounds(BlockBounds bounds) {
        if (bounds == null) {
            throw new IllegalArgumentException("block bounds are needed");
        }
        this.blockBounds = bounds;
        return this;
    }

    /** Wait between connection attempts: from {@code initialMillis} doubling up to {@code maxMillis}. */
    public SocketLineSpout withReconnectBackoffMillis(long initialMillis, long maxMillis) {
        if (initialMillis <= 0 || maxMillis < initialMillis) {
            throw new IllegalArgumentException("need 0 < initial <= max, got " + initialMillis + ", " + maxMillis);
        }
        this.initialBackoffMillis = initialMillis;
        this.maxBackoffMillis = maxMillis;
        return this;
    }

    @Override
    public void open(Map<String, Object> conf, TopologyContext context, SpoutOutputCollector collector) {
        this.collector = ExecutorWakeups.waking(collector, context);
        this.stop = new EndOnDeactivate(conf);
        this.client = new SocketLineClient(host, port, new SocketLineClient.Settings(queueCapacity, maxLineLength,
                blockBounds, initialBackoffMillis, maxBackoffMillis), System.currentTimeMillis());
        SocketLineClient metered = client;
        context.registerGauge("lines-received", metered::linesReceived);
        context.registerGauge("lines-in-flight", metered::linesInFlight);
        context.registerGauge("blocks-emitted", metered::blocksEmitted);
        context.registerGauge("connections", metered::connections);
        context.registerGauge("connected", () -> metered.connected() ? 1 : 0);
        this.linesLost = context.registerCounter("lines-lost");
        this.lastWarningNanos = System.nanoTime() - LOSS_WARNING_INTERVAL_NANOS;
        client.start(ExecutorWakeups.wakerOfCurrentThread());
    }

    @Override
    public void nextTuple() {
        if (stop.stopping()) {
            return;
        }
        try {
            LineBlock block = client.poll();
            if (block != null) {
                collector.emit(BlockTuples.of(block), BlockTuples.messageId(block));
            }
            emitRetired();
        } catch (RuntimeException e) {
            LOG.error("unexpected failure emitting lines from {}:{}; going on", host, port, e);
        }
    }

    @Override
    public void ack(Object msgId) {
        if (msgId instanceof BlockMessageId id) {
            client.ack(id.source(), id.offset());
        }
        endIfStopped();
    }

    @Override
    public void fail(Object msgId) {
        if (!(msgId instanceof BlockMessageId id)) {
            return;
        }
        int lost = client.fail(id.source(), id.offset());
        endIfStopped();
        if (lost == 0) {
            return;
        }
        linesLost.inc(lost);
        lostSinceWarning += lost;
        long now = System.nanoTime();
        if (now - lastWarningNanos >= LOSS_WARNING_INTERVAL_NANOS) {
            LOG.warn("{} line(s) from {}:{} failed downstream and are lost: a socket cannot replay ({} lost in all;"
                    + " last: {})", lostSinceWarning, host, port, linesLost.getCount(), msgId);
            lostSinceWarning = 0;
            lastWarningNanos = now;
        }
    }

    /**
     * With {@link io.stormwatch.storm.topology.StormwatchConfig#DEACTIVATE_ENDS_INPUT}: closes the connection,
     * emits every line already received (Ctrl-C must not drop them), and ends the input once they are processed.
     */
    @Override
    public void deactivate() {
        if (client == null || !stop.deactivated()) {
            return;
        }
        client.stopReading();
        int blocks = 0;
        for (LineBlock block; (block = client.poll()) != null; blocks++) {
            collector.emit(BlockTuples.of(block), BlockTuples.messageId(block));
        }
        emitRetired();
        LOG.info("{}:{}: deactivated; connection closed, {} blocks of received lines emitted; ending the input once"
                + " they are processed ({} lines received in all)", host, port, blocks, client.linesReceived());
        endIfStopped();
    }

    private void endIfStopped() {
        stop.endWhenIdle(collector, "socket:" + host + ":" + port, client::linesInFlight, List.of(), client::linesReceived);
    }

    private void emitRetired() {
        for (String retired; (retired = client.pollRetired()) != null; ) {
            collector.emit(Schema.RETIRED_STREAM, BlockTuples.retired(retired));
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declare(Schema.BLOCK_FIELDS);
        declarer.declareStream(Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS);
        declarer.declareStream(Schema.RETIRED_STREAM, Schema.RETIRED_FIELDS);
    }
}
