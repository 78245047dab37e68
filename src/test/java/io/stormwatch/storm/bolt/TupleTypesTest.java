package io.stormwatch.storm.bolt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.io.LineBlock;
import io.stormwatch.core.job.DeadLetter;
import io.stormwatch.core.totals.OffsetSet;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.core.window.PanePartial;
import io.stormwatch.storm.sink.LateLine;
import io.stormwatch.storm.sink.Result;
import io.stormwatch.testing.Blocks;
import java.util.List;
import org.apache.storm.Config;
import org.apache.storm.serialization.KryoValuesDeserializer;
import org.apache.storm.serialization.KryoValuesSerializer;
import org.apache.storm.utils.Utils;
import org.junit.jupiter.api.Test;

/** The values of every stream the spouts and bolts emit survive Storm's Kryo serialization, as between workers. */
class TupleTypesTest {

    private static Config conf(boolean registered) {
        Config conf = new Config();
        conf.putAll(Utils.readDefaultConfig());
        conf.setFallBackOnJavaSerialization(false);
        if (registered) {
            TupleTypes.register(conf);
        }
        return conf;
    }

    private static List<Object> roundTrip(List<Object> values) {
        Config conf = conf(true);
        return new KryoValuesDeserializer(conf).deserialize(new KryoValuesSerializer(conf).serialize(values));
    }

    @Test
    void lineBlocksRoundTrip() {
        LineBlock block = Blocks.lines("a", 5, 3, 7);
        LineBlock back = (LineBlock) roundTrip(List.of(block, "a", 500L, 800L)).get(0);
        assertThat(back.lines()).containsExactly(block.lines());
        assertThat(back.offsets()).containsExactly(block.offsets());
        assertThat(back).extracting(LineBlock::source, LineBlock::nextOffset, LineBlock::position)
                .containsExactly("a", 800L, block.position());
    }

    @Test
    void countedBlocksRoundTripWithTheirTallies() {
        BlockPanes panes = Blocks.panes(3, "a", 5, 10, 2);
        BlockPanes back = (BlockPanes) roundTrip(List.of(panes, "a", 500L, 1500L)).get(0);
        assertThat(back.panes()).hasSameSizeAs(panes.panes());
        for (int i = 0; i < panes.panes().length; i++) {
            PanePartial sent = panes.panes()[i];
            PanePartial got = back.panes()[i];
            assertThat(got.paneEnd()).isEqualTo(sent.paneEnd());
            assertThat(got.tally()).isEqualTo(sent.tally());
            assertThat(got.offsets()).containsExactly(sent.offsets());
            assertThat(got.times()).containsExactly(sent.times());
        }
        assertThat(back.rest()).isEqualTo(panes.rest());
        assertThat(back).extracting(BlockPanes::channel, BlockPanes::position, BlockPanes::maxTime, BlockPanes::slideMillis)
                .containsExactly(3, panes.position(), panes.maxTime(), panes.slideMillis());
    }

    @Test
    void resultsDeadLettersLateLinesAndStateValuesRoundTrip() {
        Tally tally = Blocks.tally(0, 20);
        OffsetSet ranges = new OffsetSet();
        ranges.add(0, 100);
        ranges.add(300, 400);
        List<Object> values = List.of(
                Result.window(0, 10_000, 2, "{\"records\":3}"),
                new DeadLetter[] {new DeadLetter("a", 7, "bad", "no space", "junk")},
                new LateLine[] {new LateLine("a", 300, 1_234, 20_000)},
                tally, ranges);
        List<Object> back = roundTrip(values);
        assertThat(back.get(0)).isEqualTo(values.get(0));
        assertThat((DeadLetter[]) back.get(1)).containsExactly((DeadLetter[]) values.get(1));
        assertThat((LateLine[]) back.get(2)).containsExactly((LateLine[]) values.get(2));
        assertThat(back.get(3)).isEqualTo(tally);
        assertThat(back.get(4)).isEqualTo(ranges);
    }

    @Test
    void withoutRegistrationStormRefusesThem() {
        KryoValuesSerializer serializer = new KryoValuesSerializer(conf(false));
        assertThatThrownBy(() -> serializer.serialize(List.of(Blocks.lines("a", 0, 1, 0)))).hasMessageContaining("not registered");
    }
}
