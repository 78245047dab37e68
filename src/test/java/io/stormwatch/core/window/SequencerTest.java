package io.stormwatch.core.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins down {@link Sequencer}, table-driven: per channel, blocks come out in emission order whatever order
 * they arrive in; a block handed out before is dropped when it comes again; a block re-emitted as parts is
 * handed out, parts in part order, once all its parts are there, and of a whole block and its parts the one
 * complete first wins; a new epoch drops what the old one had waiting (a socket's: hands it out, in order), and an
 * epoch seen before is dropped; a gap is skipped once more than {@code maxWaiting} blocks wait behind it, and the missing block
 * (whole or in parts) is handed out when it turns up; {@code drain()} hands out everything waiting.
 *
 * <p>A step {@code "offered > handed out"} offers one block and expects the blocks handed out, by name. A
 * block is named {@code [c<channel>:][e<epoch>:][s]<seq>[.<part>/<parts>]} (channel and epoch default to 0; {@code s}:
 * a socket's, not {@link BlockPosition#replayable}), e.g. {@code 3}, {@code e1:0}, {@code e1:s0}, {@code c2:5.1/3};
 * the step {@code "drain > ..."} drains.
 */
class SequencerTest {

    private static final Pattern BLOCK = Pattern.compile("(?:c(\\d+):)?(?:e(\\d+):)?(s)?(\\d+)(?:\\.(\\d+)/(\\d+))?");

    static Stream<Arguments> scenarios() {
        return Stream.of(
                scenario("in order: each block at once", 4,
                        "0 > 0", "1 > 1", "2 > 2"),
                scenario("out of order: held until its predecessors came", 4,
                        "0 > 0", "2 >", "3 >", "1 > 1, 2, 3", "5 >", "4 > 4, 5"),
                scenario("the first block may come last", 4,
                        "2 >", "1 >", "0 > 0, 1, 2"),
                scenario("duplicates are dropped, handed out or waiting", 4,
                        "0 > 0", "0 >", "2 >", "2 >", "1 > 1, 2", "1 >", "2 >"),
                scenario("a block in parts: handed out once complete, in part order", 4,
                        "0 > 0", "1.2/3 >", "1.0/3 >", "1.0/3 >", "1.1/3 > 1.0/3, 1.1/3, 1.2/3", "2 > 2"),
                scenario("a block in parts waits for its predecessors too", 4,
                        "1.1/2 >", "1.0/2 >", "0 > 0, 1.0/2, 1.1/2"),
                scenario("whole before its parts: the whole wins", 4,
                        "1 >", "1.0/2 >", "1.1/2 >", "0 > 0, 1"),
                scenario("parts complete before the whole: the parts win", 4,
                        "1.0/2 >", "1.1/2 >", "1 >", "0 > 0, 1.0/2, 1.1/2"),
                scenario("the whole completes while parts are missing: the whole wins", 4,
                        "1.0/2 >", "1 >", "0 > 0, 1", "1.1/2 >"),
                scenario("parts of a block handed out whole are dropped", 4,
                        "0 > 0", "0.0/2 >", "0.1/2 >", "1 > 1"),
                scenario("a new epoch drops what the old one had waiting (it reads that again), then starts at 0", 4,
                        "e1:0 > e1:0", "e1:3 >", "e1:2 >", "e2:1 >", "e2:0 > e2:0, e2:1", "e1:1 >"),
                scenario("a socket's new epoch hands out what the old one had waiting, in order, then starts at 0", 4,
                        "e1:s0 > e1:s0", "e1:s3 >", "e1:s2 >", "e2:s1 > e1:s2, e1:s3", "e2:s0 > e2:s0, e2:s1"),
                scenario("an epoch seen before is dropped", 4,
                        "e1:0 > e1:0", "e2:0 > e2:0", "e1:1 >", "e1:2 >", "e2:1 > e2:1"),
                scenario("a new epoch with a smaller number (a clock set back) is still new", 4,
                        "e5:0 > e5:0", "e3:0 > e3:0", "e3:1 > e3:1", "e5:1 >"),
                scenario("a new epoch drops an incomplete block's parts", 4,
                        "e1:0 > e1:0", "e1:1.1/2 >", "e2:0 > e2:0"),
                scenario("a socket's new epoch hands out an incomplete block's parts", 4,
                        "e1:s0 > e1:s0", "e1:s1.1/2 >", "e2:s0 > e1:s1.1/2, e2:s0"),
                scenario("channels are independent", 4,
                        "c1:1 >", "c2:0 > c2:0", "c1:0 > c1:0, c1:1", "c2:1 > c2:1"),
                scenario("a gap is skipped once more than maxWaiting blocks wait, and the straggler handed out on arrival", 2,
                        "0 > 0", "2 >", "3 >", "4 > 2, 3, 4", "1 > 1", "1 >", "5 > 5"),
                scenario("a gap of several blocks: each straggler handed out on arrival", 2,
                        "0 > 0", "3 >", "4 >", "5 > 3, 4, 5", "2 > 2", "1 > 1", "2 >"),
                scenario("a straggler coming in parts: every part handed out on arrival", 2,
                        "0 > 0", "2 >", "3 >", "4 > 2, 3, 4", "1.1/2 > 1.1/2", "1.1/2 >", "1.0/2 > 1.0/2", "1 >"),
                scenario("a block missing parts is the gap: its parts so far go, the rest on arrival", 2,
                        "0 > 0", "1.0/3 >", "2 >", "3 > 1.0/3, 2, 3", "1.2/3 > 1.2/3", "1.1/3 > 1.1/3", "1.1/3 >", "1 >"),
                scenario("drain hands out everything waiting, in order, gaps skipped", 4,
                        "0 > 0", "2 >", "4 >", "5.1/2 >", "drain > 2, 4, 5.1/2"),
                scenario("after a drain, what it handed out is dropped and stragglers go on arrival", 4,
                        "0 > 0", "2 >", "4.0/2 >", "drain > 2, 4.0/2", "2 >", "3 > 3", "1 > 1", "4.1/2 > 4.1/2", "5 > 5"),
                scenario("drain with nothing waiting", 4,
                        "drain >", "0 > 0", "drain >", "1 > 1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void handsOutBlocksAsTheTableSays(String name, int maxWaiting, List<String> steps) {
        Sequencer<String> sequencer = new Sequencer<>(maxWaiting);
        for (String step : steps) {
            String[] sides = step.split(">", -1);
            String offered = sides[0].trim();
            List<String> expected = sides[1].isBlank() ? List.of()
                    : Arrays.stream(sides[1].split(",")).map(String::trim).toList();

            List<String> handedOut = offered.equals("drain") ? sequencer.drain() : offer(sequencer, offered);

            assertThat(handedOut).as("step %s of %s", step, steps).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void countsWaitingBlocksAndSkippedGaps() {
        Sequencer<String> sequencer = new Sequencer<>(2);
        offer(sequencer, "c1:0");
        offer(sequencer, "c1:2");
        offer(sequencer, "c2:1");

        assertThat(sequencer.waiting()).isEqualTo(2);
        assertThat(sequencer.gapsSkipped()).isZero();

        offer(sequencer, "c1:3");
        offer(sequencer, "c1:4");

        assertThat(sequencer.gapsSkipped()).isEqualTo(1);
        assertThat(sequencer.waiting()).isEqualTo(1); // c2:1 still waits for c2:0
    }

    @Test
    void maxWaitingMustBePositive() {
        assertThatThrownBy(() -> new Sequencer<String>(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> offer(Sequencer<String> sequencer, String name) {
        Matcher m = BLOCK.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a block name: " + name);
        }
        int channel = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        long epoch = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
        long seq = Long.parseLong(m.group(4));
        BlockPosition position = m.group(3) == null ? BlockPosition.whole(epoch, seq)
                : BlockPosition.wholeUnreplayable(epoch, seq);
        if (m.group(5) != null) {
            position = position.part(Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6)));
        }
        return sequencer.offer(channel, position, name);
    }

    private static Arguments scenario(String name, int maxWaiting, String... steps) {
        return Arguments.of(name, maxWaiting, new ArrayList<>(List.of(steps)));
    }

    @Test
    void aGapWaitedOnTooLongIsGivenUpAndItsBlockGoesOutShouldItCome() {
        Sequencer<String> sequencer = new Sequencer<>(1_000);
        assertThat(sequencer.offer(0, BlockPosition.whole(1, 0), "0", 1_000)).containsExactly("0");
        assertThat(sequencer.offer(0, BlockPosition.whole(1, 2), "2", 2_000)).isEmpty();
        assertThat(sequencer.offer(0, BlockPosition.whole(1, 4), "4", 5_000)).isEmpty();

        assertThat(sequencer.skipGapsWaitingSince(1_999, 1_999)).as("block 2 has waited since 2 000").isEmpty();
        assertThat(sequencer.skipGapsWaitingSince(2_000, 2_000)).as("the gap before 4 is younger").containsExactly("2");
        assertThat(sequencer.offer(0, BlockPosition.whole(1, 1), "1", 6_000)).as("a straggler").containsExactly("1");
        assertThat(sequencer.skipGapsWaitingSince(5_000, 5_000)).containsExactly("4");
        assertThat(sequencer.waiting()).isZero();
        assertThat(sequencer.gapsSkipped()).isEqualTo(2);
    }

    @Test
    void aSocketsGapIsGivenUpSoonerThanOneThatWillBeReplayed() {
        List<String> dropped = new ArrayList<>();
        Sequencer<String> sequencer = new Sequencer<>(1_000, dropped::add);
        sequencer.offer(1, BlockPosition.wholeUnreplayable(1, 0), "socket 0", 1_000);
        sequencer.offer(1, BlockPosition.wholeUnreplayable(1, 2), "socket 2", 2_000);
        sequencer.offer(2, BlockPosition.whole(1, 0), "file 0", 1_000);
        sequencer.offer(2, BlockPosition.whole(1, 2), "file 2", 2_000);
        assertThat(sequencer.channelsWaiting()).containsExactlyInAnyOrder(1, 2);

        assertThat(sequencer.skipGapsWaitingSince(2_000, 1_999)).as("the socket's block 1 is lost for good")
                .containsExactly("socket 2");
        assertThat(sequencer.channelsWaiting()).as("the file's block 1 will be replayed").containsExactly(2);
        assertThat(sequencer.offer(2, BlockPosition.whole(1, 1).part(0, 1), "file 1 replayed", 30_000))
                .containsExactly("file 1 replayed", "file 2");
        assertThat(sequencer.gapsSkipped()).isEqualTo(1);
        assertThat(dropped).isEmpty();
    }

    @Test
    void aRestartedTaskReadsAgainWhatItsLastRunHadWaitingSoThatIsDroppedUnused() {
        List<String> dropped = new ArrayList<>();
        Sequencer<String> sequencer = new Sequencer<>(1_000, dropped::add);
        sequencer.offer(0, BlockPosition.whole(1, 0), "e1:0", 0);
        sequencer.offer(0, BlockPosition.whole(1, 2), "e1:2", 0);
        sequencer.offer(0, BlockPosition.whole(1, 2), "e1:2 again", 0);

        assertThat(sequencer.offer(0, BlockPosition.whole(2, 0), "e2:0", 0)).containsExactly("e2:0");
        assertThat(dropped).containsExactlyInAnyOrder("e1:2", "e1:2 again");
        assertThat(sequencer.waiting()).isZero();
    }
}
