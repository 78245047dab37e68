package io.stormwatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.gen.LogGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void badOptionsAreUsageErrors() {
        assertThat(CliRun.of("generate", "--lines", "10", "--malformed-ratio", "2").exit()).isEqualTo(2);
        assertThat(CliRun.of("generate", "--lines", "10", "--format", "nginx").exit()).isEqualTo(2);
        assertThat(CliRun.of("generate", "--lines", "10", "--start", "yesterday").exit()).isEqualTo(2);
        assertThat(CliRun.of("generate").exit()).isEqualTo(2);
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
