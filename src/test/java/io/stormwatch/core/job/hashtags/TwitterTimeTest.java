package io.stormwatch.core.job.hashtags;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TwitterTimeTest {

    @ParameterizedTest
    @CsvSource({
        "Wed Oct 10 20:19:24 +0000 2018, 2018-10-10T20:19:24Z",
        "Thu Jan 01 00:00:00 +0000 1970, 1970-01-01T00:00:00Z",
        "Thu Feb 29 23:59:59 +0000 2024, 2024-02-29T23:59:59Z",
        "Wed Oct 10 22:19:24 +0200 2018, 2018-10-10T20:19:24Z",
        "Wed Oct 10 15:49:24 -0430 2018, 2018-10-10T20:19:24Z",
        "Fri Dec 31 23:59:59 +0000 9999, 9999-12-31T23:59:59Z"})
    void parsesTwittersTime(String text, String instant) {
        assertThat(TwitterTime.parse(text)).isEqualTo(Instant.parse(instant).toEpochMilli());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Wed Oct 10 20:19:24 +0000 18", "Wed Oct 10 20:19:24 +0000 2018 ", "Xyz Oct 10 20:19:24 +0000 2018",
        "Wed Foo 10 20:19:24 +0000 2018", "Wed Feb 30 20:19:24 +0000 2018", "Wed Feb 29 20:19:24 +0000 2023",
        "Wed Oct 10 24:00:00 +0000 2018", "Wed Oct 10 20:60:24 +0000 2018", "Wed Oct 10 20:19:60 +0000 2018",
        "Wed Oct 10 20:19:24 *0000 2018", "Wed Oct 10 20:19:24 +00x0 2018", "Wed Oct 1a 20:19:24 +0000 2018",
        "Wed Oct 00 20:19:24 +0000 2018", "Wed,Oct 10 20:19:24 +0000 2018"})
    void refusesAnythingElse(String text) {
        assertThat(TwitterTime.parse(text)).isEqualTo(TwitterTime.INVALID);
    }

    @Test
    void agreesWithJavaTimeAndFormatsBack() {
        DateTimeFormatter java = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss xx yyyy", Locale.ENGLISH);
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            long millis = (random.nextLong() % 4_000_000_000_000L + 4_000_000_000_000L) / 1000 * 1000;
            String text = java.format(ZonedDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC));
            assertThat(TwitterTime.parse(text)).as(text).isEqualTo(millis);
            assertThat(TwitterTime.format(millis)).isEqualTo(text);
        }
    }
}
