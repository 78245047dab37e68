package io.stormwatch.core.totals;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallySchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * All-time totals of a job, each block of lines counted exactly once, kept as key-value entries whose
 * checkpoint writes only what changed: the engine of the totals bolt, framework-free.
 *
 * <p><b>Exactly once.</b> Each block occupies {@code [offset, nextOffset)} of its source; per source an
 * {@link OffsetSet} holds what is counted. {@link #add} counts a block whose range is new and answers
 * {@link Outcome#REPEAT} for one already counted (a replay). A block that is partly counted
 * ({@link Outcome#PARTLY_COUNTED}: a restarted spout cut its blocks elsewhere than the run before) is not
 * counted: its caller has it emitted again line by line, and each line is then either counted or a repeat.
 *
 * <p><b>Entries.</b> The totals live in a key-value state as small entries, so that a checkpoint writes the
 * entries that changed since the previous one — its cost follows what changed, not how many keys exist:
 * <pre>
 * t                 long[]     the tally's cells (records, rejected, the job's sums, minima, maxima)
 * t&lt;dim&gt;:&lt;key&gt;      Long       one count of a dimension, e.g. "t2:/index.html" → 1042, "t1:404" → 77
 * o:&lt;source&gt;         OffsetSet  the counted ranges of a source
 * r:&lt;source&gt;         Long       when the source was retired (epoch ms), until it is forgotten
 * </pre>
 * {@link #checkpoint} returns the entries to put and delete; {@link #load} rebuilds everything from the
 * entries of a state (after a restart or a rollback).
 *
 * <p><b>Retiring sources.</b> A source that can never be read again (a spool file marked done, a rotated
 * file, a closed connection) need not be remembered forever: {@link #retire} forgets its ranges after a
 * grace period, during which a stray replay of it is still recognised.
 *
 * <p>Not thread-safe.
 */
public final class RunningTotals {

    /** What {@link #add} made of a block. */
    public enum Outcome {
        /** New: counted. */
        COUNTED,
        /** Counted before: skipped. */
        REPEAT,
        /** Some of its lines were counted before, some not: skipped, to be emitted again line by line. */
        PARTLY_COUNTED
    }

    /** A checkpoint's writes. */
    public record Changes(Map<String, Object> puts, List<String> deletes) {
        public boolean isEmpty() {
            return puts.isEmpty() && deletes.isEmpty();
        }
    }

    static final String CELLS_KEY = "t";
    static final String OFFSETS_PREFIX = "o:";
    static final String RETIRED_PREFIX = "r:";

    private final TallySchema schema;
    private final long retireGraceMillis;
    private Tally totals;
    private Tally changed;
    private Map<String, OffsetSet> offsets;
    private Set<String> changedSources;
    private final Map<String, Long> retiring = new LinkedHashMap<>();
    private final Map<String, Long> newlyRetired = new LinkedHashMap<>();
    private final List<String> toDelete = new ArrayList<>();

    /** @param retireGraceMillis how long a retired source's ranges are kept before they are forgotten */
    public RunningTotals(TallySchema schema, long retireGraceMillis) {
        this.schema = schema;
        this.retireGraceMillis = retireGraceMillis;
        reset();
    }

    private void reset() {
        totals = schema.newTally();
        changed = schema.newTally();
        offsets = new HashMap<>();
        changedSources = new HashSet<>();
    }

    /** Counts the block {@code [offset, nextOffset)} of {@code source} with its tallies, unless counted before. */
    public Outcome add(String source, long offset, long nextOffset, Tally... tallies) {
        OffsetSet counted = offsets.computeIfAbsent(source, s -> new OffsetSet());
        if (!counted.add(offset, nextOffset)) {
            return counted.covers(offset, nextOffset) ? Outcome.REPEAT : Outcome.PARTLY_COUNTED;
        }
        for (Tally tally : tallies) {
            totals.merge(tally);
            changed.merge(tally);
        }
        changedSources.add(source);
        return Outcome.COUNTED;
    }

    /** The totals so far: read them, do not change them. */
    public Tally totals() {
        return totals;
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

    /** Everything to write since the last checkpoint, as entries to put and keys to delete; then starts over. */
    public Changes checkpoint(long nowMillis) {
        Map<String, Object> puts = new HashMap<>();
        if (!changed.isEmpty()) {
            puts.put(CELLS_KEY, totals.cells());
            for (int d = 0; d < schema.dimCount(); d++) {
                int dim = d;
                changed.dim(d).forEach((key, n) -> puts.put(key(dim, key), totals.dim(dim).get(key)));
            }
        }
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
        Changes changes = new Changes(puts, List.copyOf(toDelete));
        toDelete.clear();
        changed = schema.newTally();
        changedSources = new HashSet<>();
        return changes;
    }

    /**
     * Replaces everything with what {@code entries} hold (a state's entries; keys that are not ours are
     * ignored), e.g. after a restart or a rollback. Nothing counts as changed afterwards.
     */
    public void load(Iterator<Map.Entry<String, Object>> entries) {
        reset();
        retiring.clear();
        newlyRetired.clear();
        toDelete.clear();
        long[] cells = null;
        while (entries.hasNext()) {
            Map.Entry<String, Object> entry = entries.next();
            String key = entry.getKey();
            if (key.equals(CELLS_KEY)) {
                cells = (long[]) entry.getValue();
            } else if (key.startsWith(OFFSETS_PREFIX)) {
                offsets.put(key.substring(OFFSETS_PREFIX.length()), ((OffsetSet) entry.getValue()).copy());
            } else if (key.startsWith(RETIRED_PREFIX) && entry.getValue() instanceof Long since) {
                retiring.put(key.substring(RETIRED_PREFIX.length()), since);
            } else if (dimOf(key) >= 0) { // not "t9:…" for a schema of 3 dimensions, nor "t2023-report"
                int colon = key.indexOf(':');
                int dim = Integer.parseInt(key, CELLS_KEY.length(), colon, 10);
                long count = (Long) entry.getValue();
                if (schema.keyType(dim) == TallySchema.KeyType.INT) {
                    totals.count(dim, Integer.parseInt(key, colon + 1, key.length(), 10), count);
                } else {
                    totals.count(dim, key.substring(colon + 1), count);
                }
            }
        }
        if (cells != null) {
            totals.restoreCells(cells);
        }
    }

    /** The dimension of a key entry {@code t<dim>:<key>} of this schema, or -1 when {@code key} is none. */
    private int dimOf(String key) {
        int colon = key.indexOf(':');
        if (!key.startsWith(CELLS_KEY) || colon <= CELLS_KEY.length() || colon > CELLS_KEY.length() + 3) {
            return -1;
        }
        int dim = 0;
        for (int i = CELLS_KEY.length(); i < colon; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            dim = dim * 10 + (c - '0');
        }
        return dim < schema.dimCount() ? dim : -1;
    }

    static String key(int dim, Object key) {
        return CELLS_KEY + dim + ':' + key;
    }
}
