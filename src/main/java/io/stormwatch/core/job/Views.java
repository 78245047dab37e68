package io.stormwatch.core.job;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stormwatch.core.agg.Tally;
import java.io.Serializable;
import java.time.Instant;

/**
 * What a job shows of a tally: the result of its aggregate, as all-time totals ({@code totals.json}, the batch
 * {@code --json} object) and per window ({@code windows.jsonl}, which adds {@code windowStart},
 * {@code windowEnd} and {@code late} to the same object). Views read the tally and never keep it: the engine
 * hands them live windows and totals and sends only what they render downstream, so a sink gets a small
 * result, not a copy of a tally with a million keys.
 */
public interface Views extends Serializable {

    /** The job's JSON object of {@code tally}: a new, mutable object (callers add keys after the job's). */
    ObjectNode json(Tally tally);

    /** One line for the log, e.g. {@code records=1200 rejected=3 codes={200=1100, 404=100}}. */
    String describe(Tally tally);

    /**
     * The JSON object of a window {@code (start, end]}: {@link #json} followed by {@code windowStart},
     * {@code windowEnd} (ISO-8601 UTC) and {@code late}. One method, so the stream and the batch oracle write
     * windows alike.
     */
    default ObjectNode windowJson(long start, long end, Tally tally, long late) {
        ObjectNode json = json(tally);
        json.put("windowStart", Instant.ofEpochMilli(start).toString());
        json.put("windowEnd", Instant.ofEpochMilli(end).toString());
        json.put("late", late);
        return json;
    }
}
