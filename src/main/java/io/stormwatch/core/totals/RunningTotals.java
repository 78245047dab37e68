package io.stormwatch.core.totals;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallySchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * All-time totals of a job, each block of lines counted exactly once, kept as key-value entries whose
 * checkpoint writes only what changed: the engine of the totals bolt, framework-free.
 *
 * <p><b>Exactly once.</b> Each block occupies {@code [offset, nextOffset)} of its source; per source an
 * {@link CountedRanges} holds what is counted. {@link #add} counts a block whose range is new and answers
 * {@code REPEAT} for one already counted (a replay) and {@code PARTLY_COUNTED} for one partly counted (not
 * counted: its caller has it emitted again line by line, and each line is then either counted or a repeat).
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

    /** A checkpoint's writes. */
    public record Changes(Map<String, Object> puts, List<String> deletes) {
        public boolean isEmpty() {
            return puts.isEmpty() && deletes.isEmpty();
        }
    }

    static final String CELLS_KEY = "t";

    private final TallySchema schema;
    private Tally totals;
    private Tally changed;
    private final CountedRanges counted;

    /** @param retireGraceMillis how long a retired source's ranges are kept before they are forgotten */
    public RunningTotals(TallySchema schema, long retireGraceMillis) {
        this.schema = schema;
        this.counted = new CountedRanges(retireGraceMillis);
        reset();
    }

    private void reset() {
        totals = schema.newTally();
        changed = schema.newTally();
    }

    /** Counts the block {@code [offset, nextOffset)} of {@code source} with its tallies, unless counted before. */
    public CountedRanges.Outcome add(String source, long offset, long nextOffset, Tally... tallies) {
        CountedRanges.Outcome outcome = counted.add(source, offset, nextOffset);
        if (outcome != CountedRanges.Outcome.COUNTED) {
            return outcome;
        }
        for (Tally tally : tallies) {
            totals.merge(tally);
            changed.merge(tally);
        }
        return outcome;
    }

    /** The totals so far: read them, do not change them. */
    public Tally totals() {
        return totals;
    }

    /** Sources whose ranges are remembered. */
    public int sourceCount() {
        return counted.sourceCount();
    }

    /** Forgets {@code source}'s ranges {@code retireGraceMillis} after {@code nowMillis}. */
    public void retire(String source, long nowMillis) {
        counted.retire(source, nowMillis);
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
        List<String> deletes = new ArrayList<>();
        counted.checkpoint(nowMillis, puts, deletes);
        changed = schema.newTally();
        return new Changes(puts, List.copyOf(deletes));
    }

    /**
     * Replaces everything with what {@code entries} hold (a state's entries; keys that are not ours are
     * ignored), e.g. after a restart or a rollback. Nothing counts as changed afterwards.
     */
    public void load(Iterator<Map.Entry<String, Object>> entries) {
        reset();
        counted.clear();
        long[] cells = null;
        while (entries.hasNext()) {
            Map.Entry<String, Object> entry = entries.next();
            String key = entry.getKey();
            if (key.equals(CELLS_KEY)) {
                cells = (long[]) entry.getValue();
            } else if (counted.load(key, entry.getValue())) {
                continue;
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
