package io.stormwatch.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.window.BlockPosition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BlockTrackerTest {

    private static final long EPOCH = 1_700_000_000_000L;

    /** A block of lines starting at {@code offsets} (texts {@code "L<offset>"}), the last ending at {@code end}. */
    static LineBlock block(long seq, long end, long... offsets) {
        String[] lines = Arrays.stream(offsets).mapToObj(o -> "L" + o).toArray(String[]::new);
        return new LineBlock("s", lines, offsets, end, BlockPosition.whole(EPOCH, seq));
    }

    /**
     * Runs {@code operations} on a tracker starting at {@code start}: {@code e0,10,20-30} emits a block of
     * lines at 0, 10 and 20 whose next offset is 30 (the blocks numbered 0, 1, 2, … as emitted), {@code a0}
     * acks and {@code f0} fails the block or part at 0, {@code r} takes the next replay. Checks the resume
     * point, the lines and blocks in flight, the replays (as {@code seq.part/parts[offset,end)}), and that
     * nothing else waits for replay afterwards. {@code !a0} / {@code !f0} mean "must return false".
     */
    @ParameterizedTest(name = "{1} → resume {2}, in flight {3} lines in {4}, replayed [{5}]")
    @CsvSource(delimiter = '|', textBlock = """
            # start | operations                              | resume | lines | blocks | replayed
              0     | ''                                      | 0      | 0     | 0      | ''
              100   | ''                                      | 100    | 0     | 0      | ''
              0     | e0-10                                   | 0      | 1     | 1      | ''
              0     | e0,10,20-30                             | 0      | 3     | 1      | ''
              0     | e0,10,20-30 a0                          | 30     | 0     | 0      | ''
              0     | e0,10-20 e20,30-40 a20                  | 0      | 2     | 1      | ''
              0     | e0,10-20 e20,30-40 a0                   | 20     | 2     | 1      | ''
              0     | e0,10-20 e20,30-40 a0 a20               | 40     | 0     | 0      | ''
              0     | e0-10 e12-20 a0                         | 12     | 1     | 1      | ''
            # a failed block comes back as single-line parts, in order, at the block's position
              0     | e0,10,20-30 f0 r r r                    | 0      | 3     | 3      | 0.0/3[0,10) 0.1/3[10,20) 0.2/3[20,30)
              50    | e50-60 e60,70-80 f60 r r                | 50     | 3     | 3      | 1.0/2[60,70) 1.1/2[70,80)
            # each part is acked on its own; the block is done once all are
              0     | e0,10,20-30 f0 a10 a20 r                | 0      | 1     | 1      | 0.0/3[0,10)
              0     | e0,10,20-30 f0 a10 a20 a0               | 30     | 0     | 0      | ''
              0     | e0,10,20-30 f0 r r r a0 a10 a20 e30-40  | 30     | 1     | 1      | 0.0/3[0,10) 0.1/3[10,20) 0.2/3[20,30)
            # a failed part comes back as the same part
              0     | e0,10,20-30 f0 r r r a0 a20 f10 r      | 10     | 1     | 1      | 0.0/3[0,10) 0.1/3[10,20) 0.2/3[20,30) 0.1/3[10,20)
            # a one-line block is its own only part: replayed as it was
              0     | e0-10 f0 r                              | 0      | 1     | 1      | 0.0/1[0,10)
              0     | e0-10 e10-20 f10 f0 r r r               | 0      | 2     | 2      | 0.0/1[0,10) 1.0/1[10,20)
              0     | e0-10 f0 f0 r r                         | 0      | 1     | 1      | 0.0/1[0,10)
              0     | e0-10 f0 a0 r                           | 10     | 0     | 0      | ''
            # acks and fails of what is not in flight return false
              0     | e0-10 a0 !a0 !f0 !a99 !f99              | 10     | 0     | 0      | ''
              0     | e0,10-20 !a10 !f10                      | 0      | 2     | 1      | ''
              0     | e0,10-20 f0 a0 a10 !a0 !f10             | 20     | 0     | 0      | ''
            """)
    void tracksAcksFailsPartsAndTheResumePoint(long start, String operations, long resume, int lines, int blocks,
            String replayed) {
        BlockTracker tracker = new BlockTracker(start);
        List<String> replays = new ArrayList<>();
        long seq = 0;
        for (String op : operations.isBlank() ? new String[0] : operations.trim().split("\\s+")) {
            boolean mustFail = op.startsWith("!");
            String code = mustFail ? op.substring(1) : op;
            switch (code.charAt(0)) {
                case 'e' -> {
                    String[] startsAndEnd = code.substring(1).split("-");
                    long[] offsets = Arrays.stream(startsAndEnd[0].split(",")).mapToLong(Long::parseLong).toArray();
                    tracker.emitted(block(seq++, Long.parseLong(startsAndEnd[1]), offsets));
                }
                case 'a' -> assertThat(tracker.ack(Long.parseLong(code.substring(1)))).as(op).isEqualTo(!mustFail);
                case 'f' -> assertThat(tracker.fail(Long.parseLong(code.substring(1)))).as(op).isEqualTo(!mustFail);
                case 'r' -> {
                    LineBlock part = tracker.nextReplay();
                    if (part != null) {
                        assertThat(part.lineCount()).as("a replay is one line").isOne();
                        assertThat(part.lines()[0]).isEqualTo("L" + part.offset());
                        assertThat(part.position().epoch()).isEqualTo(EPOCH);
                        replays.add(part.position().seq() + "." + part.position().part() + "/"
                                + part.position().parts() + "[" + part.offset() + "," + part.nextOffset() + ")");
                    }
                }
                default -> throw new IllegalArgumentException(op);
            }
        }
        assertThat(tracker.resumeOffset()).as("resume point").isEqualTo(resume);
        assertThat(tracker.inFlight()).as("lines in flight").isEqualTo(lines);
        assertThat(tracker.blocksInFlight()).as("blocks and parts in flight").isEqualTo(blocks);
        assertThat(tracker.allAcked()).isEqualTo(lines == 0);
        assertThat(String.join(" ", replays)).isEqualTo(replayed);
        assertThat(tracker.hasReplay()).isFalse();
    }

    @Test
    void rejectsBlocksOutOfOrder() {
        BlockTracker tracker = new BlockTracker(0);
        tracker.emitted(block(0, 20, 0, 10));
        assertThatThrownBy(() -> tracker.emitted(block(1, 25, 15))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BlockTracker(30).emitted(block(0, 40, 20, 30)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void partsKeepTheSourceTextAndRangeOfTheirLine() {
        BlockTracker tracker = new BlockTracker(0);
        tracker.emitted(new LineBlock("/var/log/a#1", new String[] {"GET /a", "GET /b"}, new long[] {0, 8}, 15,
                BlockPosition.whole(EPOCH, 4)));
        tracker.fail(0);
        assertThat(tracker.nextReplay()).satisfies(part -> {
            assertThat(part.source()).isEqualTo("/var/log/a#1");
            assertThat(part.lines()).containsExactly("GET /a");
            assertThat(part.offsets()).containsExactly(0L);
            assertThat(part.nextOffset()).isEqualTo(8);
            assertThat(part.position()).isEqualTo(BlockPosition.whole(EPOCH, 4).part(0, 2));
        });
        assertThat(tracker.nextReplay()).satisfies(part -> {
            assertThat(part.lines()).containsExactly("GET /b");
            assertThat(part.offset()).isEqualTo(8);
            assertThat(part.nextOffset()).isEqualTo(15);
            assertThat(part.position()).isEqualTo(BlockPosition.whole(EPOCH, 4).part(1, 2));
        });
    }

    @Test
    void countsTheInputBytesOfWhatIsInFlightThroughFailedPartsAndAcks() {
        BlockTracker tracker = new BlockTracker(0);
        tracker.emitted(new LineBlock("a", new String[] {"GET /a", "GET /b"}, new long[] {0, 8}, 15,
                BlockPosition.whole(EPOCH, 0)));
        tracker.emitted(new LineBlock("a", new String[] {"GET /c"}, new long[] {15}, 100, BlockPosition.whole(EPOCH, 1)));
        assertThat(tracker.bytesInFlight()).isEqualTo(100);

        tracker.fail(0); // two parts, [0, 8) and [8, 15): the same bytes
        assertThat(tracker.bytesInFlight()).isEqualTo(100);
        tracker.ack(8);
        assertThat(tracker.bytesInFlight()).isEqualTo(93);
        tracker.ack(15);
        tracker.ack(0);
        assertThat(tracker.bytesInFlight()).isZero();
    }
}
