package io.stormwatch.core.job.topurls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.DeadLetter;
import io.stormwatch.core.window.WindowAssembler;
import io.stormwatch.core.window.WindowSpec;
import io.stormwatch.storm.topology.JobOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The top-urls job on small logs with explicit times: the top list (most requests first, ties by URL, cut
 * to the configured size), its 5 min / 1 s default window and what one line contributes to which windows.
 */
class TopUrlsTest {

    @TempDir
    Path dir;

    private static String line(String time, String url) {
        return "10.0.0.1 - - [30/Nov/2026:" + time + " +0000] \"GET " + url + " HTTP/1.1\" 200 10";
    }

    @Test
    void showsTheMostRequestedUrlsMostFirstTiesByUrlCutToTheTop() throws IOException {
        TopUrls job = TopUrls.fromConfig(Map.of(TopUrls.TOP, 2));
        List<DeadLetter> deadLetters = new ArrayList<>();
        String log = String.join("\n", line("10:00:00", "/b"), line("10:00:01", "/a"), line("10:00:02", "/c?q=1"),
                line("10:00:03", "/c?q=1"), "not a log line", line("10:00:04", "/b"), line("10:00:05", "/a"), "");

        Tally totals = new Batch<>(job, 1_000).run(List.of(Files.writeString(dir.resolve("a.log"), log)),
                deadLetters::add, bytes -> {});

        assertThat(job.views().jsonText(totals)).isEqualTo("{\"records\":6,\"rejected\":1,\"rejectReasons\":{\"malformed\":1},"
                + "\"distinctUrls\":3,\"topUrls\":[{\"url\":\"/a\",\"count\":2},{\"url\":\"/b\",\"count\":2}]}");
        assertThat(job.views().describe(job.views().json(totals))).isEqualTo("records=6 rejected=1 top=[/a=2, /b=2]");
        assertThat(deadLetters).extracting(DeadLetter::reason).containsExactly("malformed");
    }

    @Test
    void runsOverFiveMinuteWindowsSlidingEverySecondUnlessTold() {
        TopUrls job = TopUrls.fromConfig(Map.of());

        assertThat(JobOptions.fromConfig(job, Map.of()).window()).isEqualTo(WindowSpec.parse("5m", "1s", "5s"));
        assertThat(JobOptions.fromConfig(job, Map.of("stormwatch.window.length", "1m")).window())
                .isEqualTo(WindowSpec.parse("1m", "1s", "5s"));
        assertThatThrownBy(() -> TopUrls.fromConfig(Map.of(TopUrls.TOP, -1))).hasMessageContaining(TopUrls.TOP);
    }

    @Test
    void aRequestCountsInEveryWindowWhoseFiveMinutesHoldIt() throws IOException {
        // Windows are (end - 5 min, end]: a request at 10:00:00.000 is in the windows ending 10:00:00 ... 10:04:59,
        // not in the one ending 10:05:00 (its start is exclusive).
        TopUrls job = TopUrls.fromConfig(Map.of());
        List<String> windows = new ArrayList<>();
        WindowAssembler.Listener listener = new WindowAssembler.Listener() {
            @Override
            public void window(long start, long end, Tally tally, long late) {
                if (tally.records() > 0) {
                    windows.add(Instant.ofEpochMilli(end) + " " + tally.records());
                }
            }

            @Override
            public void late(String source, long[] offsets, long[] times, long reportedIn) {}
        };
        String log = String.join("\n", line("10:00:00", "/a"), line("10:00:02", "/b"), line("10:20:00", "/end"), "");

        new Batch<>(job, 1_000, WindowSpec.parse("5m", "1s", "0s"), listener)
                .run(List.of(Files.writeString(dir.resolve("a.log"), log)), deadLetter -> {}, bytes -> {});

        assertThat(windows).startsWith("2026-11-30T10:00:00Z 1", "2026-11-30T10:00:01Z 1", "2026-11-30T10:00:02Z 2")
                .contains("2026-11-30T10:04:59Z 2", "2026-11-30T10:05:00Z 1", "2026-11-30T10:05:01Z 1")
                .doesNotContain("2026-11-30T10:05:02Z 1")
                .hasSize(300 + 2 + 300); // /a (and /b) in 300, /b alone in 2 more, /end in 300 closed by the end of input
    }
}
