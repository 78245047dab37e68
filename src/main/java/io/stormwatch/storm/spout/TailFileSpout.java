package io.stormwatch.storm.spout;

import io.stormwatch.core.io.BlockBounds;
import io.stormwatch.core.io.FileTailer;
import io.stormwatch.core.io.LineBlock;
import io.stormwatch.core.io.ProgressStore;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.topology.ExecutorWakeups;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.storm.spout.SpoutOutputCollector;
import org.apache.storm.task.TopologyContext;
import org.apache.storm.topology.OutputFieldsDeclarer;
import org.apache.storm.topology.base.BaseRichSpout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a live log file like {@code tail -F}, in blocks of lines, at least once per line: appends, rotation
 * by rename and by truncation, and restarts from a durable position. The following rules are those of
 * {@link FileTailer}.
 *
 * <p>Tuples ({@link Schema#BLOCK_FIELDS}): {@code block} = the complete lines written since the last call, up
 * to {@link #withBlockBounds block bounds} (default 1,024 lines or 1 MiB) — one-line blocks while the file
 * grows slowly, full ones while catching up — {@code source} = {@code <absolute path>#<generation>} (the
 * generation counts file instances seen at the path, so a rotated file's offsets never collide with its
 * successor's), {@code offset} = byte offset of the block's first line in that instance, {@code next-offset}
 * = byte offset just past its last line's terminator (where the next block starts); message id
 * {@code (source, offset)}. A block never holds lines of two generations. A failed block is replayed from
 * memory as single-line parts, each with its own offsets and message id, and a failed part as the same part
 * (at most {@code maxInFlight} lines, default 131,072, are unacked). Example: {@code "a\nb\n"} is in the
 * file at start → block {@code ["a", "b"]} {@code [0, 4)}; it fails → {@code ["a"]} {@code [0, 2)} part 0 of 2
 * and {@code ["b"]} {@code [2, 4)} part 1 of 2; {@code "c\n"} is appended → block {@code ["c"]} {@code [4, 6)}.
 *
 * <p><b>Retired generations.</b> Once a rotated-away (or truncated) generation is read to its end and all its
 * blocks are acked, one unanchored tuple {@code (source)} goes out on {@link Schema#RETIRED_STREAM}: that
 * generation is never emitted again. On start, the generation of a progress record whose file is gone or was
 * truncated while the topology was down is retired too.
 *
 * <p><b>State.</b> The resume point (generation, file key, offset of the oldest unacked block or part) is
 * written atomically about once a second and on deactivate/close, by default into
 * {@code <directory of the file>/.stormwatch/tail/} (the process needs write access there), or into the
 * directory given with {@link #withStateDirectory}. After a restart lines acked after the last write are
 * emitted again with the same source and offsets (at-least-once; the blocks may be cut elsewhere).
 *
 * <p>Run it with parallelism 1: a file is one stream; further tasks log a WARN and stay idle. The spout
 * polls: when nothing new is there, {@code nextTuple} returns without emitting and Storm's spout wait
 * strategy idles; the path is checked for rotation every {@code pollIntervalMillis} (default 250 ms). The
 * end-of-input stream is used only when the topology is deactivated with {@code stormwatch.deactivate.ends.input}
 * set ({@link EndOnDeactivate}): a followed file has no end of its own. Nothing is thrown into Storm.
 *
 * <p>Metrics (per task): {@code lines-emitted} (new lines), {@code lines-replayed} (lines emitted again as
 * parts), {@code lines-in-flight}, {@code blocks-emitted} (new blocks), {@code rotations}, {@code truncations}.
 */
public class TailFileSpout extends BaseRichSpout {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(TailFileSpout.class);

    private final String file;
    private String stateDirectory;
    private int maxInFlight = ReliableFileSpout.DEFAULT_MAX_IN_FLIGHT;
    private int maxLineLength = AccessLogParser.DEFAULT_MAX_LINE_LENGTH;
    private BlockBounds blockBounds = BlockBounds.DEFAULT;
    private long pollIntervalMillis = 250;
    private long checkpointIntervalMillis = 1_000;

    private transient SpoutOutputCollector collector;
    private transient FileTailer tailer;
    private transient EndOnDeactivate stop;

    public TailFileSpout(String file) {
        this.file = file;
    }

    /** Where the resume point is kept (default {@code <directory of the file>/.stormwatch/tail/}). */
    public TailFileSpout withStateDirectory(String directory) {
        this.stateDirectory = directory;
        return this;
    }

    /**
     * Upper bound on unacked lines, whose text is kept for replay (default 131,072: 128 blocks of 1,024).
     * Downstream acks wait for a state checkpoint (every 100 ms), so keep it at least rate × 0.15 s.
     */
    public TailFileSpout withMaxInFlight(int lines) {
        if (lines < 1) {
            throw new IllegalArgumentException("max in-flight lines must be positive, got " + lines);
        }
        this.maxInFlight = lines;
        return this;
    }

    /** Lines longer than this many characters are cut so the parser rejects them (default 64 Ki). */
    public TailFileSpout withMaxLineLength(int characters) {
        if (characters < 1) {
            throw new IllegalArgumentException("max line length must be positive, got " + characters);
        }
        this.maxLineLength = characters;
        return this;
    }

    /** How large a block may grow (default {@link BlockBounds#DEFAULT}). */
    public TailFileSpout withBlockBounds(BlockBounds bounds) {
        if (bounds == null) {
            throw new IllegalArgumentException("block bounds are needed");
        }
        this.blockBounds = bounds;
        return this;
    }

    /** How often the path is checked for rotation once everything is read (default 250 ms). */
    public TailFileSpout withPollIntervalMillis(long millis) {
        this.pollIntervalMillis = millis;
        return this;
    }

    /** How often the resume point is written (default 1000 ms; 0 = on every call). */
    public TailFileSpout withCheckpointIntervalMillis(long millis) {
        this.checkpointIntervalMillis = millis;
        return this;
    }

    @Override
    public void open(Map<String, Object> conf, TopologyContext context, SpoutOutputCollector collector) {
        this.collector = ExecutorWakeups.waking(collector, context);
        this.stop = new EndOnDeactivate(conf);
        if (context.getThisTaskIndex() > 0) {
            LOG.warn("{} is followed by task 0 of {} only; this task ({}) stays idle: give the spout parallelism 1",
                    file, context.getThisComponentId(), context.getThisTaskIndex());
            return;
        }
        Path path = Path.of(file);
        Path state = stateDirectory == null ? FileTailer.defaultStateDirectory(path) : Path.of(stateDirectory);
        this.tailer = new FileTailer(path, new ProgressStore(state),
                new FileTailer.Settings(maxInFlight, maxLineLength, blockBounds, pollIntervalMillis,
                        checkpointIntervalMillis),
                System.currentTimeMillis(), System::currentTimeMillis);
        FileTailer metered = tailer;
        context.registerGauge("lines-emitted", metered::linesEmitted);
        context.registerGauge("lines-replayed", metered::linesReplayed);
        context.registerGauge("lines-in-flight", metered::inFlight);
        context.registerGauge("blocks-emitted", metered::blocksEmitted);
        context.registerGauge("rotations", metered::rotations);
        context.registerGauge("truncations", metered::truncations);
    }

    @Override
    public void nextTuple() {
        if (tailer == null || stop.stopping()) {
            return;
        }
        try {
            LineBlock block = tailer.next();
            if (block != null) {
                collector.emit(BlockTuples.of(block), BlockTuples.messageId(block));
            }
            for (String retired; (retired = tailer.pollRetired()) != null; ) {
                collector.emit(Schema.RETIRED_STREAM, BlockTuples.retired(retired));
            }
        } catch (RuntimeException e) {
            LOG.error("unexpected failure following {}; going on", file, e);
        }
    }

    @Override
    public void ack(Object msgId) {
        if (tailer != null && msgId instanceof BlockMessageId id) {
            tailer.ack(id.source(), id.offset());
        }
        endIfStopped();
    }

    @Override
    public void fail(Object msgId) {
        if (tailer != null && msgId instanceof BlockMessageId id) {
            tailer.fail(id.source(), id.offset());
        }
        endIfStopped();
    }

    @Override
    public void deactivate() {
        if (tailer != null) {
            tailer.checkpoint();
        }
        if (stop != null && stop.deactivated()) {
            LOG.info("{}: deactivated, reading no more; ending the input once the blocks in flight finish", file);
            endIfStopped();
        }
    }

    private void endIfStopped() {
        // An idle task (not task 0) has no tailer: it ends at once.
        stop.endWhenIdle(collector, "tail:" + file, () -> tailer == null ? 0 : tailer.inFlight(), List.of(),
                () -> tailer == null ? 0 : tailer.linesEmitted());
    }

    @Override
    public void close() {
        if (tailer != null) {
            tailer.close();
        }
    }

    @Override
    public void declareOutputFields(OutputFieldsDeclarer declarer) {
        declarer.declare(Schema.BLOCK_FIELDS);
        declarer.declareStream(Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS);
        declarer.declareStream(Schema.RETIRED_STREAM, Schema.RETIRED_FIELDS);
    }
}
