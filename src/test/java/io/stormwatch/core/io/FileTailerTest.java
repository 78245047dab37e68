package io.stormwatch.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.stormwatch.core.window.BlockPosition;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileTailer} in blocks: what is there now, one generation per block, retired generations. */
class FileTailerTest {

    private static final long EPOCH = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private final List<FileTailer> open = new ArrayList<>();

    @AfterEach
    void closeTailers() {
        open.forEach(FileTailer::close);
    }

    private Path log() {
        return dir.resolve("access.log");
    }

    private String source(int generation) {
        return log() + "#" + generation;
    }

    private FileTailer tailer(BlockBounds bounds, long epoch) {
        FileTailer tailer = new FileTailer(log(), new ProgressStore(dir.resolve("state")),
                new FileTailer.Settings(100_000, 1_000, bounds, 0, 0), epoch, System::currentTimeMillis);
        open.add(tailer);
        return tailer;
    }

    private FileTailer tailer() {
        return tailer(BlockBounds.DEFAULT, EPOCH);
    }

    private void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<LineBlock> next(FileTailer tailer, int times) {
        List<LineBlock> blocks = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            LineBlock block = tailer.next();
            if (block != null) {
                blocks.add(block);
            }
        }
        return blocks;
    }

    private static List<String> renders(List<LineBlock> blocks) {
        return blocks.stream().map(FileTailerTest::render).toList();
    }

    /** {@code "a@0 bb@2 →5"}: each line's text and offset, then the block's next offset. */
    private static String render(LineBlock block) {
        return IntStream.range(0, block.lineCount()).mapToObj(i -> block.lines()[i] + "@" + block.offsets()[i])
                .collect(Collectors.joining(" ", "", " →" + block.nextOffset()));
    }

    private static void ackAll(FileTailer tailer, List<LineBlock> blocks) {
        blocks.forEach(b -> tailer.ack(b.source(), b.offset()));
    }

    @Test
    void appendsAtALowRateGiveOneLineBlocks() throws IOException {
        FileTailer tailer = tailer();
        List<LineBlock> blocks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            append(log(), "line " + i + "\n");
            blocks.addAll(next(tailer, 3));
        }
        assertThat(renders(blocks)).containsExactly(
                "line 0@0 →7", "line 1@7 →14", "line 2@14 →21", "line 3@21 →28", "line 4@28 →35");
        assertThat(blocks).extracting(LineBlock::position).containsExactly(IntStream.range(0, 5)
                .mapToObj(seq -> BlockPosition.whole(EPOCH, seq)).toArray(BlockPosition[]::new));
        assertThat(blocks).extracting(LineBlock::source).containsOnly(source(1));
        assertThat(tailer.blocksEmitted()).isEqualTo(5);
        assertThat(tailer.linesEmitted()).isEqualTo(5);
    }

    @Test
    void aBlockHoldsWhatWasWrittenSinceTheLastCallUpToTheBounds() throws IOException {
        append(log(), "a\nb\nc\nd\ne\npartial");
        FileTailer tailer = tailer(new BlockBounds(2, 1 << 20), EPOCH);
        assertThat(renders(next(tailer, 5))).containsExactly("a@0 b@2 →4", "c@4 d@6 →8", "e@8 →10");
        append(log(), " line\r");
        assertThat(next(tailer, 3)).as("a \\n may still follow the \\r").isEmpty();
        append(log(), "\nf\n");
        assertThat(renders(next(tailer, 3))).containsExactly("partial line@10 f@24 →26");
    }

    @Test
    void aFailedBlockComesBackAsPartsAndTheResumePointWaitsForThem() throws IOException {
        append(log(), "a\nbb\nc\n");
        FileTailer tailer = tailer();
        LineBlock block = tailer.next();
        assertThat(render(block)).isEqualTo("a@0 bb@2 c@5 →7");
        assertThat(tailer.fail(source(1), 0)).isTrue();
        List<LineBlock> parts = next(tailer, 4);
        assertThat(parts).extracting(FileTailerTest::render, LineBlock::position).containsExactly(
                tuple("a@0 →2", BlockPosition.whole(EPOCH, 0).part(0, 3)),
                tuple("bb@2 →5", BlockPosition.whole(EPOCH, 0).part(1, 3)),
                tuple("c@5 →7", BlockPosition.whole(EPOCH, 0).part(2, 3)));
        assertThat(tailer.linesReplayed()).isEqualTo(3);
        tailer.ack(source(1), 0);
        tailer.ack(source(1), 5);
        tailer.close();

        FileTailer restarted = tailer(BlockBounds.DEFAULT, EPOCH + 1);
        assertThat(next(restarted, 2)).extracting(FileTailerTest::render, LineBlock::source, LineBlock::position)
                .containsExactly(tuple("bb@2 c@5 →7", source(1), BlockPosition.whole(EPOCH + 1, 0)));
    }

    @Test
    void afterARenameTheOldGenerationIsFinishedAckedAndRetiredBeforeTheNewOneIsRead() throws IOException {
        append(log(), "old 1\n");
        FileTailer tailer = tailer();
        List<LineBlock> blocks = new ArrayList<>(next(tailer, 2));
        Path rotated = dir.resolve("access.log.1");
        Files.move(log(), rotated);
        append(rotated, "old 2\nold 3 unterminated");   // the writer still had the old file open
        append(log(), "new 1\n");
        blocks.addAll(next(tailer, 5));

        assertThat(blocks).extracting(FileTailerTest::render, LineBlock::source).as(
                "the unterminated last line is read once the file is rotated away, and never with the new file's")
                .containsExactly(tuple("old 1@0 →6", source(1)), tuple("old 2@6 →12", source(1)),
                        tuple("old 3 unterminated@12 →30", source(1)));
        assertThat(tailer.rotations()).isOne();
        assertThat(tailer.pollRetired()).isNull();

        tailer.ack(source(1), 0);
        tailer.ack(source(1), 6);
        assertThat(next(tailer, 3)).isEmpty();
        assertThat(tailer.pollRetired()).as("a block of the old generation is in flight").isNull();

        tailer.ack(source(1), 12);
        assertThat(next(tailer, 3)).extracting(FileTailerTest::render, LineBlock::source, LineBlock::position)
                .containsExactly(tuple("new 1@0 →6", source(2), BlockPosition.whole(EPOCH, 3)));
        assertThat(tailer.pollRetired()).isEqualTo(source(1));
        assertThat(tailer.pollRetired()).isNull();
    }

    @Test
    void afterATruncationTheOldGenerationIsRetiredOnceItsLinesAreAcked() throws IOException {
        append(log(), "long line before\n");
        FileTailer tailer = tailer();
        assertThat(next(tailer, 2)).hasSize(1);
        try (FileChannel channel = FileChannel.open(log(), StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        append(log(), "short\n");
        assertThat(next(tailer, 3)).isEmpty();
        assertThat(tailer.truncations()).isOne();

        tailer.fail(source(1), 0);
        List<LineBlock> replay = next(tailer, 1);
        assertThat(renders(replay)).containsExactly("long line before@0 →17");
        assertThat(tailer.pollRetired()).isNull();
        ackAll(tailer, replay);
        assertThat(next(tailer, 3)).extracting(FileTailerTest::render, LineBlock::source)
                .containsExactly(tuple("short@0 →6", source(2)));
        assertThat(tailer.pollRetired()).isEqualTo(source(1));
    }

    @Test
    void aGenerationReplacedWhileStoppedIsRetiredOnStart() throws IOException {
        append(log(), "a\n");
        FileTailer first = tailer();
        ackAll(first, next(first, 2));
        first.close();
        Path replacement = dir.resolve("access.log.new");
        append(replacement, "b\n");
        Files.move(replacement, log(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);   // the old inode is gone

        FileTailer second = tailer(BlockBounds.DEFAULT, EPOCH + 1);
        assertThat(next(second, 2)).extracting(FileTailerTest::render, LineBlock::source)
                .containsExactly(tuple("b@0 →2", source(2)));
        assertThat(second.pollRetired()).isEqualTo(source(1));
    }

    @Test
    void aRestartAfterARotationWhileStoppedFinishesAndRetiresTheRotatedFile() throws IOException {
        append(log(), "a\nb\n");
        FileTailer first = tailer(new BlockBounds(1, 1 << 20), EPOCH);
        List<LineBlock> before = next(first, 2);
        first.ack(source(1), 0);
        first.close();
        Files.move(log(), dir.resolve("access.log.1"));
        append(dir.resolve("access.log.1"), "c\n");
        append(log(), "new\n");

        FileTailer second = tailer(BlockBounds.DEFAULT, EPOCH + 1);
        List<LineBlock> rest = next(second, 3);
        assertThat(rest).extracting(FileTailerTest::render, LineBlock::source)
                .containsExactly(tuple("b@2 c@4 →6", source(1)));
        assertThat(before).hasSize(2);
        ackAll(second, rest);
        assertThat(next(second, 3)).extracting(FileTailerTest::render, LineBlock::source)
                .containsExactly(tuple("new@0 →4", source(2)));
        assertThat(second.pollRetired()).isEqualTo(source(1));
    }
}
