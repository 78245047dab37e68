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

/**
 * Puts the blocks of each channel (spout task) back into the order the channel emitted them, after they
 * went through several parse tasks: {@link #offer} takes blocks in any order and hands out, in order, those
 * whose predecessors have all been handed out. Blocks carry a {@link BlockPosition}.
 *
 * <ul>
 *   <li>A block whose position was handed out before (a replay after a failure downstream) is dropped.</li>
 *   <li>A block emitted again as single-line parts stands complete once every part has arrived, and its parts
 *       are handed out in part order; if the whole block turns up as well, the first complete one wins.</li>
 *   <li>A new epoch of a channel (the spout task was restarted) hands out what the old epoch had waiting, in
 *       order, and starts again from block 0; blocks of an epoch seen before arriving later are dropped — the
 *       restarted task reads their lines again. Epochs are told apart, not ordered: a clock set back between
 *       two runs of a spout task does not make the new run look old.</li>
 *   <li>A block that never arrives (lost with a worker until its replay, or for good: a socket cannot
 *       replay) holds back its channel's later blocks; once more than {@code maxWaiting} blocks of a channel
 *       wait behind such a gap, or the first of them has waited {@link #skipGapsWaitingSince longer than
 *       allowed}, the gap is skipped, and the missing block, should it come after all, is handed out on
 *       arrival, out of order — whole, or part by part when it comes in parts. A block that had only some of
 *       its parts when its gap was skipped goes out with those, and its other parts follow on arrival.</li>
 * </ul>
 *
 * Example: blocks 0, 2, 1 arrive → offer(0) gives [0], offer(2) gives [], offer(1) gives [1, 2]; offer(1)
 * again gives []. Not thread-safe.
 *
 * @param <T> what is sequenced (the window bolt's blocks)
 */
public final class Sequencer<T> {

    /** Blocks given up on that a channel remembers, to hand them out should they come after all. */
    private static final int MAX_GIVEN_UP = 10_000;

    private final int maxWaiting;
    private final Map<Integer, Channel<T>> channels = new HashMap<>();
    private long gapsSkipped;

    public Sequencer(int maxWaiting) {
        if (maxWaiting < 1) {
            throw new IllegalArgumentException("maxWaiting must be positive, got " + maxWaiting);
        }
        this.maxWaiting = maxWaiting;
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
                return due;
            }
            Channel<T> next = new Channel<>(position.epoch());
            if (state != null) {
                state.releaseAll(due);
                next.pastEpochs.addAll(state.pastEpochs);
                next.pastEpochs.add(state.epoch);
            }
            state = next;
            channels.put(channel, state);
        }
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
     * Gives up on every gap whose first waiting block arrived at or before {@code millis}, and returns what that
     * hands out, in order per channel: a block lost for good (a socket's) must not hold its channel's windows
     * back for ever. Call it from a timer with {@code now − patience}.
     */
    public List<T> skipGapsWaitingSince(long millis) {
        List<T> due = new ArrayList<>();
        for (Channel<T> state : channels.values()) {
            while (!state.waiting.isEmpty() && state.waiting.firstEntry().getValue().arrivedMillis <= millis) {
                gapsSkipped++;
                state.skipGap(due);
            }
        }
        return due;
    }

    /** Blocks waiting behind a gap, over all channels. */
    public int waiting() {
        int waiting = 0;
        for (Channel<T> state : channels.values()) {
            waiting += state.waiting.size();
        }
        return waiting;
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
        final TreeMap<Long, Slot<T>> waiting = new TreeMap<>();
        /**
         * Blocks given up on — missing from a skipped gap, or handed out with parts missing — with the parts of
         * each handed out so far (none for a block that never arrived): what of them may still go out on arrival.
         */
        final Map<Long, BitSet> givenUp = new HashMap<>();

        Channel(long epoch) {
            this.epoch = epoch;
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
                waiting.pollFirstEntry().getValue().releaseTo(due);
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
                return;
            }
            if (position.isWhole()) {
                if (partsOut.isEmpty()) {
                    due.add(block);
                    givenUp.remove(position.seq());
                }
                // else: some of its parts went out already; the whole would count them twice
                return;
            }
            if (!partsOut.get(position.part())) {
                partsOut.set(position.part());
                due.add(block);
                if (partsOut.cardinality() == position.parts()) {
                    givenUp.remove(position.seq());
                }
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
                firstSlot.releaseTo(due);
                if (givenUp.size() < MAX_GIVEN_UP) {
                    givenUp.put(first, firstSlot.partsArrived());
                }
                waiting.pollFirstEntry();
                first++;
            }
            next = first;
            releaseReady(due);
        }

        void releaseAll(List<T> due) {
            for (Iterator<Slot<T>> slots = waiting.values().iterator(); slots.hasNext(); ) {
                slots.next().releaseTo(due);
                slots.remove();
            }
        }
    }

    /** One block position: the whole block, or the parts that arrived of it. */
    private static final class Slot<T> {
        /** When the first of it arrived. */
        final long arrivedMillis;
        T whole;
        Object[] parts;
        int partsArrived;

        Slot(long arrivedMillis) {
            this.arrivedMillis = arrivedMillis;
        }

        void put(BlockPosition position, T block) {
            if (whole != null || complete()) {
                return;
            }
            if (position.isWhole()) {
                whole = block;
                return;
            }
            if (parts == null || parts.length != position.parts()) {
                parts = new Object[position.parts()];
                partsArrived = 0;
            }
            if (parts[position.part()] == null) {
                parts[position.part()] = block;
                partsArrived++;
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

        @SuppressWarnings("unchecked")
        void releaseTo(List<T> due) {
            if (whole != null) {
                due.add(whole);
            } else if (parts != null) {
                for (Object part : parts) {
                    if (part != null) {
                        due.add((T) part);
                    }
                }
            }
        }
    }
}
