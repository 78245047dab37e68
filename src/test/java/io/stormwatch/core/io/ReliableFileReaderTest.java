package io.stormwatch.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.stormwatch.core.window.BlockPosition;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link ReliableFileReader}: how files are cut into blocks, numbered, acked, failed, replayed and resumed. */
class ReliableFileReaderTest {

    private static final long EPOCH = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private static ReliableFileReader reader(ReliableFileReader.Catalog catalog, BlockBounds bounds, int maxInFlight,
            long epoch) {
        return new ReliableFileReader(catalog, new ReliableFileReader.Settings(maxInFlight, 1_000, bounds, 0), epoch,
                System::currentTimeMillis);
    }

    private static ReliableFileReader reader(ReliableFileReader.Catalog catalog, BlockBounds bounds) {
        return reader(catalog, bounds, 100_000, EPOCH);
    }

    private SpoolDirectory spool() {
        return new SpoolDirectory(dir, new SpoolDirectory.Settings(SpoolDirectory.DEFAULT_COMPLETED_SUFFIX, null,
                SpoolDirectory.DEFAULT_IGNORE_PATTERN, true, 0, 1, 0), System::currentTimeMillis);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().toList();
        }
    }

    /** Every block the reader gives until it is drained, each acked as soon as it is emitted. */
    private static List<LineBlock> drainAcking(ReliableFileReader reader) {
        List<LineBlock> blocks = new ArrayList<>();
        for (int calls = 0; !reader.drained(); calls++) {
            assertThat(calls).as("calls to drain the reader").isLessThan(100_000);
            LineBlock block = reader.next();
            if (block != null) {
                blocks.add(block);
                assertThat(reader.ack(block.source(), block.offset())).isTrue();
            }
        }
        return blocks;
    }

    /** Calls next() {@code times} times and returns the blocks it gave, acking none. */
    private static List<LineBlock> next(ReliableFileReader reader, int times) {
        List<LineBlock> blocks = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            LineBlock block = reader.next();
            if (block != null) {
                blocks.add(block);
            }
        }
        return blocks;
    }

    private static List<String> renders(List<LineBlock> blocks) {
        return blocks.stream().map(ReliableFileReaderTest::render).toList();
    }

    /** {@code "a@0 bb@2 →5"}: each line's text and offset, then the block's next offset. */
    private static String render(LineBlock block) {
        return IntStream.range(0, block.lineCount()).mapToObj(i -> block.lines()[i] + "@" + block.offsets()[i])
                .collect(Collectors.joining(" ", "", " →" + block.nextOffset()));
    }

    private static String position(LineBlock block) {
        BlockPosition p = block.position();
        return p.seq() + "." + p.part() + "/" + p.parts();
    }

    /** How a file is cut, by lines and by bytes (a line's bytes: its {@code [offset, end)} span, terminator in). */
    @ParameterizedTest(name = "[{index}] {0} in blocks of {1} lines / {2} bytes")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            # content                      | lines | bytes      | blocks
            "a\\nbb\\nccc\\n"              | 2     | 1048576    | a@0 bb@2 →5 / ccc@5 →9
            "a\\nbb\\nccc\\n"              | 1     | 1048576    | a@0 →2 / bb@2 →5 / ccc@5 →9
            "a\\nbb\\nccc\\n"              | 10    | 1048576    | a@0 bb@2 ccc@5 →9
            "aaaa\\nbbbb\\ncccc\\n"        | 10    | 10         | aaaa@0 bbbb@5 →10 / cccc@10 →15
            "aaaa\\nbbbb\\ncccc\\n"        | 10    | 6          | aaaa@0 bbbb@5 →10 / cccc@10 →15
            "aaaa\\nbbbb\\ncccc\\n"        | 10    | 5          | aaaa@0 →5 / bbbb@5 →10 / cccc@10 →15
            "aaaa\\nbbbb\\ncccc\\n"        | 10    | 11         | aaaa@0 bbbb@5 cccc@10 →15
            "aaaa\\nbbbb\\ncccc\\n"        | 2     | 11         | aaaa@0 bbbb@5 →10 / cccc@10 →15
            "xxxxxxxxxx\\ny\\nz\\n"        | 10    | 3          | xxxxxxxxxx@0 →11 / y@11 z@13 →15
            "a\\r\\nbb\\rc"                | 10    | 1048576    | a@0 bb@3 c@6 →7
            "a\\r\\nbb\\rc"                | 1     | 1048576    | a@0 →3 / bb@3 →6 / c@6 →7
            "a\\r\\nb\\r\\nc\\r\\n"        | 10    | 3          | a@0 →3 / b@3 →6 / c@6 →9
            "a\\r\\n\\r\\nb"               | 2     | 1048576    | a@0 @3 →5 / b@5 →6
            "\\n\\n"                       | 10    | 1048576    | @0 @1 →2
            "no terminator"                | 10    | 1048576    | no terminator@0 →13
            ""                             | 10    | 1048576    | ""
            """)
    void cutsAFileIntoBlocksByLinesAndBytes(String escaped, int lines, int bytes, String expected) throws IOException {
        Path file = write("access.log", escaped.replace("\\r", "\r").replace("\\n", "\n"));
        try (ReliableFileReader reader = reader(new FileList(List.of(file)), new BlockBounds(lines, bytes))) {
            List<LineBlock> blocks = drainAcking(reader);
            assertThat(blocks.stream().map(ReliableFileReaderTest::render).collect(Collectors.joining(" / ")))
                    .isEqualTo(expected);
            String source = FileIdentity.of(file).sourceOf(file);
            assertThat(blocks).allSatisfy(block -> assertThat(block.source()).isEqualTo(source));
        }
    }

    @Test
    void aFileOf2500LinesInBlocksOf1000GivesThreeBlocksThatTouchAndCoverIt() throws IOException {
        StringBuilder content = new StringBuilder();
        for (int i = 0; i < 2_500; i++) {
            content.append("line ").append(i).append(" ").append("x".repeat(i % 17)).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        Path file = write("access.log", content.toString());
        try (ReliableFileReader reader = reader(new FileList(List.of(file)), new BlockBounds(1_000, 1 << 20))) {
            List<LineBlock> blocks = drainAcking(reader);

            assertThat(blocks).extracting(LineBlock::lineCount).containsExactly(1_000, 1_000, 500);
            assertThat(blocks).extracting(LineBlock::position).containsExactly(
                    BlockPosition.whole(EPOCH, 0), BlockPosition.whole(EPOCH, 1), BlockPosition.whole(EPOCH, 2));
            assertThat(blocks.get(0).offset()).isZero();
            assertThat(blocks.get(1).offset()).isEqualTo(blocks.get(0).nextOffset());
            assertThat(blocks.get(2).offset()).isEqualTo(blocks.get(1).nextOffset());
            assertThat(blocks.get(2).nextOffset()).isEqualTo(Files.size(file));
            assertThat(blocks.stream().flatMap(b -> Arrays.stream(b.lines())))
                    .containsExactlyElementsOf(content.toString().lines().toList());
            for (LineBlock block : blocks) {
                for (int i = 0; i + 1 < block.lineCount(); i++) {
                    assertThat(block.lineEnd(i)).as("lines touch inside a block").isEqualTo(block.offsets()[i + 1]);
                }
            }
            assertThat(reader.linesEmitted()).isEqualTo(2_500);
            assertThat(reader.blocksEmitted()).isEqualTo(3);
            assertThat(reader.filesCompleted()).isOne();
            assertThat(reader.pollRetired()).as("a file list never retires its files").isNull();
        }
    }

    @Test
    void aBlockNeverHoldsLinesOfTwoFilesAndSeqRunsOverAllFiles() throws IOException {
        Path a = write("a.log", "a0\na1\na2\n");
        Path b = write("b.log", "b0\nb1\n");
        try (ReliableFileReader reader = reader(new FileList(List.of(a, b)), new BlockBounds(10, 1 << 20))) {
            List<LineBlock> blocks = drainAcking(reader);
            assertThat(blocks).extracting(ReliableFileReaderTest::render, LineBlock::source, ReliableFileReaderTest::position)
                    .containsExactly(
                            tuple("a0@0 a1@3 a2@6 →9", FileIdentity.of(a).sourceOf(a), "0.0/1"),
                            tuple("b0@0 b1@3 →6", FileIdentity.of(b).sourceOf(b), "1.0/1"));
        }
    }

    @Test
    void gzipFilesAreCutWithOffsetsInTheDecompressedStream() throws IOException {
        Path file = dir.resolve("access.log.1");
        Files.write(file, gzip("alpha\r\nbeta\ngamma\n"));
        try (ReliableFileReader reader = reader(new FileList(List.of(file)), new BlockBounds(2, 1 << 20))) {
            assertThat(renders(drainAcking(reader)))
                    .containsExactly("alpha@0 beta@7 →12", "gamma@12 →18");
        }
    }

    @Test
    void aReadErrorInsideABlockEmitsTheLinesBeforeItAndFailsTheFile() throws IOException {
        String content = IntStream.range(0, 20_000).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
        byte[] whole = gzip(content);
        Files.write(dir.resolve("cut.gz"), Arrays.copyOf(whole, whole.length / 2));
        try (ReliableFileReader reader = reader(spool(), new BlockBounds(100_000, 1 << 30))) {
            List<LineBlock> blocks = drainAcking(reader);
            assertThat(blocks).hasSize(1);
            assertThat(blocks.get(0).lineCount()).isBetween(1, 19_999);
            assertThat(List.of(blocks.get(0).lines()))
                    .isEqualTo(content.lines().limit(blocks.get(0).lineCount()).toList());
            assertThat(reader.filesFailed()).isOne();
            assertThat(names()).containsExactly("cut.gz.ERROR");
            assertThat(reader.pollRetired()).as("a failed file is not retired").isNull();
        }
    }

    @Test
    void aFailedBlockComesBackAsSingleLinePartsAndTheFileCompletesOnceAllAreAcked() throws IOException {
        Path file = write("a.log", "l0\nl1\nl2\nl3\nl4\n");
        String source = FileIdentity.of(file).sourceOf(file);
        try (ReliableFileReader reader = reader(spool(), new BlockBounds(3, 1 << 20))) {
            List<LineBlock> blocks = next(reader, 3);
            assertThat(renders(blocks)).containsExactly("l0@0 l1@3 l2@6 →9", "l3@9 l4@12 →15");

            assertThat(reader.fail(source, 0)).isTrue();
            assertThat(reader.inFlight()).as("the block's lines, now as parts").isEqualTo(5);
            List<LineBlock> parts = next(reader, 3);
            assertThat(parts).extracting(ReliableFileReaderTest::render, ReliableFileReaderTest::position)
                    .containsExactly(tuple("l0@0 →3", "0.0/3"),
                            tuple("l1@3 →6", "0.1/3"),
                            tuple("l2@6 →9", "0.2/3"));
            assertThat(parts).extracting(p -> p.position().epoch()).containsOnly(EPOCH);
            assertThat(reader.linesReplayed()).isEqualTo(3);
            assertThat(reader.blocksEmitted()).as("parts are no new blocks").isEqualTo(2);

            assertThat(reader.ack(source, 9)).isTrue();
            assertThat(reader.ack(source, 3)).isTrue();
            assertThat(reader.ack(source, 6)).isTrue();
            next(reader, 3);
            assertThat(names()).as("part 0 is still in flight").containsExactly("a.log");
            assertThat(reader.pollRetired()).isNull();

            assertThat(reader.ack(source, 0)).isTrue();
            assertThat(next(reader, 3)).isEmpty();
            assertThat(names()).containsExactly("a.log.COMPLETED");
            assertThat(reader.pollRetired()).isEqualTo(source);
            assertThat(reader.pollRetired()).isNull();
            assertThat(reader.drained()).isTrue();
        }
    }

    @Test
    void aFailedPartComesBackAsTheSamePart() throws IOException {
        Path file = write("a.log", "l0\nl1\n");
        String source = FileIdentity.of(file).sourceOf(file);
        try (ReliableFileReader reader = reader(spool(), new BlockBounds(10, 1 << 20))) {
            assertThat(next(reader, 2)).hasSize(1);
            reader.fail(source, 0);
            assertThat(next(reader, 2)).extracting(ReliableFileReaderTest::render, ReliableFileReaderTest::position)
                    .containsExactly(tuple("l0@0 →3", "0.0/2"),
                            tuple("l1@3 →6", "0.1/2"));

            assertThat(reader.fail(source, 3)).isTrue();
            assertThat(reader.ack(source, 0)).isTrue();
            assertThat(next(reader, 2)).extracting(ReliableFileReaderTest::render, ReliableFileReaderTest::position)
                    .containsExactly(tuple("l1@3 →6", "0.1/2"));
            assertThat(reader.ack(source, 3)).isTrue();
            next(reader, 2);
            assertThat(names()).containsExactly("a.log.COMPLETED");
        }
    }

    @Test
    void onlyNewBlocksTakeASeq() throws IOException {
        Path file = write("a.log", "0\n1\n2\n3\n4\n5\n");
        String source = FileIdentity.of(file).sourceOf(file);
        try (ReliableFileReader reader = reader(new FileList(List.of(file)), new BlockBounds(2, 1 << 20))) {
            List<String> emitted = new ArrayList<>();
            LineBlock first = reader.next();
            emitted.add(position(first));
            emitted.add(position(reader.next()));
            reader.fail(source, first.offset());
            for (LineBlock block; (block = reader.next()) != null; ) {
                emitted.add(position(block) + " " + render(block));
            }
            assertThat(emitted).containsExactly("0.0/1", "1.0/1", "0.0/2 0@0 →2", "0.1/2 1@2 →4", "2.0/1 4@8 5@10 →12");
        }
    }

    @Test
    void aRestartResumesAtTheOldestUnackedBlockInANewEpoch() throws IOException {
        write("a.log", "0\n1\n2\n3\n4\n5\n");
        String source;
        ReliableFileReader first = reader(spool(), new BlockBounds(2, 1 << 20), 100_000, EPOCH);
        List<LineBlock> before = next(first, 3);
        assertThat(renders(before)).containsExactly("0@0 1@2 →4", "2@4 3@6 →8", "4@8 5@10 →12");
        source = before.get(0).source();
        first.ack(source, 0);
        first.ack(source, 8);
        first.next();   // checkpoints (interval 0): resume at 4, the start of the oldest unacked block
        // The process dies here: no close().

        try (ReliableFileReader second = reader(spool(), new BlockBounds(3, 1 << 20), 100_000, EPOCH + 1)) {
            List<LineBlock> after = next(second, 3);
            assertThat(after).extracting(ReliableFileReaderTest::render, LineBlock::source, LineBlock::position)
                    .as("the same source and offsets, cut at other boundaries, numbered anew")
                    .containsExactly(
                            tuple("2@4 3@6 4@8 →10", source, BlockPosition.whole(EPOCH + 1, 0)),
                            tuple("5@10 →12", source, BlockPosition.whole(EPOCH + 1, 1)));
        }
    }

    @Test
    void aRestartResumesAtTheOldestUnackedPart() throws IOException {
        write("a.log", "0\n1\n2\n3\n");
        ReliableFileReader first = reader(spool(), new BlockBounds(4, 1 << 20), 100_000, EPOCH);
        LineBlock block = first.next();
        first.fail(block.source(), 0);
        next(first, 4);
        first.ack(block.source(), 0);
        first.ack(block.source(), 2);
        first.ack(block.source(), 6);
        first.close();   // checkpoints: part 1, at 4, is still in flight

        try (ReliableFileReader second = reader(spool(), new BlockBounds(4, 1 << 20), 100_000, EPOCH + 1)) {
            assertThat(renders(next(second, 2))).containsExactly("2@4 3@6 →8");
        }
    }

    @Test
    void noBlockTakesMoreLinesThanMaxInFlightLeavesRoomFor() throws IOException {
        Path file = write("a.log", "0\n1\n2\n3\n4\n5\n6\n7\n");
        String source = FileIdentity.of(file).sourceOf(file);
        try (ReliableFileReader reader = reader(new FileList(List.of(file)), new BlockBounds(3, 1 << 20), 5, EPOCH)) {
            assertThat(renders(next(reader, 5))).containsExactly("0@0 1@2 2@4 →6", "3@6 4@8 →10");
            assertThat(reader.inFlight()).isEqualTo(5);
            reader.ack(source, 6);
            assertThat(renders(next(reader, 5))).containsExactly("5@10 6@12 →14");
            reader.ack(source, 0);
            assertThat(renders(next(reader, 5))).containsExactly("7@14 →16");
        }
    }

    @Test
    void longLinesStopTheReadingAtTheBoundOnBytesInFlightLongBeforeTheBoundOnLines() throws IOException {
        String line = "x".repeat(999) + "\n"; // 1,000 bytes a line
        Path file = write("long.log", line.repeat(50));
        String source = FileIdentity.of(file).sourceOf(file);
        ReliableFileReader.Settings settings = new ReliableFileReader.Settings(100_000, 2_000, new BlockBounds(4, 1 << 20),
                0, 10_000);
        try (ReliableFileReader reader = new ReliableFileReader(new FileList(List.of(file)), settings, EPOCH,
                System::currentTimeMillis)) {
            List<LineBlock> read = next(reader, 10);
            assertThat(read).as("3 blocks of 4,000 bytes reach 10,000: no 4th until acks").hasSize(3);
            assertThat(reader.inFlight()).isEqualTo(12);
            reader.ack(source, 0);
            assertThat(next(reader, 10)).hasSize(1);
        }
    }

    /** Growth is looked for about every 1,000 lines, at a block boundary, not only at the end. */
    @Test
    void aFileThatChangesWhileReadIsFailedWithinAboutAThousandLines() throws IOException {
        Path file = write("a.log", IntStream.range(0, 5_000).mapToObj(i -> i + "\n").collect(Collectors.joining()));
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000));
        try (ReliableFileReader reader = reader(spool(), new BlockBounds(100, 1 << 20))) {
            assertThat(next(reader, 1)).hasSize(1);
            Files.writeString(file, "more\n", StandardOpenOption.APPEND);
            List<LineBlock> blocks = next(reader, 100);
            assertThat(reader.filesFailed()).isOne();
            assertThat(names()).containsExactly("a.log.ERROR");
            assertThat(100 + blocks.stream().mapToInt(LineBlock::lineCount).sum()).isBetween(1_000, 1_100);
        }
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
