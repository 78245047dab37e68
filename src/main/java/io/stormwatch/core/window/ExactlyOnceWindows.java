package io.stormwatch.core.window;

import io.stormwatch.core.agg.TallySchema;
import io.stormwatch.core.totals.CountedRanges;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The window bolt's engine, framework-free: counted blocks in, in any order and with replays; each line in
 * the windows exactly once, in its channel's order; everything that decides the windows to come written to a
 * key-value state at a checkpoint and read back after a crash or a rollback. It joins the three parts:
 * <ol>
 *   <li>a {@link Sequencer} puts each channel's blocks back in order (and drops positions handed out before);</li>
 *   <li>{@link CountedRanges} knows which lines of each source are in the windows, so a line read again by a
 *       restarted spout (a new epoch, other block boundaries) is not counted twice;</li>
 *   <li>a {@link WindowAssembler} makes the windows.</li>
 * </ol>
 *
 * <p><b>Handles.</b> Each block comes with its caller's handle (the bolt's tuple). The engine tells when it is
 * done with a block — {@link Handles#done}: in the windows, or known to be — and when it refuses one —
 * {@link Handles#refused}: some of its lines are in the windows and some not (a restarted spout cut its
 * blocks elsewhere); the caller has it emitted again line by line (a Storm spout does so for a failed block),
 * and the channel waits for those lines before going on. A block waiting behind a gap is neither: the caller
 * must not take it as done, since a checkpoint does not hold it.
 *
 * <p><b>Exactly once</b>, with a caller that (1) writes {@link #checkpoint} to its state atomically with the
 * acknowledgement of the blocks done since the previous one, (2) after a crash or a rollback {@link #load}s
 * the last checkpoint and gets every block not acknowledged by it again (in any order, whole or in parts,
 * with the same channel positions and source offsets, or from a restarted channel in a new epoch), and (3)
 * keeps only the first copy of a window it has output before (windows come in end order, so a sink keeps the
 * last end it wrote): then the windows are those of one run without failures. In event time only: in
 * processing time every block goes into the pane of its arrival, a replay too (at least once).
 *
 * <p>Not thread-safe.
 *
 * @param <H> the caller's handle for a block
 */
public final class ExactlyOnceWindows<H> {

    /** What the engine did with the blocks handed to it. */
    public interface Handles<H> {
        /** The block's lines are in the windows (now, or before: a replay). */
        void done(H handle);

        /** The block is partly in the windows already: emit its lines again one by one. */
        void refused(H handle);
    }

    private record Pending<H>(BlockPanes block, H handle) {}

    private final boolean eventTime;
    private final WindowAssembler assembler;
    private final CountedRanges counted;
    private final Sequencer<Pending<H>> sequencer;
    private final Handles<H> handles;
    private final List<Integer> expected = new ArrayList<>();
    /** Blocks the sequencer dropped during the current call, settled at its end ({@link #settleDrops}). */
    private final List<Pending<H>> drops = new ArrayList<>();

    /**
     * @param eventTime          blocks go into the panes of their lines' event times; else into the pane of
     *                           their arrival
     * @param maxWaiting         blocks of a channel that may wait behind a missing one before it is given up
     * @param retireGraceMillis  how long a retired source is still recognised
     */
    public ExactlyOnceWindows(boolean eventTime, WindowAssembler assembler, int maxWaiting, long retireGraceMillis,
            Handles<H> handles) {
        this.eventTime = eventTime;
        this.assembler = assembler;
        this.handles = handles;
        this.counted = new CountedRanges(retireGraceMillis);
        this.sequencer = new Sequencer<>(maxWaiting, drops::add);
    }

    /** The channels that will send blocks ({@link WindowAssembler#expect}). */
    public void expect(Collection<Integer> channelIds) {
        expected.addAll(channelIds);
        assembler.expect(channelIds);
    }

    /** Takes a block arriving at {@code nowMillis}. */
    public void offer(BlockPanes block, H handle, long nowMillis) {
        if (eventTime) {
            // The channel sent a block, whether it goes in now or waits behind a missing one.
            assembler.stillSending(block.channel(), nowMillis);
            apply(sequencer.offer(block.channel(), block.position(), new Pending<>(block, handle), nowMillis), nowMillis);
        } else {
            // At least once: a replay goes into the pane of its new arrival, as any block does.
            assembler.acceptAt(block, nowMillis);
            handles.done(handle);
        }
    }

    /**
     * A timer: gives up on blocks missing since {@code giveUpLostMillis} in channels that cannot replay (a
     * socket's) and since {@code giveUpReplayedMillis} in those that do ({@link Sequencer#skipGapsWaitingSince}),
     * and lets idle channels go.
     */
    public void tick(long nowMillis, long giveUpLostMillis, long giveUpReplayedMillis) {
        if (eventTime) {
            apply(sequencer.skipGapsWaitingSince(giveUpLostMillis, giveUpReplayedMillis), nowMillis);
            keepWaitingChannelsAlive(nowMillis);
            assembler.tick(nowMillis);
        } else {
            assembler.advanceClock(nowMillis);
        }
    }

    /** A channel sent its end of input. */
    public void finish(int channel) {
        assembler.finish(channel);
    }

    /** Every channel sent its end of input: what still waits goes in, and every window is out. */
    public void finishAll(long nowMillis) {
        if (eventTime) {
            apply(sequencer.drain(), nowMillis);
        }
        assembler.finishAll();
    }

    /** {@code source} will never be read again: forget its ranges after the grace period. */
    public void retire(String source, long nowMillis) {
        counted.retire(source, nowMillis);
    }

    /** Everything to write since the last checkpoint. */
    public void checkpoint(long nowMillis, Map<String, Object> puts, List<String> deletes) {
        assembler.checkpoint(puts, deletes);
        counted.checkpoint(nowMillis, puts, deletes);
        sequencer.checkpoint(puts);
    }

    /**
     * Goes back to what a state's {@code entries} hold: the last checkpoint. Returns the handles of the blocks
     * that were waiting: the caller fails them, so that they come again.
     */
    public List<H> load(Map<String, Object> entries, long nowMillis) {
        List<H> waiting = new ArrayList<>();
        sequencer.load(entries).forEach(pending -> waiting.add(pending.handle()));
        counted.clear();
        entries.forEach(counted::load);
        assembler.load(entries, nowMillis);
        assembler.expect(expected);
        return waiting;
    }

    public WindowAssembler assembler() {
        return assembler;
    }

    /** Sources whose ranges are remembered. */
    public int sourceCount() {
        return counted.sourceCount();
    }

    private void keepWaitingChannelsAlive(long nowMillis) {
        for (int channel : sequencer.channelsWaiting()) {
            assembler.stillSending(channel, nowMillis);
        }
    }

    /**
     * Every call to the sequencer goes through here: the blocks it hands out go into the windows, in order,
     * and then the blocks it dropped are settled.
     */
    private void apply(List<Pending<H>> due, long nowMillis) {
        Map<Integer, BlockPosition> refused = new HashMap<>();
        handOut(due, refused, nowMillis);
        settleDrops(refused, nowMillis);
    }

    /**
     * A dropped block is done — its lines are in the windows, or will be read again — except a copy of a block
     * that went back in line here: a copy of a refused block is refused with it, and a copy of one behind it
     * goes back in line with it, to be dropped (and done) when its block is taken. Done now, it would be
     * acknowledged with the next checkpoint while its block, still waiting, is not in it; after a crash nothing
     * would replay the block.
     */
    private void settleDrops(Map<Integer, BlockPosition> refused, long nowMillis) {
        while (!drops.isEmpty()) {
            List<Pending<H>> settling = new ArrayList<>(drops);
            drops.clear();
            for (Pending<H> drop : settling) {
                BlockPosition position = drop.block().position();
                BlockPosition back = refused.get(drop.block().channel());
                boolean backInLine = back != null && position.epoch() == back.epoch() && position.seq() >= back.seq();
                if (backInLine && position.seq() == back.seq()) {
                    handles.refused(drop.handle());
                } else if (backInLine) {
                    handOut(sequencer.offer(drop.block().channel(), position, drop, nowMillis), refused, nowMillis);
                } else {
                    handles.done(drop.handle());
                }
            }
        }
    }

    private void handOut(List<Pending<H>> due, Map<Integer, BlockPosition> refused, long nowMillis) {
        for (Pending<H> pending : due) {
            BlockPanes block = pending.block();
            if (refused.containsKey(block.channel())) {
                // Its channel waits for a refused block's lines: this one goes back in line behind them.
                handOut(sequencer.offer(block.channel(), block.position(), pending, nowMillis), refused, nowMillis);
                continue;
            }
            switch (counted.add(block.source(), block.offset(), block.nextOffset())) {
                case COUNTED -> {
                    assembler.accept(block, nowMillis);
                    handles.done(pending.handle());
                }
                case REPEAT -> handles.done(pending.handle());
                case PARTLY_COUNTED -> {
                    if (block.lineCount() <= 1) {
                        // A single line overlapping counted ones breaks the spouts' contract; counting it could
                        // only count it twice (the totals do the same).
                        handles.done(pending.handle());
                    } else {
                        sequencer.rewind(block.channel(), block.position());
                        refused.put(block.channel(), block.position());
                        handles.refused(pending.handle());
                    }
                }
            }
        }
    }
}
