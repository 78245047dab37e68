package io.stormwatch.core.totals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which lines of each source are counted already, as ranges {@code [offset, nextOffset)} per source
 * ({@link OffsetSet}): what makes counting exactly once, for the running totals and for the windows alike. A
 * block is {@link Outcome#COUNTED} when its range is new, a {@link Outcome#REPEAT} when it is counted (a
 * replay), and {@link Outcome#PARTLY_COUNTED} when it overlaps counted lines but is not covered by them (a
 * restarted spout cut its blocks elsewhere): then nothing of it is counted, and its caller has it emitted again
 * line by line, each line then counted or a repeat.
 *
 * <p>Kept in a key-value state as one entry per source, written when the source changed:
 * <pre>
 * o:&lt;source&gt;   OffsetSet  the counted ranges of a source
 * r:&lt;source&gt;   Long       when the source was retired (epoch ms), until it is forgotten
 * </pre>
 * A source that can never be read again (a spool file marked done, a closed connection) is {@link #retire
 * retired}: its ranges are forgotten after a grace period, during which a stray replay is still recognised.
 *
 * <p>Not thread-safe.
 */
public final class CountedRanges {

    /** What {@link #add} made of a block. */
    public enum Outcome {
        /** New: to be counted. */
        COUNTED,
        /** Counted before: to be skipped. */
        REPEAT,
        /** Some of its lines were counted before, some not: skipped, to be emitted again line by line. */
        PARTLY_COUNTED
    }

    static final String OFFSETS_PREFIX = "o:";
    static final String RETIRED_PREFIX = "r:";

    private final long retireGraceMillis;
    private final Map<String, OffsetSet> offsets = new HashMap<>();
    private final Set<String> changedSources = new HashSet<>();
    private final Map<String, Long> retiring = new LinkedHashMap<>();
    private final Map<String, Long> newlyRetired = new LinkedHashMap<>();
    private final List<String> toDelete = new ArrayList<>();

    /** @param retireGraceMillis how long a retired source's ranges are kept before they are forgotten */
    public CountedRanges(long retireGraceMillis) {
        this.retireGraceMillis = retireGraceMillis;
    }

    /** Marks {@code [offset, nextOffset)} of {@code source} counted if none of it was; says what it was. */
    public Outcome add(String source, long offset, long nextOffset) {
        OffsetSet counted = offsets.computeIfAbsent(source, s -> new OffsetSet());
        if (!counted.add(offset, nextOffset)) {
            return counted.covers(offset, nextOffset) ? Outcome.REPEAT : Outcome.PARTLY_COUNTED;
        }
        changedSources.add(source);
        return Outcome.COUNTED;
    }

    /** Sources whose ranges are remembered. */
    public int sourceCount() {
        return offsets.size();
    }

    /** Forgets {@code source}'s ranges {@code retireGraceMillis} after {@code nowMillis}. */
    public void retire(String source, long nowMillis) {
        if (offsets.containsKey(source) && !retiring.containsKey(source)) {
            retiring.put(source, nowMillis);
            newlyRetired.put(source, nowMillis);
        }
    }

    /** Adds to {@code puts} and {@code deletes} what changed since the last checkpoint; then starts over. */
    public void checkpoint(long nowMillis, Map<String, Object> puts, List<String> deletes) {
        for (String source : changedSources) {
            OffsetSet ranges = offsets.get(source);
            if (ranges != null) {
                puts.put(OFFSETS_PREFIX + source, ranges.copy());
            }
        }
        // Retirement is kept in the state too, so that a restart within the grace period still forgets the source.
        newlyRetired.forEach((source, since) -> puts.put(RETIRED_PREFIX + source, since));
        newlyRetired.clear();
        for (Iterator<Map.Entry<String, Long>> due = retiring.entrySet().iterator(); due.hasNext(); ) {
            Map.Entry<String, Long> source = due.next();
            if (nowMillis - source.getValue() >= retireGraceMillis) {
                offsets.remove(source.getKey());
                for (String key : List.of(OFFSETS_PREFIX + source.getKey(), RETIRED_PREFIX + source.getKey())) {
                    puts.remove(key);
                    toDelete.add(key);
                }
                due.remove();
            }
        }
        deletes.addAll(toDelete);
        toDelete.clear();
        changedSources.clear();
    }

    /** Forgets everything (before a {@link #load} of every entry of a state). */
    public void clear() {
        offsets.clear();
        changedSources.clear();
        retiring.clear();
        newlyRetired.clear();
        toDelete.clear();
    }

    /** Takes one entry of a state if it is one of ours; false when it is not. */
    public boolean load(String key, Object value) {
        if (key.startsWith(OFFSETS_PREFIX) && value instanceof OffsetSet ranges) {
            offsets.put(key.substring(OFFSETS_PREFIX.length()), ranges.copy());
            return true;
        }
        if (key.startsWith(RETIRED_PREFIX) && value instanceof Long since) {
            retiring.put(key.substring(RETIRED_PREFIX.length()), since);
            return true;
        }
        return false;
    }
}
