package io.stormwatch.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProgressStoreTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            # source id                        | offset        | file key                | size  | mtime         | generation
              access.log                       | 0             | ''                      | 0     | 0             | 0
              access.log                       | 123456789012  | (dev=803,ino=1234)      | 99    | 1700000000123 | 0
              /var/log/nginx/access.log        | 42            | (dev=803,ino=5)         | 4096  | 1             | 7
              'name with spaces, = and : é'    | 1             | key=with=equals         | 2     | 3             | 4
            """)
    void savedRecordsLoadBackUnchanged(String source, long offset, String fileKey, long size, long mtime,
            long generation) throws IOException {
        ProgressStore store = new ProgressStore(dir.resolve("state"));
        ProgressStore.Progress progress = new ProgressStore.Progress(
                offset, new FileIdentity(fileKey.isEmpty() ? null : fileKey, size, mtime), generation);

        store.save(source, progress);

        assertThat(new ProgressStore(dir.resolve("state")).load(source)).contains(progress);
        assertThat(store.sourceIds()).containsExactly(source);
    }

    @Test
    void aSaveReplacesTheRecordAndLeavesNoTemporaryFile() throws IOException {
        ProgressStore store = new ProgressStore(dir);
        FileIdentity identity = new FileIdentity("k", 10, 20);
        store.save("a", new ProgressStore.Progress(1, identity, 0));
        store.save("a", new ProgressStore.Progress(2, identity, 0));

        assertThat(store.load("a")).map(ProgressStore.Progress::offset).contains(2L);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).singleElement()
                    .satisfies(name -> assertThat(name).endsWith(".progress"));
        }
    }

    @Test
    void sourcesAreKeptApartEvenWhenTheirFileNamesWouldClash() throws IOException {
        ProgressStore store = new ProgressStore(dir);
        FileIdentity identity = new FileIdentity(null, 1, 1);
        store.save("a b", new ProgressStore.Progress(1, identity, 0));
        store.save("a_b", new ProgressStore.Progress(2, identity, 0));

        assertThat(store.load("a b")).map(ProgressStore.Progress::offset).contains(1L);
        assertThat(store.load("a_b")).map(ProgressStore.Progress::offset).contains(2L);
        assertThat(store.sourceIds()).containsExactlyInAnyOrder("a b", "a_b");
    }

    @Test
    void missingRecordsAndDirectoriesAreEmpty() throws IOException {
        ProgressStore store = new ProgressStore(dir.resolve("never-created"));
        assertThat(store.load("x")).isEmpty();
        assertThat(store.sourceIds()).isEmpty();
        store.delete("x");
    }

    @Test
    void deleteRemovesTheRecord() throws IOException {
        ProgressStore store = new ProgressStore(dir);
        store.save("x", new ProgressStore.Progress(5, new FileIdentity("k", 1, 1), 0));
        store.delete("x");
        assertThat(store.load("x")).isEmpty();
    }

    @Test
    void aDamagedRecordIsAnErrorNotAZero() throws IOException {
        ProgressStore store = new ProgressStore(dir);
        store.save("x", new ProgressStore.Progress(5, new FileIdentity("k", 1, 1), 0));
        try (Stream<Path> files = Files.list(dir)) {
            Path record = files.findFirst().orElseThrow();
            Files.writeString(record, "source=x\noffset=not-a-number\nsize=1\nlastModifiedMillis=1\n");
        }
        assertThatThrownBy(() -> store.load("x")).isInstanceOf(IOException.class).hasMessageContaining("invalid");
    }
}
