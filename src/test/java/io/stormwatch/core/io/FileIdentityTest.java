package io.stormwatch.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FileIdentityTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            # file key              | size | mtime         | instance id
              (dev=fe00,ino=2147253) | 4096 | 1700000000123 | 1700000000123-4096-dev.fe00.ino.2147253
              null                   | 4096 | 1700000000123 | 1700000000123-4096
              ()                     | 0    | 0             | 0-0
              'a#b'                  | 1    | 2             | 2-1-a.b
            """)
    void instanceIdsAreTimeSizeAndTheKeysLettersAndDigits(String fileKey, long size, long mtime, String id) {
        FileIdentity identity = new FileIdentity(fileKey, size, mtime);
        assertThat(identity.instanceId()).isEqualTo(id);
        assertThat(identity.sourceOf(Path.of("/var/spool/access.log"))).isEqualTo("/var/spool/access.log#" + id);
    }

    @Test
    void aRenameKeepsTheInstanceAndAFileUnderTheSameNameIsAnother() throws IOException {
        Path file = Files.writeString(dir.resolve("access.log"), "1\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000));
        String source = FileIdentity.of(file).sourceOf(file);

        Path completed = Files.move(file, dir.resolve("access.log.COMPLETED"));
        assertThat(FileIdentity.of(completed).sourceOf(file)).isEqualTo(source);

        Files.writeString(file, "2\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000));
        assertThat(FileIdentity.of(file).sourceOf(file)).isNotEqualTo(source);

        Files.move(completed, file, StandardCopyOption.REPLACE_EXISTING);
        assertThat(FileIdentity.of(file).sourceOf(file)).as("the first file moved back").isEqualTo(source);
    }

    @Test
    void relativePathsBecomeAbsolute() {
        assertThat(new FileIdentity(null, 1, 2).sourceOf(Path.of("access.log")))
                .isEqualTo(Path.of("access.log").toAbsolutePath() + "#2-1");
    }
}
