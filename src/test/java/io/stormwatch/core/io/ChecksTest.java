package io.stormwatch.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each check of {@link Checks} on real files and directories: what passes, and the reason for what does not. */
class ChecksTest {

    @TempDir
    static Path tmp;

    private interface Check {
        void run(Path path) throws Checks.Failure;
    }

    @BeforeAll
    static void layout() throws IOException {
        Files.writeString(tmp.resolve("access.log"), "a line\n");
        Files.createDirectories(tmp.resolve("spool"));
        Files.createDirectories(tmp.resolve("out"));
    }

    static Stream<Arguments> paths() {
        Check file = Checks::readableFile;
        Check spool = Checks::spoolDirectory;
        Check tail = Checks::tailedFile;
        Check output = Checks::writableDirectory;
        return Stream.of(
                Arguments.of("file: a readable file", file, "access.log", null),
                Arguments.of("file: missing", file, "missing.log", "no such file"),
                Arguments.of("file: a directory", file, "spool", "is a directory, not a file"),
                Arguments.of("spool: a directory", spool, "spool", null),
                Arguments.of("spool: missing", spool, "no-spool", "no such directory"),
                Arguments.of("spool: a file", spool, "access.log", "is a file, not a directory"),
                Arguments.of("tail: an existing file", tail, "access.log", null),
                Arguments.of("tail: a file that may appear later", tail, "later.log", null),
                Arguments.of("tail: its directory is missing", tail, "no-dir/access.log", "its directory " + tmp.resolve("no-dir") + " does not exist"),
                Arguments.of("tail: its directory is a file", tail, "access.log/x.log", "its directory " + tmp.resolve("access.log") + " is a file"),
                Arguments.of("tail: a directory", tail, "spool", "is a directory, not a file"),
                Arguments.of("jsonl: an existing directory", output, "out", null),
                Arguments.of("jsonl: a directory to create", output, "new/deeper/out", null),
                Arguments.of("jsonl: a file", output, "access.log", "is a file, not a directory"),
                Arguments.of("jsonl: under a file", output, "access.log/out", "cannot be created: " + tmp.resolve("access.log") + " is a file"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("paths")
    void checksAPath(String name, Check check, String path, String reason) {
        Path target = tmp.resolve(path);
        if (reason == null) {
            assertThatCode(() -> check.run(target)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> check.run(target)).isInstanceOf(Checks.Failure.class).hasMessage(reason);
        }
    }

    @Test
    void checksCreateNothing() throws Exception {
        Checks.writableDirectory(tmp.resolve("never/created"));
        Checks.tailedFile(tmp.resolve("never.log"));
        assertThat(tmp.resolve("never")).doesNotExist();
        assertThat(tmp.resolve("never.log")).doesNotExist();
    }

    @Test
    void anUnreadableFileOrSpoolIsRefused() throws IOException {
        // As root, permission bits do not stop reading or writing, so there is nothing to refuse.
        assumeFalse("root".equals(System.getProperty("user.name")), "runs as root: permissions do not stop reading");
        Path file = Files.writeString(tmp.resolve("secret.log"), "x\n");
        Path spool = Files.createDirectories(tmp.resolve("locked-spool"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("-w-------"));
        Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("r-x------"));
        try {
            assertThatThrownBy(() -> Checks.readableFile(file)).hasMessage("not readable (permission denied)");
            assertThatThrownBy(() -> Checks.spoolDirectory(spool)).hasMessageStartingWith("directory not writable");
        } finally {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            Files.setPosixFilePermissions(spool, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aHostThatDoesNotResolveIsRefusedAndALiteralAddressPasses() throws Checks.Failure {
        // RFC 2606 reserves .invalid: it never resolves.
        assertThatThrownBy(() -> Checks.resolvableHost("nohost.invalid"))
                .isInstanceOf(Checks.Failure.class)
                .hasMessage("cannot resolve host 'nohost.invalid'");
        assertThat(Checks.resolvableHost("127.0.0.1").getHostAddress()).isEqualTo("127.0.0.1");
    }
}
