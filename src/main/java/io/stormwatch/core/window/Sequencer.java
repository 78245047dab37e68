package io.stormwatch.core.window;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Puts the blocks of each channel (spout task) back into the order the channel emitted them, after they
 * went through several parse tasks: {@link #offer} takes blocks in any order and hands out, in order, those
 * whose predecessors have all been handed out. Blocks carry a {@link BlockPosition}.
 *
 * <ul>
 *   <li>A block whose position was handed out before (a replay after a failure downstream) is dropped.</li>
 *   <li>A block emitted again as single-line parts stands complete once every part has arrived, and its parts
 *       are handed out in part order; if the whole block turns up as well, the first complete one wins.</li>
 *   <li>A new epoch of a channel (the spout task was restarted) starts again from block 0; blocks of an epoch
 *       seen before arriving later are dropped — the restarted task reads their lines again. What the old epoch
 *       had waiting behind a gap is dropped too when its blocks are {@link BlockPosition#replayable replayable}:
 *       none of it was taken, so the new epoch reads all of it again, after the gap's lines and in their order
 *       (handing it out first would put the gap's lines behind it, and make them late). A socket's, which no one
 *       reads again, is handed out, in order. Epochs are told apart, not ordered: a clock set back between two
 *       runs of a spout task does not make the new run look old.</li>
 *   <li>A block that never arrives (lost with a worker until its replay, or for good: a socket cannot
 *       replay) holds back its channel's later blocks; once more than {@code maxWaiting} blocks of a channel
 *       wait behind such a gap, or the first of them has waited {@link #skipGapsWaitingSince longer than
 *       allowed} (a patience per kind of channel: one that replays may take a few message timeouts), the gap is
 *       skipped, and the missing block, should it come after all, is handed out on arrival, out of order —
 *       whole, or part by part when it comes in parts. A block that had only some of its parts when its gap was
 *       skipped goes out with those, and its other parts follow on arrival.</li>
 * </ul>
 *
 * Example: blocks 0, 2, 1 arrive → offer(0) gives [0], offer(2) gives [], offer(1) gives [1, 2]; offer(1)
 * again gives [] (and is handed to the {@code dropped} callback). Not thread-safe.
 *
 * <p><b>Checkpoints.</b> What each channel handed out — its epoch, the next block it waits for, its past
 * epochs — can be written to a key-value state and read back ({@link #checkpoint}, {@link #load}: one
 * {@code long[]} entry {@code s:<channel>} per channel). Blocks waiting behind a gap are not written: whoever
 * offered them must not take them as done before they are handed out (their tuples are acked then, and are
 * replayed after a restart).
 *
 * @param <T> what is sequenced (the window bolt's blocks)
 */
public final class Sequencer<T> {

    /** Blocks given up on that a channel remembers, to hand them out should they come after all. */
    private static final int MAX_GIVEN_UP = 10_000;

    static final String CHANNEL_PREFIX = "s:";

    private final int maxWaiting;
    private final Consumer<T> dropped;
    private final Map<Integer, Channel<T>> channels = new HashMap<>();
    private final Map<Integer, long[]> stored = new HashMap<>();
    private long gapsSkipped;

    public Sequencer(int maxWaiting) {
        this(maxWaiting, block -> { });
    }

    /** @param dropped receives every block dropped (handed out before, or of a past epoch): it is done with */
    public Sequencer(int maxWaiting, Consumer<T> dropped) {
        if (maxWaiting < 1) {
            throw new IllegalArgumentException("maxWaiting must be positive, got " + maxWaiting);
        }
        this.maxWaiting = maxWaiting;
        this.dropped = dropped;
    }

    /** Takes a block of {@code channel} at {@code position}; returns the blocks now due, in order. */
    public List<T> offer(int channel, BlockPosition position, T block) {
        return offer(channel, position, block, 0);
    }

    /**
     * Takes a block of {@code channel} at {@code position}, arriving at {@code nowMillis} (what
     * {@link #skipGapsWaitingSince} compares with); returns the blocks now due, in order.
     */
    public List<T> offer(int channel, BlockPosition position, T block, long nowMillis) {
        List<T> due = new ArrayList<>();
        Channel<T> state = channels.get(channel);
        if (state == null || position.epoch() != state.epoch) {
            if (state != null && state.pastEpochs.contains(position.epoch())) {
                dropped.accept(block);
                return due;
            }
            Channel<T> next = new Channel<>(position.epoch(), dropped);
            if (state != null) {
                if (state.replayable) {
                    state.dropAll();
                } else {
                    state.releaseAll(due);
                }
                next.pastEpochs.addAll(state.pastEpochs);
                next.pastEpochs.add(state.epoch);
            }
            state = next;
            channels.put(channel, state);
        }
        state.replayable = position.replayable();
        state.offer(position, block, due, nowMillis);
        if (state.waiting.size() > maxWaiting) {
            gapsSkipped++;
            state.skipGap(due);
        }
        return due;
    }

    /**
     * Hands out everything still waiting, channel by channel in order, skipping gaps: the end of the input.
     * Afterwards blocks handed out are dropped and stragglers handed out on arrival, as after any skipped gap.
     */
    public List<T> drain() {
        List<T> due = new ArrayList<>();
        for (Channel<T> state : channels.values()) {
            // Skipping gap after gap (not just emptying the queue) moves the channel past what it hands out, so
            // that a replay of it is dropped and a straggler of a skipped gap still goes out on arrival.
            while (!state.waiting.isEmpty()) {
                state.skipGap(due);
            }
        }
        return due;
    }

    /**
     * Gives up on every gap whose first waiting block arrived at or before its channel's cut-off, and returns what
     * that hands out, in order per channel: a block lost for good (a socket's) must not hold its channel's windows
     * back for ever. Call it from a timer with {@code now − patience}, a patience per kind of channel: gaps of
     * channels whose blocks are lost for good when lost downstream (a socket's) are given up if they wait since
     * {@code unreplayableMillis}, those of channels that replay since {@code replayableMillis} — a replay may come
     * only after a few message timeouts, and giving up on it before makes its lines late.
     */
    public List<T> skipGapsWaitingSince(long unreplayableMillis, long replayableMillis) {
        List<T> due = new ArrayList<>();
        for (Channel<T> state : channels.values()) {
            long millis = state.replayable ? replayableMillis : unreplayableMillis;
            while (!state.waiting.isEmpty() && state.waiting.firstEntry().getValue().arrivedMillis <= millis) {
                gapsSkipped++;
                state.skipGap(due);
            }
        }
        return due;
    }

    /**
     * Takes back the block at {@code position} of {@code channel}, handed out last: its taker refused it (its
     * lines come again as single-line parts), so the channel waits for it again. Blocks of the channel handed
     * out with it but after it must be {@link #offer offered} again.
     */
    public void rewind(int channel, BlockPosition position) {
        Channel<T> state = channels.get(channel);
        if (state != null && state.epoch == position.epoch() && position.seq() < state.next) {
            state.next = position.seq();
        }
    }

    /** Adds to {@code puts} each channel whose progress changed since the last checkpoint (see the class comment). */
    public void checkpoint(Map<String, Object> puts) {
        channels.forEach((id, state) -> {
            long[] entry = new long[2 + state.pastEpochs.size()];
            entry[0] = state.epoch;
            entry[1] = state.next;
            int i = 2;
            for (long past : new TreeSet<>(state.pastEpochs)) {
                entry[i++] = past;
            }
            if (!java.util.Arrays.equals(entry, stored.get(id))) {
                puts.put(CHANNEL_PREFIX + id, entry);
                stored.put(id, entry);
            }
        });
    }

    /**
     * Replaces every channel's progress with what a state's {@code entries} hold (keys not of this class are
     * ignored); returns the blocks that were waiting, which the caller offered but never got back.
     */
    public List<T> load(Map<String, Object> entries) {
        List<T> waiting = new ArrayList<>();
        channels.values().forEach(state -> state.waiting.values().forEach(slot -> slot.all(waiting)));
        channels.clear();
        stored.clear();
        entries.forEach((key, value) -> {
            if (key.startsWith(CHANNEL_PREFIX) && value instanceof long[] entry) {
                int id = Integer.parseInt(key.substring(CHANNEL_PREFIX.length()));
                Channel<T> state = new Channel<>(entry[0], dropped);
                state.next = entry[1];
                for (int i = 2; i < entry.length; i++) {
                    state.pastEpochs.add(entry[i]);
                }
                channels.put(id, state);
                stored.put(id, entry);
            }
        });
        return waiting;
    }

    /** Blocks waiting behind a gap, over all channels. */
    public int waiting() {
        int waiting = 0;
        for (Channel<T> state : channels.values()) {
            waiting += state.waiting.size();
        }
        return waiting;
    }

    /** The channels with blocks waiting behind a gap: not idle, though nothing of theirs is handed out. */
    public List<Integer> channelsWaiting() {
        List<Integer> ids = new ArrayList<>();
        channels.forEach((id, state) -> {
            if (!state.waiting.isEmpty()) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** How many times a gap was given up on. */
    public long gapsSkipped() {
        return gapsSkipped;
    }

    private static final class Channel<T> {
        final long epoch;
        /** Epochs this channel had before: their blocks, should any still arrive, are dropped. */
        final Set<Long> pastEpochs = new HashSet<>();
        long next;
        /** As the channel's last block said ({@link BlockPosition#replayable}); true until one arrives. */
        boolean replayable = true;
        final TreeMap<Long, Slot<T>> waiting = new TreeMap<>();
        /**
         * Blocks given up on — missing from a skipped gap, or handed out with parts missing — with the parts of
         * each handed out so far (none for a block that never arrived): what of them may still go out on arrival.
         */
        final Map<Long, BitSet> givenUp = new HashMap<>();

        final Consumer<T> dropped;

        Channel(long epoch, Consumer<T> dropped) {
            this.epoch = epoch;
            this.dropped = dropped;
        }

        void offer(BlockPosition position, T block, List<T> due, long nowMillis) {
            long seq = position.seq();
            if (seq < next) {
                handOutStraggler(position, block, due);
                return;
            }
            Slot<T> slot = waiting.computeIfAbsent(seq, s -> new Slot<>(nowMillis));
            slot.put(position, block);
            releaseReady(due);
        }

        void releaseReady(List<T> due) {
            while (!waiting.isEmpty() && waiting.firstKey() == next && waiting.firstEntry().getValue().complete()) {
                waiting.pollFirstEntry().getValue().releaseTo(due, dropped);
                next++;
            }
        }

        /**
         * A block given up on turned up after all (better late than never): a whole one goes out unless some of
         * its parts did; a part goes out unless it did. Anything else behind {@code next} was handed out before.
         */
        void handOutStraggler(BlockPosition position, T block, List<T> due) {
            BitSet partsOut = givenUp.get(position.seq());
            if (partsOut == null) {
                dropped.accept(block);
                return;
            }
            if (position.isWhole()) {
                if (partsOut.isEmpty()) {
                    due.add(block);
                    givenUp.remove(position.seq());
                } else {
                    dropped.accept(block); // some of its parts went out already; the whole would count them twice
                }
                return;
            }
            if (!partsOut.get(position.part())) {
                partsOut.set(position.part());
                due.add(block);
                if (partsOut.cardinality() == position.parts()) {
                    givenUp.remove(position.seq());
                }
            } else {
                dropped.accept(block);
            }
        }

        /** Gives up on the blocks missing before the first waiting one, and hands out what follows. */
        void skipGap(List<T> due) {
            long first = waiting.firstKey();
            for (long seq = next; seq < first && givenUp.size() < MAX_GIVEN_UP; seq++) {
                givenUp.put(seq, new BitSet());
            }
            Slot<T> firstSlot = waiting.firstEntry().getValue();
            if (!firstSlot.complete()) {
                firstSlot.releaseTo(due, dropped);
                if (givenUp.size() < MAX_GIVEN_UP) {
                    givenUp.put(first, firstSlot.partsArrived());
                }
                waiting.pollFirstEntry();
                first++;
            }
            next = first;
            releaseReady(due);
        }

        /** Everything waiting is done with, unused: its lines come again (a replayable channel's next epoch). */
        void dropAll() {
            List<T> all = new ArrayList<>();
            waiting.values().forEach(slot -> slot.all(all));
            waiting.clear();
            all.forEach(dropped);
        }

        void releaseAll(List<T> due) {
            for (Iterator<Slot<T>> slots = waiting.values().iterator(); slots.hasNext(); ) {
                slots.next().releaseTo(due, dropped);
                slots.remove();
            }
        }
    }

    /**
     * One block position: the whole block, or the parts that arrived of it, and the copies of them that came
     * more than once (a replay of a block still waiting): those are dropped when the slot is handed out.
     */
    private static final class Slot<T> {
        /** When the first of it arrived. */
        final long arrivedMillis;
        T whole;
        Object[] parts;
        int partsArrived;
        final List<T> copies = new ArrayList<>(0);

        Slot(long arrivedMillis) {
            this.arrivedMillis = arrivedMillis;
        }

        @SuppressWarnings("unchecked")
        void put(BlockPosition position, T block) {
            if (whole != null || complete()) {
                copies.add(block);
                return;
            }
            if (position.isWhole()) {
                whole = block;
                partsToCopies(); // the parts that came first are in the whole
                return;
            }
            if (parts == null || parts.length != position.parts()) {
                partsToCopies();
                parts = new Object[position.parts()];
                partsArrived = 0;
            }
            if (parts[position.part()] == null) {
                parts[position.part()] = block;
                partsArrived++;
            } else {
                copies.add(block);
            }
        }

        @SuppressWarnings("unchecked")
        private void partsToCopies() {
            if (parts != null) {
                for (Object part : parts) {
                    if (part != null) {
                        copies.add((T) part);
                    }
                }
                parts = null;
                partsArrived = 0;
            }
        }

        boolean complete() {
            return whole != null || (parts != null && partsArrived == parts.length);
        }

        /** Which parts arrived (of an incomplete block). */
        BitSet partsArrived() {
            BitSet arrived = new BitSet();
            for (int p = 0; parts != null && p < parts.length; p++) {
                arrived.set(p, parts[p] != null);
            }
            return arrived;
        }

        /** Hands out the block (or its parts) and drops the copies. */
        @SuppressWarnings("unchecked")
        void releaseTo(List<T> due, Consumer<T> dropped) {
            if (whole != null) {
                due.add(whole);
            } else if (parts != null) {
                for (Object part : parts) {
                    if (part != null) {
                        due.add((T) part);
                    }
                }
            }
            copies.forEach(dropped);
        }

        /** Everything it holds, copies included (when the sequencer is reset). */
        @SuppressWarnings("unchecked")
        void all(List<T> into) {
            releaseTo(into, into::add);
        }
    }
}
