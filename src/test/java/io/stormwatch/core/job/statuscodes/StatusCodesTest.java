package io.stormwatch.core.job.statuscodes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.DeadLetter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pins down the status-codes job end to end on a small log: its JSON object (records, rejected, reject
 * reasons by key, requests per response code in numeric order), its log line, and its configuration.
 */
class StatusCodesTest {

    private static final String LOG = String.join("\n",
            "10.0.0.1 - - [31/Mar/2024:01:00:00 +0100] \"GET / HTTP/1.1\" 200 100",
            "10.0.0.2 - - [31/Mar/2024:01:00:01 +0100] \"GET /a HTTP/1.1\" 503 -",
            "",
            "10.0.0.1 - - [31/Mar/2024:01:00:02 +0100] \"GET /b HTTP/1.1\" 200 5",
            "10.0.0.3 - - [31/Mar/2024:01:00:03 +0100] \"GET /c",
            "10.0.0.4 - - [31/Mar/2024:01:00:04 +0100] \"GET /d HTTP/1.1\" 404 7",
            "");

    @TempDir
    Path dir;

    @Test
    void countsRequestsPerResponseCodeAndRejectedLinesPerReason() throws IOException {
        StatusCodes job = StatusCodes.fromConfig(Map.of());
        List<DeadLetter> deadLetters = new ArrayList<>();

        Tally totals = new Batch<>(job, 1_000).run(List.of(Files.writeString(dir.resolve("a.log"), LOG)),
                deadLetters::add, bytes -> {});

        assertThat(job.views().json(totals).toString()).isEqualTo("{\"records\":4,\"rejected\":2,"
                + "\"rejectReasons\":{\"empty\":1,\"truncated\":1},"
                + "\"responseCodes\":{\"200\":2,\"404\":1,\"503\":1}}");
        assertThat(job.views().describe(job.views().json(totals))).isEqualTo("records=4 rejected=2 codes={200=2, 404=1, 503=1}");
        assertThat(deadLetters).extracting(DeadLetter::reason).containsExactly("empty", "truncated");
    }

    @Test
    void nothingCountedIsAnObjectOfZerosAndEmptyMaps() {
        StatusCodes job = StatusCodes.fromConfig(Map.of());

        assertThat(job.views().json(job.aggregate().createAccumulator()).toString())
                .isEqualTo("{\"records\":0,\"rejected\":0,\"rejectReasons\":{},\"responseCodes\":{}}");
    }

    @Test
    void readsItsFormatAndLineBoundFromTheConfiguration() {
        assertThat(StatusCodes.fromConfig(Map.of())).isEqualTo(new StatusCodes("auto", 64 * 1024));
        assertThat(StatusCodes.fromConfig(Map.of("stormwatch.format", "common", "stormwatch.max.line.length", "300")))
                .isEqualTo(new StatusCodes("common", 300));
        assertThat(StatusCodes.fromConfig(Map.of()).name()).isEqualTo("status-codes");
    }

    @Test
    void anUnknownFormatFailsWhenTheJobIsConfigured() {
        assertThatThrownBy(() -> StatusCodes.fromConfig(Map.of("stormwatch.format", "no-such-format")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-format");
    }
}
