package io.stormwatch.core.window;

import io.stormwatch.core.agg.SlidingTally;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallyCodec;
import io.stormwatch.core.agg.TallySchema;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns counted blocks ({@link BlockPanes}) into sliding windows: the engine of the window bolt and of
 * {@code stormwatch batch --window}. Blocks are added to panes of one slide each; a pane closes once the
 * watermark passes its end; each window {@code (E − L, E]} that holds at least one pane is handed to the
 * {@link Listener} as soon as the watermark reaches {@code E}, in end order. Work follows the panes that
 * hold data, never the time between them: a window slides by adding the newest pane and taking out the
 * oldest ({@link SlidingTally}), and a gap of a month between two panes costs nothing.
 *
 * <p><b>Event time, channels and watermarks.</b> Blocks come from channels (spout tasks), each taken in its
 * own order ({@link Sequencer}). A channel's watermark is the largest event time it has given so far minus
 * the lag, and only grows. A line is <em>late</em> when its pane ends at or before its channel's watermark
 * just before the line: it goes into no pane and is counted in the {@code late} of the first pane still open
 * for its channel — the pane just after that watermark, which the next window to close holds. Which lines are
 * late depends on the channel's lines and their order alone, not on blocks, timing or parse tasks. The
 * panes close by the <em>global</em> watermark, the smallest watermark of the channels that hold it back: a
 * channel holds it back unless its spout task has finished ({@link #finish(int)}), or has sent nothing for
 * {@code idleTimeout} (an idle channel that comes back has its watermark raised to the global one first, so
 * its lines in closed panes are late — the only rule where timing matters). A channel whose blocks wait for a
 * missing one is not idle ({@link #stillSending}): a block lost with a worker holds its channel's windows until
 * its replay, rather than making its lines late. Channels expected but not yet
 * heard from hold it back for the first {@code idleTimeout}.
 *
 * <p>A spout may name channels of its own instead of its task (negative ids: a Kafka spout's partitions).
 * Such a spout never sends under its task id, so the first block on a spout-named channel releases the
 * expected task channels not heard from yet, rather than letting them hold the windows for the idle timeout;
 * the partitions of another spout task that starts later join as any channel does, at the global watermark.
 *
 * <p>Worked example (one channel, slide 10 s, window 20 s, lag 5 s; times in seconds; W = watermark):
 * <pre>
 *  block         lines     W before   outcome                                   W after   windows out
 *  1             12, 19    −∞         panes 20 {12, 19}                          14        —
 *  2             31        14         pane 40 {31}                               26        (0,20] {12,19}
 *  3             14, 28    26         14: pane 20 ≤ 26, late → late of pane 30;  26        —
 *                                     28: pane 30 {28}
 *  4             36        26         pane 40 {31, 36}                           31        (10,30] {12,19,28} late 1
 *  end of input                                                                            (20,40] {28,31,36} late 1, (30,50] {31,36}
 * </pre>
 *
 * <p><b>Processing time</b> ({@link #acceptAt}): a block goes into the pane of the clock when it arrives,
 * nothing is late, and the watermark is the clock minus the lag ({@link #advanceClock}).
 *
 * <p><b>Checkpoints.</b> Everything that decides the windows to come — the open panes, the panes the sliding
 * window holds, each channel's watermark, what was emitted — can be written to a key-value state and read
 * back ({@link #checkpoint}, {@link #load}), so that a window bolt restarted or rolled back to its last
 * checkpoint goes on exactly as if nothing had happened: given the same blocks after it, it emits the same
 * windows. A checkpoint writes only the panes that changed since the previous one (and deletes those that
 * left the window), not all of them:
 * <pre>
 * p:&lt;end&gt;   byte[]   a pane: its late lines (8 bytes) and its tally ({@link TallyCodec})
 * w         long[]   watermarks, what was emitted, counters, channels
 * </pre>
 * Wall-clock idleness is not kept: after a load every channel counts as just heard from.
 *
 * <p>Not thread-safe.
 */
public final class WindowAssembler {

    /** Receives windows and late lines. */
    public interface Listener {
        /**
         * A window {@code (start, end]}, in end order. {@code tally} is the live window: read it now, do not
         * keep or change it.
         */
        void window(long start, long end, Tally tally, long late);

        /** Lines of {@code source} found late, counted in the {@code late} of the pane ending {@code reportedIn}. */
        void late(String source, long[] offsets, long[] times, long reportedIn);
    }

    private static final class OpenPane {
        final Tally tally;
        long late;

        OpenPane(Tally tally) {
            this.tally = tally;
        }
    }

    private static final class ClosedPane {
        final long end;
        final Tally tally;
        final long late;

        ClosedPane(long end, Tally tally, long late) {
            this.end = end;
            this.tally = tally;
            this.late = late;
        }
    }

    private static final class Channel {
        long watermark = Long.MIN_VALUE;
        long lastSeenMillis;
        boolean seen;
        boolean finished;
        boolean idle;
    }

    /** Windows of more panes than this keep them encoded. */
    static final long ENCODE_PANES_BEYOND = 16;

    private final WindowSpec spec;
    private final TallySchema schema;
    private final Listener listener;
    private final long idleTimeoutMillis;
    private final long startMillis;

    private final NavigableMap<Long, OpenPane> open = new TreeMap<>();
    private final ArrayDeque<ClosedPane> closed = new ArrayDeque<>();
    private final SlidingTally sliding;
    private final Map<Integer, Channel> channels = new HashMap<>();
    /** A block came on a channel its spout named (negative id): spout tasks are no channels to wait for. */
    private boolean spoutNamedChannels;
    /** Every pane ending at or before this is closed: the global watermark; only grows. */
    private long closedThrough = Long.MIN_VALUE;
    private long emittedThrough = Long.MIN_VALUE;
    private long lastClockMillis = Long.MIN_VALUE;
    private long lateLines;
    private long windowsEmitted;
    /** Panes changed since the last checkpoint, and panes the state holds. */
    private final Set<Long> changedPanes = new HashSet<>();
    private final TreeSet<Long> storedPanes = new TreeSet<>();
    private long[] storedMeta;

    static final String PANE_PREFIX = "p:";
    static final String META_KEY = "w";
    private static final long META_VERSION = 1;

    /**
     * @param idleTimeoutMillis how long a channel may send nothing before it stops holding the watermark back
     * @param nowMillis         the processing time now (when expected channels start counting as idle)
     */
    public WindowAssembler(WindowSpec spec, TallySchema schema, Listener listener, long idleTimeoutMillis, long nowMillis) {
        this.spec = spec;
        this.schema = schema;
        this.listener = listener;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.startMillis = nowMillis;
        // A window of many panes keeps them encoded (a 1 h window sliding every second holds 3,600).
        this.sliding = new SlidingTally(schema, spec.lengthMillis() / spec.slideMillis() > ENCODE_PANES_BEYOND);
    }

    /** Channels that will send blocks: they hold the watermark back from the start (see the class comment). */
    public void expect(Collection<Integer> channelIds) {
        if (spoutNamedChannels) {
            return; // the spout names its channels (e.g. after a load): its tasks are none to wait for
        }
        for (int id : channelIds) {
            channels.computeIfAbsent(id, c -> new Channel());
        }
    }

    /** Adds an event-time block; blocks of one channel must come in the channel's order. */
    public void accept(BlockPanes block, long nowMillis) {
        if (block.channel() < 0 && !spoutNamedChannels) {
            spoutNamedChannels = true;
            channels.entrySet().removeIf(e -> e.getKey() >= 0 && !e.getValue().seen);
        }
        Channel channel = channels.computeIfAbsent(block.channel(), c -> new Channel());
        if (!channel.seen || channel.idle) {
            // A channel (re)joining cannot reopen panes others have closed.
            channel.watermark = Math.max(channel.watermark, closedThrough);
        }
        channel.seen = true;
        channel.idle = false;
        channel.lastSeenMillis = nowMillis;
        long before = channel.watermark;
        long firstOpen = before == Long.MIN_VALUE ? Long.MIN_VALUE : spec.paneEnd(before + 1);
        for (PanePartial partial : block.panes()) {
            if (before != Long.MIN_VALUE && partial.paneEnd() <= before) {
                pane(firstOpen).late += partial.tally().records();
                lateLines += partial.tally().records();
                listener.late(block.source(), partial.offsets(), partial.times(), firstOpen);
            } else {
                pane(partial.paneEnd()).tally.merge(partial.tally());
            }
        }
        LateLines late = block.late();
        for (int i = 0; i < late.size(); i++) {
            long reportedIn = Math.max(firstOpen, late.reportFrom()[i]);
            pane(reportedIn).late++;
            lateLines++;
            listener.late(block.source(), new long[] {late.offsets()[i]}, new long[] {late.times()[i]}, reportedIn);
        }
        if (block.maxTime() != Long.MIN_VALUE) {
            channel.watermark = Math.max(channel.watermark, block.maxTime() - spec.lagMillis());
        }
        advance(nowMillis);
    }

    /**
     * Adds a processing-time block at the clock's {@code nowMillis}: all of it — every pane partial, the
     * rejected lines, the lines late by event time — goes into the pane of that time.
     */
    public void acceptAt(BlockPanes block, long nowMillis) {
        long now = Math.max(nowMillis, lastClockMillis);
        Tally pane = pane(spec.paneEnd(now)).tally;
        for (Tally tally : block.tallies()) {
            pane.merge(tally);
        }
        advanceClock(now);
    }

    /** Processing time: the clock moved to {@code nowMillis}; panes up to it minus the lag close. */
    public void advanceClock(long nowMillis) {
        lastClockMillis = Math.max(lastClockMillis, nowMillis);
        closeThrough(lastClockMillis - spec.lagMillis());
    }

    /**
     * Event time: {@code channelId} is sending — blocks of it wait for a missing one (lost with a worker, to be
     * replayed) — though none reached this assembler: it is not idle, and goes on holding the watermark back.
     */
    public void stillSending(int channelId, long nowMillis) {
        Channel channel = channels.get(channelId);
        if (channel != null && channel.seen && !channel.idle) {
            channel.lastSeenMillis = Math.max(channel.lastSeenMillis, nowMillis);
        }
    }

    /** Event time: re-evaluates idleness at {@code nowMillis} (on a timer, when no blocks arrive). */
    public void tick(long nowMillis) {
        advance(nowMillis);
    }

    /** A channel's spout task finished: it no longer holds the watermark back. */
    public void finish(int channelId) {
        channels.computeIfAbsent(channelId, c -> new Channel()).finished = true;
    }

    /** End of the input: closes every pane and emits every remaining window. */
    public void finishAll() {
        closeThrough(Long.MAX_VALUE);
    }

    /** Every pane ending at or before this is closed ({@code Long.MIN_VALUE} before any). */
    public long watermark() {
        return closedThrough;
    }

    /** Lines found late so far. */
    public long lateLines() {
        return lateLines;
    }

    public long windowsEmitted() {
        return windowsEmitted;
    }

    /** Panes open (not yet closed). */
    public int openPanes() {
        return open.size();
    }

    /** Panes the sliding window holds. */
    public int windowPanes() {
        return sliding.paneCount();
    }

    /**
     * Adds to {@code puts} and {@code deletes} what changed since the last checkpoint (see the class comment):
     * the panes changed and still open or in the window, the deletion of panes that left the window, and the
     * watermarks and counters when they moved.
     */
    public void checkpoint(Map<String, Object> puts, List<String> deletes) {
        Set<Long> inWindow = new HashSet<>();
        sliding.forEachPane((end, encoded, late) -> {
            inWindow.add(end);
            if (changedPanes.contains(end)) {
                puts.put(PANE_PREFIX + end, paneEntry(encoded.get(), late));
                storedPanes.add(end);
            }
        });
        for (long end : changedPanes) {
            OpenPane pane = open.get(end);
            if (pane != null) {
                puts.put(PANE_PREFIX + end, paneEntry(TallyCodec.encode(pane.tally), pane.late));
                storedPanes.add(end);
            }
        }
        changedPanes.clear();
        for (var stored = storedPanes.iterator(); stored.hasNext(); ) {
            long end = stored.next();
            if (!open.containsKey(end) && !inWindow.contains(end)) {
                deletes.add(PANE_PREFIX + end);
                stored.remove();
            }
        }
        long[] meta = meta();
        if (!Arrays.equals(meta, storedMeta)) {
            puts.put(META_KEY, meta);
            storedMeta = meta;
        }
    }

    /**
     * Replaces everything with what a state's {@code entries} hold (keys not of this class are ignored): the
     * state of the last {@link #checkpoint}. Channels are those the state knew; {@link #expect} others again.
     */
    public void load(Map<String, Object> entries, long nowMillis) {
        open.clear();
        closed.clear();
        sliding.evictThrough(Long.MAX_VALUE);
        channels.clear();
        changedPanes.clear();
        storedPanes.clear();
        closedThrough = Long.MIN_VALUE;
        emittedThrough = Long.MIN_VALUE;
        lastClockMillis = Long.MIN_VALUE;
        lateLines = 0;
        windowsEmitted = 0;
        spoutNamedChannels = false;
        storedMeta = entries.get(META_KEY) instanceof long[] meta ? meta : null;
        if (storedMeta != null) {
            loadMeta(storedMeta, nowMillis);
        }
        TreeMap<Long, byte[]> panes = new TreeMap<>();
        entries.forEach((key, value) -> {
            if (key.startsWith(PANE_PREFIX) && value instanceof byte[] entry) {
                panes.put(Long.parseLong(key.substring(PANE_PREFIX.length())), entry);
            }
        });
        panes.forEach((end, entry) -> {
            ByteBuffer buffer = ByteBuffer.wrap(entry);
            long late = buffer.getLong();
            Tally tally = TallyCodec.decode(Arrays.copyOfRange(entry, Long.BYTES, entry.length));
            if (end <= closedThrough) {
                sliding.add(end, tally, late);
            } else {
                OpenPane pane = new OpenPane(tally);
                pane.late = late;
                open.put(end, pane);
            }
            storedPanes.add(end);
        });
    }

    private static byte[] paneEntry(byte[] tally, long late) {
        return ByteBuffer.allocate(Long.BYTES + tally.length).putLong(late).put(tally).array();
    }

    private long[] meta() {
        long[] meta = new long[8 + 3 * channels.size()];
        meta[0] = META_VERSION;
        meta[1] = closedThrough;
        meta[2] = emittedThrough;
        meta[3] = lastClockMillis;
        meta[4] = lateLines;
        meta[5] = windowsEmitted;
        meta[6] = spoutNamedChannels ? 1 : 0;
        meta[7] = channels.size();
        int i = 8;
        for (Map.Entry<Integer, Channel> entry : new TreeMap<>(channels).entrySet()) {
            Channel channel = entry.getValue();
            meta[i++] = entry.getKey();
            meta[i++] = channel.watermark;
            meta[i++] = (channel.seen ? 1 : 0) | (channel.finished ? 2 : 0);
        }
        return meta;
    }

    private void loadMeta(long[] meta, long nowMillis) {
        if (meta[0] != META_VERSION) {
            throw new IllegalStateException("window state of version " + meta[0] + ", expected " + META_VERSION);
        }
        closedThrough = meta[1];
        emittedThrough = meta[2];
        lastClockMillis = meta[3];
        lateLines = meta[4];
        windowsEmitted = meta[5];
        spoutNamedChannels = meta[6] == 1;
        for (int i = 8; i < 8 + 3 * (int) meta[7]; i += 3) {
            Channel channel = new Channel();
            channel.watermark = meta[i + 1];
            channel.seen = (meta[i + 2] & 1) != 0;
            channel.finished = (meta[i + 2] & 2) != 0;
            channel.lastSeenMillis = nowMillis;
            channels.put((int) meta[i], channel);
        }
    }

    /** The open pane ending at {@code end}, created if need be, for a change (so it is checkpointed). */
    private OpenPane pane(long end) {
        changedPanes.add(end);
        OpenPane pane = open.get(end);
        if (pane == null) {
            pane = new OpenPane(schema.newTally());
            open.put(end, pane);
        }
        return pane;
    }

    private void advance(long nowMillis) {
        long min = Long.MAX_VALUE;
        boolean holding = false;
        for (Channel channel : channels.values()) {
            boolean quiet = nowMillis - (channel.seen ? channel.lastSeenMillis : startMillis) > idleTimeoutMillis;
            if (channel.seen && quiet) {
                channel.idle = true;
            }
            if (!channel.finished && !quiet) {
                holding = true;
                min = Math.min(min, channel.watermark);
            }
        }
        if (holding) {
            closeThrough(min);
        }
    }

    private void closeThrough(long watermark) {
        if (watermark <= closedThrough) {
            return;
        }
        closedThrough = watermark;
        while (!open.isEmpty() && open.firstKey() <= closedThrough) {
            Map.Entry<Long, OpenPane> pane = open.pollFirstEntry();
            closed.addLast(new ClosedPane(pane.getKey(), pane.getValue().tally, pane.getValue().late));
        }
        emitWindows();
    }

    /**
     * Emits, in order, every window ending at or before the watermark that holds a pane: the next one ends a
     * slide after the last one while the sliding window holds panes, else at the next closed pane's end.
     */
    private void emitWindows() {
        long slide = spec.slideMillis();
        while (true) {
            long next = Long.MAX_VALUE;
            if (!sliding.isEmpty()) {
                next = emittedThrough + slide;
            }
            if (!closed.isEmpty()) {
                next = Math.min(next, closed.peekFirst().end);
            }
            if (next == Long.MAX_VALUE || next > closedThrough) {
                return;
            }
            while (!closed.isEmpty() && closed.peekFirst().end <= next) {
                ClosedPane pane = closed.pollFirst();
                sliding.add(pane.end, pane.tally, pane.late);
            }
            sliding.evictThrough(next - spec.lengthMillis());
            emittedThrough = next;
            if (!sliding.isEmpty()) {
                windowsEmitted++;
                listener.window(next - spec.lengthMillis(), next, sliding.window(), sliding.late());
            }
        }
    }
}
