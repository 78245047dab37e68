package io.stormwatch.core.job.hashtags;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Twitter API v1.1's {@code created_at}, {@code "Wed Oct 10 20:19:24 +0000 2018"}, to epoch milliseconds and
 * back. Parsing is by fixed positions and integer arithmetic, with no formatter and no allocation: it runs
 * once per tweet. The day of the week must be a day's name but is not checked against the date (Twitter
 * writes it right; a mismatch changes nothing we count). The offset is {@code ±hhmm} (Twitter always writes
 * {@code +0000}).
 */
public final class TwitterTime {

    /** What {@link #parse} returns for text that is not Twitter's time. */
    public static final long INVALID = Long.MIN_VALUE;

    private static final int LENGTH = 30;
    private static final String DAYS = "MonTueWedThuFriSatSun";
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss xx yyyy", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private TwitterTime() {}

    /** Epoch milliseconds of {@code text}, or {@link #INVALID}. */
    public static long parse(String text) {
        if (text == null || text.length() != LENGTH || text.charAt(3) != ' ' || text.charAt(7) != ' '
                || text.charAt(10) != ' ' || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != ' '
                || text.charAt(25) != ' ' || name(DAYS, text, 0) < 0) {
            return INVALID;
        }
        int month = name(MONTHS, text, 4) + 1;
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        char sign = text.charAt(20);
        int offsetHours = digits(text, 21, 2);
        int offsetMinutes = digits(text, 23, 2);
        int year = digits(text, 26, 4);
        if (month < 1 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
                || (sign != '+' && sign != '-') || offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0
                || offsetMinutes > 59 || year < 0 || day > daysInMonth(year, month)) {
            return INVALID;
        }
        long offsetSeconds = (sign == '+' ? 1 : -1) * (offsetHours * 3_600L + offsetMinutes * 60L);
        long seconds = daysFromCivil(year, month, day) * 86_400L + hour * 3_600L + minute * 60L + second - offsetSeconds;
        return seconds * 1_000L;
    }

    /** {@code epochMillis} as Twitter writes it (UTC, to the second). */
    public static String format(long epochMillis) {
        return FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }

    /** Index of the three letters at {@code at} in {@code names} (three letters each), or -1. */
    private static int name(String names, String text, int at) {
        for (int i = 0; i < names.length(); i += 3) {
            if (names.charAt(i) == text.charAt(at) && names.charAt(i + 1) == text.charAt(at + 1)
                    && names.charAt(i + 2) == text.charAt(at + 2)) {
                return i / 3;
            }
        }
        return -1;
    }

    /** The decimal number of {@code n} digits at {@code at}, or -1 if one is not a digit. */
    private static int digits(String text, int at, int n) {
        int value = 0;
        for (int i = at; i < at + n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
    static long daysFromCivil(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int monthFromMarch = (month + 9) % 12;
        int dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }
}
