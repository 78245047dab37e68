package io.stormwatch.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stormwatch.testing.CliProcess;
import io.stormwatch.testing.Oracle;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/stormwatch batch} as a process, fed the way a shell feeds it: standard input ({@code -}), a pipe,
 * a process substitution, a gzip file cut short after a good one, a missing file and an unreadable one — each
 * with its exit code and its one stderr line. Each command runs under {@code bash -c}, the files named in the
 * environment so that no path needs quoting.
 */
class BatchInputIT {

    private static final Path LAUNCHER = CliProcess.LAUNCHER;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;
    private Path log;
    private JsonNode expected;

    @BeforeEach
    void aLogAndItsResults() throws Exception {
        log = Oracle.generate(tmp.resolve("access.log"), 3_000, 44, 0.03);
        CliProcess direct = sh("\"$SW\" batch --json \"$LOG\"");
        assertThat(direct.exitCode()).as(direct.stderr()).isZero();
        expected = JSON.readTree(direct.stdout());
    }

    @Test
    void standardInputAPipeAndAProcessSubstitutionGiveTheFileResults() throws Exception {
        Path gz = gzip(log, tmp.resolve("access.log.gz"));
        for (String command : new String[] {
                "\"$SW\" batch --json - < \"$LOG\"",
                "cat \"$LOG\" | \"$SW\" batch --json -",
                "cat \"$GZ\" | \"$SW\" batch --json -",
                "\"$SW\" batch --json <(cat \"$LOG\")",
                "\"$SW\" batch --json <(cat \"$GZ\")"}) {
            CliProcess run = sh(command, Map.of("GZ", gz.toString()));

            assertThat(run.exitCode()).as(command + "\n" + run.stderr()).isZero();
            assertThat(run.stderr()).as(command).isEmpty();
            assertThat(JSON.readTree(run.stdout())).as(command).isEqualTo(expected);
        }
    }

    @Test
    void aCutGzipFileAfterAGoodOneExitsWithOneAndPrintsWhatWasRead() throws Exception {
        byte[] whole = Files.readAllBytes(gzip(log, tmp.resolve("whole.log.gz")));
        Path cut = Files.write(tmp.resolve("cut.log.gz"), Arrays.copyOf(whole, 5_000)); // head -c 5000

        CliProcess run = sh("\"$SW\" batch --json \"$LOG\" \"$CUT\"", Map.of("CUT", cut.toString()));

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        assertThat(run.stderr()).hasLineCount(1)
                .startsWith("stormwatch batch: cannot read " + cut + ": unexpected end of data");
        JsonNode read = JSON.readTree(run.stdout());
        long good = expected.at("/records").asLong() + expected.at("/rejected").asLong();
        assertThat(read.at("/records").asLong() + read.at("/rejected").asLong())
                .as("the good file's lines and the cut file's readable ones").isGreaterThan(good);
    }

    @Test
    void aMissingFileExitsWithTwoAndSaysSo() throws Exception {
        CliProcess run = sh("\"$SW\" batch --json \"$LOG\" \"$LOG.missing\"");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).hasLineCount(1).isEqualTo("stormwatch batch: cannot read " + log + ".missing: no such file\n");
    }

    /** Root reads whatever the permissions say, so there is nothing to deny: skipped when the tests run as root. */
    @Test
    void anUnreadableFileExitsWithTwoAndSaysPermissionDenied() throws Exception {
        assumeThat(Files.getOwner(tmp).getName()).as("running as root, which permissions do not stop").isNotEqualTo("root");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("---------"));

        CliProcess run = sh("\"$SW\" batch --json \"$LOG\"");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).hasLineCount(1).isEqualTo("stormwatch batch: cannot read " + log + ": permission denied\n");
    }

    private CliProcess sh(String command) throws Exception {
        return sh(command, Map.of());
    }

    /** {@code command} run by bash, with $SW the launcher and $LOG the test's log. */
    private CliProcess sh(String command, Map<String, String> env) throws Exception {
        return CliProcess.run(tmp, Duration.ofMinutes(2), List.of("bash", "-c", command), environment -> {
            environment.put("SW", LAUNCHER.toString());
            environment.put("LOG", log.toString());
            environment.putAll(env);
        });
    }

    private static Path gzip(Path file, Path gz) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            Files.copy(file, out);
        }
        return gz;
    }
}
