package io.stormwatch.compare;

import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.core.log.AccessLogRenderer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Generated access-log lines whose time field is rewritten to the moment they are sent, so that a live run's
 * event time is the wall clock: an event-time window {@code (end − length, end]} can close at wall time
 * {@code end + lag}, and the delay of its result is measurable. The lines come from {@link LogGenerator}
 * (realistic clients, endpoints, statuses, malformed lines), cycled; a line without a well-formed
 * {@code [dd/MMM/yyyy:HH:mm:ss ±zzzz]} field (some malformed ones) is sent unchanged. Not thread-safe.
 */
final class LiveLines {

    /** Length of {@code dd/MMM/yyyy:HH:mm:ss +zzzz}. */
    private static final int TIME_LENGTH = 26;

    private final List<byte[]> templates = new ArrayList<>();
    private final int[] timeAt;
    private int next;
    private long cachedSecond = Long.MIN_VALUE;
    private byte[] cachedTime;

    /** @param count how many distinct lines to cycle through */
    LiveLines(int count, long seed) {
        LogGenerator generator = new LogGenerator(new LogGenerator.Options(count, seed, LogGenerator.Format.COMBINED,
                0.01, LogGenerator.DEFAULT_START));
        while (generator.hasNext()) {
            templates.add(generator.next().bytes());
        }
        timeAt = new int[templates.size()];
        for (int i = 0; i < timeAt.length; i++) {
            timeAt[i] = timeField(templates.get(i));
        }
    }

    /** Where the time field of {@code line} starts (after its {@code [}), or -1 when it has none. */
    static int timeField(byte[] line) {
        for (int i = 0; i + TIME_LENGTH + 1 < line.length; i++) {
            if (line[i] == '[' && line[i + TIME_LENGTH + 1] == ']' && line[i + 3] == '/' && line[i + 12] == ':') {
                return i + 1;
            }
        }
        return -1;
    }

    /** The next line (without terminator), stamped with the second of {@code wallMillis}, UTC. */
    byte[] next(long wallMillis) {
        int i = next;
        next = (next + 1) % templates.size();
        byte[] template = templates.get(i);
        if (timeAt[i] < 0) {
            return template;
        }
        long second = Math.floorDiv(wallMillis, 1000);
        if (second != cachedSecond) {
            cachedSecond = second;
            cachedTime = AccessLogRenderer.time(second * 1000, 0).getBytes(StandardCharsets.US_ASCII);
        }
        byte[] line = Arrays.copyOf(template, template.length);
        System.arraycopy(cachedTime, 0, line, timeAt[i], TIME_LENGTH);
        return line;
    }
}
