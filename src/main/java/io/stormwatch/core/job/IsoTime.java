package io.stormwatch.core.job;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;

/**
 * Epoch milliseconds as ISO-8601 UTC text, exactly as {@link Instant#toString()} writes them
 * ({@code 2024-03-31T00:00:30Z}, {@code 2024-03-31T00:00:30.250Z}) but several times faster and, into a JSON
 * generator, without allocating: a backfill renders four instants per window and a quarter of a million
 * windows. The date comes from the day number by integer arithmetic (the proleptic Gregorian calendar, as
 * {@code java.time} counts it); years outside 0000–9999, which {@code Instant} writes with a sign or more
 * digits, are left to {@code Instant}.
 */
public final class IsoTime {

    private static final long DAY_MILLIS = 86_400_000L;
    /** 0000-01-01 and 10000-01-01 in epoch days. */
    private static final long FIRST_DAY = -719_528L;
    private static final long LAST_DAY = 2_932_897L;
    /** The longest text: {@code yyyy-mm-ddThh:mm:ss.mmmZ}. */
    private static final int MAX_LENGTH = 24;

    private IsoTime() {}

    public static String format(long epochMillis) {
        char[] text = new char[MAX_LENGTH];
        int length = write(epochMillis, text);
        return length < 0 ? Instant.ofEpochMilli(epochMillis).toString() : new String(text, 0, length);
    }

    /** Writes {@code "field":"<instant>"} to {@code json}. */
    public static void writeField(JsonGenerator json, String field, long epochMillis) throws IOException {
        char[] text = new char[MAX_LENGTH];
        int length = write(epochMillis, text);
        json.writeFieldName(field);
        if (length < 0) {
            json.writeString(Instant.ofEpochMilli(epochMillis).toString());
        } else {
            json.writeString(text, 0, length);
        }
    }

    /** Fills {@code text} and returns the length, or -1 for a year outside 0000–9999. */
    private static int write(long epochMillis, char[] text) {
        long day = Math.floorDiv(epochMillis, DAY_MILLIS);
        if (day < FIRST_DAY || day >= LAST_DAY) {
            return -1;
        }
        // Days to a civil date (Howard Hinnant's days_from_civil, inverted): eras of 400 years from 0000-03-01.
        long shifted = day + 719_468;
        long era = Math.floorDiv(shifted, 146_097);
        int dayOfEra = (int) (shifted - era * 146_097);
        int yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        int monthFromMarch = (5 * dayOfYear + 2) / 153;
        int dayOfMonth = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
        int month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
        int year = (int) (era * 400) + yearOfEra + (month <= 2 ? 1 : 0);
        two(text, 0, year / 100);
        two(text, 2, year % 100);
        text[4] = '-';
        two(text, 5, month);
        text[7] = '-';
        two(text, 8, dayOfMonth);
        text[10] = 'T';
        int ofDay = (int) (epochMillis - day * DAY_MILLIS);
        int seconds = ofDay / 1000;
        int millis = ofDay % 1000;
        two(text, 11, seconds / 3600);
        text[13] = ':';
        two(text, 14, seconds / 60 % 60);
        text[16] = ':';
        two(text, 17, seconds % 60);
        int length = 19;
        if (millis != 0) {
            text[19] = '.';
            text[20] = (char) ('0' + millis / 100);
            text[21] = (char) ('0' + millis / 10 % 10);
            text[22] = (char) ('0' + millis % 10);
            length = 23;
        }
        text[length] = 'Z';
        return length + 1;
    }

    private static void two(char[] into, int at, int value) {
        into[at] = (char) ('0' + value / 10);
        into[at + 1] = (char) ('0' + value % 10);
    }
}
