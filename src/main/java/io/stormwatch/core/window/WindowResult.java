package io.stormwatch.core.window;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stormwatch.core.stats.LogStats;
import io.stormwatch.core.stats.LogStatsCodec;
import io.stormwatch.core.stats.StatsJson;
import java.io.Serializable;
import java.time.Instant;

/**
 * The statistics of one window {@code (start, end]}: the merge of its panes.
 *
 * @param start exclusive start, epoch ms ({@code end − length})
 * @param end   inclusive end, epoch ms; a multiple of the slide
 * @param stats merged statistics of the window's panes
 * @param late  late records counted in the window's panes (they are in no window's {@code stats})
 */
public record WindowResult(long start, long end, LogStats stats, long late) implements Serializable {

    /**
     * Merges {@code panes} (end-of-input markers are skipped) into the window ending at {@code end}, decoding
     * each pane straight into the window's counts ({@link LogStatsCodec.Merger}).
     */
    public static WindowResult merge(long end, long lengthMillis, Iterable<Pane> panes) {
        LogStatsCodec.Merger stats = new LogStatsCodec.Merger();
        long late = 0;
        for (Pane pane : panes) {
            if (!pane.endOfInput()) {
                pane.addStatsTo(stats);
                late += pane.late();
            }
        }
        return new WindowResult(end - lengthMillis, end, stats.into(new LogStats()), late);
    }

    /**
     * The batch JSON object of {@link StatsJson#toJson} plus {@code windowStart} and {@code windowEnd}
     * (ISO-8601 UTC) and {@code late}.
     */
    public ObjectNode toJson(long clientsThreshold, int topK) {
        ObjectNode json = StatsJson.toJson(stats, clientsThreshold, topK);
        json.put("windowStart", Instant.ofEpochMilli(start).toString());
        json.put("windowEnd", Instant.ofEpochMilli(end).toString());
        json.put("late", late);
        return json;
    }
}
