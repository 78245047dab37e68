package io.stormwatch.storm.bolt;

import static io.stormwatch.testing.TestTopology.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.io.LineBlock;
import io.stormwatch.core.job.DeadLetter;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.core.window.PanePartial;
import io.stormwatch.storm.Schema;
import io.stormwatch.testing.Blocks;
import io.stormwatch.testing.EventJob;
import io.stormwatch.testing.RecordingOutputCollector;
import io.stormwatch.testing.RecordingOutputCollector.Emit;
import io.stormwatch.testing.TestTopology;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.Utils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ParseBolt} with real tuples: one counted block per block, dead letters together, anchored, acked. */
class ParseBoltTest {

    private final ParseBolt bolt = new ParseBolt(new EventJob(), Blocks.WINDOW, 40);
    private final TestTopology topology = new TestTopology()
            .component("source", 2, Map.of(Utils.DEFAULT_STREAM_ID, Schema.BLOCK_FIELDS))
            .bolt("parse", 1, bolt, stream("source", Utils.DEFAULT_STREAM_ID));
    private final RecordingOutputCollector output = new RecordingOutputCollector();

    @BeforeEach
    void prepare() {
        bolt.prepare(topology.conf(), topology.context("parse", 0), output.collector());
    }

    private Tuple tuple(int sourceTask, LineBlock block) {
        return topology.tuple("source", sourceTask, Utils.DEFAULT_STREAM_ID, block, block.source(), block.offset(),
                block.nextOffset());
    }

    @Test
    void emitsTheBlockCountedByPaneAnchoredToItWithItsChannelAndPosition() {
        // Lines 5..14 of "a": times T0 + 5 s .. T0 + 14 s, across two 10 s panes.
        LineBlock block = Blocks.lines("a", 5, 10, 3);
        Tuple input = tuple(1, block);

        bolt.execute(input);

        assertThat(output.emits()).hasSize(1);
        Emit emit = output.emits().get(0);
        assertThat(emit.stream()).isEqualTo(Utils.DEFAULT_STREAM_ID);
        assertThat(emit.anchors()).containsExactly(input);
        BlockPanes panes = (BlockPanes) emit.values().get(0);
        assertThat(emit.values().subList(1, 4)).containsExactly("a", 500L, 1500L);
        assertThat(panes.channel()).as("the spout task").isEqualTo(topology.tasks("source").get(1));
        assertThat(panes.position()).isEqualTo(BlockPosition.whole(1, 3));
        assertThat(Arrays.stream(panes.panes()).mapToLong(p -> p.tally().records()).sum()).isEqualTo(10);
        assertThat(panes.panes()).extracting(PanePartial::paneEnd).isSorted().hasSizeBetween(2, 3);
        assertThat(output.acked()).containsExactly(input);
    }

    @Test
    void rejectedLinesOfABlockGoOutTogetherWithTheirOffsets() {
        LineBlock block = new LineBlock("a", new String[] {EventJob.line(Blocks.T0, "x"), "junk", "x".repeat(41)},
                new long[] {0, 10, 15}, 60, BlockPosition.whole(1, 0));
        Tuple input = tuple(0, block);

        bolt.execute(input);

        assertThat(output.streams()).containsExactly(Utils.DEFAULT_STREAM_ID, Schema.REJECTED_STREAM);
        Emit rejected = output.emits(Schema.REJECTED_STREAM).get(0);
        assertThat(rejected.anchors()).containsExactly(input);
        assertThat((DeadLetter[]) rejected.values().get(0)).extracting(DeadLetter::offset, DeadLetter::reason)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(10L, "bad"),
                        org.assertj.core.groups.Tuple.tuple(15L, "too-long"));
        BlockPanes panes = (BlockPanes) output.emits(Utils.DEFAULT_STREAM_ID).get(0).values().get(0);
        assertThat(panes.rest().rejected()).isEqualTo(2);
        assertThat(panes.lineCount()).isEqualTo(3);
        assertThat(output.acked()).containsExactly(input);
    }

    @Test
    void aBlockWithoutRejectsSendsNoDeadLetters() {
        bolt.execute(tuple(0, Blocks.lines("a", 0, 3, 0)));

        assertThat(output.streams()).containsExactly(Utils.DEFAULT_STREAM_ID);
        assertThat(output.errors()).isEmpty();
        assertThat(List.of(output.acked().size())).containsExactly(1);
    }
}
