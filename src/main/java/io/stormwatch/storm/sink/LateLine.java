package io.stormwatch.storm.sink;

import java.io.Serializable;

/**
 * A line that arrived after its pane had closed: counted in the totals, in no window, and in the {@code late}
 * of the pane ending at {@code reportedIn}.
 *
 * @param source     where it came from
 * @param offset     its position in the source
 * @param time       its event time, epoch ms
 * @param reportedIn end of the pane whose {@code late} counts it, epoch ms
 */
public record LateLine(String source, long offset, long time, long reportedIn) implements Serializable {}
