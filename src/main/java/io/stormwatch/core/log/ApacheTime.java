package io.stormwatch.core.log;

/**
 * Reads the {@code %t} field, {@code [dd/Mon/yyyy:HH:mm:ss ±hhmm]} (English month abbreviations, exactly as
 * Apache httpd and nginx write it), by hand: no formatter and no allocation per line.
 *
 * <p>Thread-confined: a successful {@link #read} leaves its result in {@link #epochMillis} and
 * {@link #offsetSeconds}; a failed one explains itself in {@link #problem}.
 *
 * <p>Example: {@code [10/Oct/2000:13:55:36 -0700]} gives epoch millis {@code 971211336000} and offset
 * {@code -25200}. {@code [29/Feb/2001:00:00:00 +0000]} is {@link #INVALID} (no such day), and
 * {@code [10/Oct/2000:13:5} at the end of a line is {@link #CUT}.
 */
final class ApacheTime {

    /** Length of the field, brackets included. */
    static final int LENGTH = 28;

    static final int VALID = 0;
    /** The text ends before the field does, and what is there has the field's shape. */
    static final int CUT = 1;
    static final int INVALID = 2;

    /** Character classes, position by position: 0 a digit, A a letter, + a sign, anything else itself. */
    private static final String SHAPE = "[00/Aaa/0000:00:00:00 +0000]";
    private static final int MAX_OFFSET_SECONDS = 18 * 3600;

    long epochMillis;
    int offsetSeconds;
    String problem;

    /** Reads the field starting at {@code at}; the text ends at {@code end}. */
    int read(String s, int at, int end) {
        if (end - at < LENGTH || s.charAt(at) != '[' || s.charAt(at + 3) != '/' || s.charAt(at + 7) != '/'
                || s.charAt(at + 12) != ':' || s.charAt(at + 15) != ':' || s.charAt(at + 18) != ':'
                || s.charAt(at + 21) != ' ' || s.charAt(at + 27) != ']') {
            return classifyShape(s, at, end);
        }
        int day = twoDigits(s, at + 1);
        int month = month(s, at + 4);
        int year = twoDigits(s, at + 8) * 100 + twoDigits(s, at + 10);
        int hour = twoDigits(s, at + 13);
        int minute = twoDigits(s, at + 16);
        int second = twoDigits(s, at + 19);
        char sign = s.charAt(at + 22);
        int offsetHours = twoDigits(s, at + 23);
        int offsetMinutes = twoDigits(s, at + 25);
        if ((day | year | hour | minute | second | offsetHours | offsetMinutes) < 0 || year < 0
                || (sign != '+' && sign != '-')) {
            return classifyShape(s, at, end);
        }
        if (month < 0) {
            problem = "unknown month '" + s.substring(at + 4, at + 7) + "'";
            return INVALID;
        }
        if (day < 1 || day > daysInMonth(month, year)) {
            problem = "no day " + day + " in " + s.substring(at + 4, at + 12);
            return INVALID;
        }
        if (hour > 23 || minute > 59 || second > 59) {
            problem = "no time of day " + s.substring(at + 13, at + 21);
            return INVALID;
        }
        int offset = (offsetHours * 3600 + offsetMinutes * 60) * (sign == '-' ? -1 : 1);
        if (offsetMinutes > 59 || Math.abs(offset) > MAX_OFFSET_SECONDS) {
            problem = "zone offset " + s.substring(at + 22, at + 27) + " out of range";
            return INVALID;
        }
        long localSeconds = epochDay(year, month, day) * 86_400L + hour * 3600 + minute * 60 + second;
        epochMillis = (localSeconds - offset) * 1000L;
        offsetSeconds = offset;
        return VALID;
    }

    /**
     * Whether a complete field of the right shape (digits, letters, sign and punctuation where they belong)
     * starts at {@code at}, whatever its values: how a second record on the line is recognised.
     */
    static boolean hasShapeAt(String s, int at, int end) {
        return end - at >= LENGTH && fittingPrefix(s, at, end) == LENGTH;
    }

    /** Tells a cut field from a wrong one by comparing what is there with the shape. */
    private int classifyShape(String s, int at, int end) {
        int fitting = fittingPrefix(s, at, end);
        if (fitting < Math.min(LENGTH, end - at) || fitting == LENGTH) {
            problem = "expected [dd/Mon/yyyy:HH:mm:ss ±hhmm], column " + (fitting + 1) + " of it is wrong";
            return INVALID;
        }
        problem = "ends inside the timestamp";
        return CUT;
    }

    /** How many characters from {@code at} on fit the shape, up to {@link #LENGTH}. */
    private static int fittingPrefix(String s, int at, int end) {
        int available = Math.min(LENGTH, end - at);
        for (int k = 0; k < available; k++) {
            char c = s.charAt(at + k);
            boolean fits = switch (SHAPE.charAt(k)) {
                case '0' -> c >= '0' && c <= '9';
                case 'A', 'a' -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
                case '+' -> c == '+' || c == '-';
                default -> c == SHAPE.charAt(k);
            };
            if (!fits) {
                return k;
            }
        }
        return available;
    }

    /** Two ASCII digits as a number, or a negative number when either is not a digit. */
    private static int twoDigits(String s, int i) {
        int hi = s.charAt(i) - '0';
        int lo = s.charAt(i + 1) - '0';
        if (hi < 0 || hi > 9 || lo < 0 || lo > 9) {
            return -1000;
        }
        return hi * 10 + lo;
    }

    /** 1–12 for an English month abbreviation in Apache's case ({@code Jan}), else -1. */
    private static int month(String s, int i) {
        char c0 = s.charAt(i);
        char c1 = s.charAt(i + 1);
        char c2 = s.charAt(i + 2);
        if ((c0 | c1 | c2) >= 0x80) {
            return -1;
        }
        return switch (c0 << 16 | c1 << 8 | c2) {
            case 'J' << 16 | 'a' << 8 | 'n' -> 1;
            case 'F' << 16 | 'e' << 8 | 'b' -> 2;
            case 'M' << 16 | 'a' << 8 | 'r' -> 3;
            case 'A' << 16 | 'p' << 8 | 'r' -> 4;
            case 'M' << 16 | 'a' << 8 | 'y' -> 5;
            case 'J' << 16 | 'u' << 8 | 'n' -> 6;
            case 'J' << 16 | 'u' << 8 | 'l' -> 7;
            case 'A' << 16 | 'u' << 8 | 'g' -> 8;
            case 'S' << 16 | 'e' << 8 | 'p' -> 9;
            case 'O' << 16 | 'c' << 8 | 't' -> 10;
            case 'N' << 16 | 'o' << 8 | 'v' -> 11;
            case 'D' << 16 | 'e' << 8 | 'c' -> 12;
            default -> -1;
        };
    }

    private static int daysInMonth(int month, int year) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (the civil-from-days inverse, era by era). */
    private static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }
}
