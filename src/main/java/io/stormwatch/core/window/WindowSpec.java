package io.stormwatch.core.window;

import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A sliding event-time window: its length, its slide, and how far event time may run backwards (the lag)
 * before a record counts as late. All in milliseconds.
 *
 * <p>Time is cut into panes of one slide each: pane {@code p} covers {@code (p·S, (p+1)·S]} in epoch ms and
 * is named by its end {@code (p+1)·S}. A window ending at {@code E} (a multiple of the slide) covers
 * {@code (E − L, E]}, that is exactly the {@code L / S} panes whose ends lie in that interval — the same
 * alignment as Storm's event-time windows. Example with {@code L = 30s, S = 10s}: an event at 12:00:10.000
 * belongs to the pane ending 12:00:10, one at 12:00:10.001 to the pane ending 12:00:20; the window ending
 * 12:00:30 holds the panes ending 12:00:10, 12:00:20 and 12:00:30.
 *
 * @param lengthMillis window length {@code L}; a positive multiple of the slide
 * @param slideMillis  slide {@code S}, also the pane size; positive
 * @param lagMillis    allowed lateness; zero or positive
 */
public record WindowSpec(long lengthMillis, long slideMillis, long lagMillis) implements Serializable {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    public WindowSpec {
        if (slideMillis <= 0) {
            throw new IllegalArgumentException("slide must be positive, got " + slideMillis + " ms");
        }
        if (lengthMillis <= 0 || lengthMillis % slideMillis != 0) {
            throw new IllegalArgumentException("window length (" + lengthMillis
                    + " ms) must be a positive multiple of the slide (" + slideMillis + " ms)");
        }
        if (lagMillis < 0) {
            throw new IllegalArgumentException("lag must not be negative, got " + lagMillis + " ms");
        }
        // Storm takes window durations as int milliseconds.
        if (lengthMillis + slideMillis > Integer.MAX_VALUE || lagMillis > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("window length + slide and lag must each be below 24 days");
        }
    }

    /** Parses durations such as {@code "30s"}, {@code "500ms"}, {@code "10m"}, {@code "1h"}, {@code "1d"}. */
    public static WindowSpec parse(String length, String slide, String lag) {
        return new WindowSpec(parseDuration(length), parseDuration(slide), parseDuration(lag));
    }

    /** Milliseconds of {@code "<digits><unit>"} with unit {@code ms, s, m, h} or {@code d}. */
    public static long parseDuration(String text) {
        Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (expected e.g. 500ms, 30s, 10m, 1h, 1d)");
        }
        long unit = switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("duration too large: '" + text + "'", e);
        }
    }

    /** The end of the pane that holds an event at {@code timeMillis}: the smallest multiple of the slide ≥ it. */
    public long paneEnd(long timeMillis) {
        return -Math.floorDiv(-timeMillis, slideMillis) * slideMillis;
    }

    @Override
    public String toString() {
        return "window " + lengthMillis + " ms sliding " + slideMillis + " ms, lag " + lagMillis + " ms";
    }
}
