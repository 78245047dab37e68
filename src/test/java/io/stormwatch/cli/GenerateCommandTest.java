package io.stormwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.core.gen.TextGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GenerateCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesTheGeneratorsBytesWithTheDefaults() throws IOException {
        Path out = dir.resolve("access.log");

        CliRun run = CliRun.of("generate", "--lines", "500", "--output", out.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEmpty();
        assertThat(Files.readAllBytes(out)).isEqualTo(generated(new LogGenerator.Options(500, 42,
                LogGenerator.Format.COMBINED, 0, LogGenerator.DEFAULT_START)));
    }

    @Test
    void passesEveryOptionOn() throws IOException {
        Path out = dir.resolve("access.log");

        CliRun run = CliRun.of("generate", "--lines", "300", "--seed", "5", "--format", "common",
                "--malformed-ratio", "0.1", "--start", "2020-02-29T12:00:00Z", "-o", out.toString());

        assertThat(run.exit()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(generated(new LogGenerator.Options(300, 5,
                LogGenerator.Format.COMMON, 0.1, Instant.parse("2020-02-29T12:00:00Z"))));
    }

    @Test
    void passesSpanAndPopulationsOn() throws IOException {
        Path out = dir.resolve("access.log");

        CliRun run = CliRun.of("generate", "--lines", "2000", "--span", "36h", "--clients", "50000",
                "--endpoints", "100000", "-o", out.toString());

        assertThat(run.exit()).isZero();
        assertThat(Files.readAllBytes(out)).isEqualTo(generated(new LogGenerator.Options(2_000, 42,
                LogGenerator.Format.COMBINED, 0, LogGenerator.DEFAULT_START, Duration.ofHours(36), 50_000, 100_000)));
    }

    @Test
    void theHelpDescribesSpanAndPopulations() {
        CliRun run = CliRun.of("help", "generate");

        assertThat(run.out()).contains("--span=DURATION", "30d", "--clients=N", "--endpoints=N");
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--malformed-ratio=2", "--format=nginx", "--start=yesterday", "--span=yesterday", "--span=0s",
        "--span=1000000000d", "--clients=0", "--endpoints=-1", "--clients=many"})
    void badOptionsAreUsageErrors(String option) {
        CliRun run = CliRun.of("generate", "--lines", "10", option);

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void linesAreRequired() {
        assertThat(CliRun.of("generate").exit()).isEqualTo(2);
    }

    @Test
    void textWritesTheTextGeneratorsBytes() throws IOException {
        Path out = dir.resolve("words.txt");

        CliRun run = CliRun.of("generate", "--text", "300", "--seed", "3", "--vocabulary", "5000", "-o", out.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        new TextGenerator(new TextGenerator.Options(300, 3, 5_000)).writeTo(expected);
        assertThat(Files.readAllBytes(out)).isEqualTo(expected.toByteArray());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--lines=10 --text=10", "--text=-1", "--text=10 --vocabulary=0", "--lines=10 --vocabulary=5"})
    void textAndLinesGoAlone(String options) {
        List<String> args = new ArrayList<>(List.of("generate"));
        args.addAll(List.of(options.split(" ")));

        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnwritableOutputExitsWithOneAndOneLine() {
        CliRun run = CliRun.of("generate", "--lines", "10", "--output", dir.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).startsWith("stormwatch generate: cannot write " + dir).hasLineCount(1);
    }

    private static byte[] generated(LogGenerator.Options options) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new LogGenerator(options).writeTo(bytes);
        return bytes.toByteArray();
    }
}
