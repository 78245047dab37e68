package io.stormwatch.storm.bolt;

import static io.stormwatch.testing.TestTopology.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.log.AccessLogRenderer;
import io.stormwatch.core.log.LogRecord;
import io.stormwatch.storm.Schema;
import io.stormwatch.testing.RecordingOutputCollector;
import io.stormwatch.testing.RecordingOutputCollector.Emit;
import io.stormwatch.testing.Records;
import io.stormwatch.testing.TestTopology;
import java.util.List;
import java.util.Map;
import org.apache.storm.tuple.Tuple;
import org.apache.storm.utils.Utils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ParseBoltTest {

    private final ParseBolt bolt = new ParseBolt("combined", 2000);
    private final TestTopology topology = new TestTopology()
            .component("spout", 2, Map.of(Utils.DEFAULT_STREAM_ID, Schema.LINE_FIELDS,
                    Schema.END_OF_INPUT_STREAM, Schema.END_OF_INPUT_FIELDS))
            .bolt("parse", 1, bolt, stream("spout", Utils.DEFAULT_STREAM_ID), stream("spout", Schema.END_OF_INPUT_STREAM));
    private final RecordingOutputCollector output = new RecordingOutputCollector();

    @BeforeEach
    void prepare() {
        bolt.prepare(topology.conf(), topology.context("parse", 0), output.collector());
    }

    @Test
    void emitsAParsedLineAnchoredToIt() {
        LogRecord record = Records.record(1_700_000_000_000L, "10.1.2.3", "/a?b=c", 404, 512);
        String text = AccessLogRenderer.combined(record);
        Tuple line = topology.tuple("spout", 0, Utils.DEFAULT_STREAM_ID, text, "access.log", 42L, 180L);

        bolt.execute(line);

        assertThat(output.emits()).containsExactly(
                new Emit(Utils.DEFAULT_STREAM_ID, List.of(line), List.of(record, "access.log", 42L, 180L)));
        assertThat(output.acked()).containsExactly(line);
    }

    @Test
    void rejectsABadLineWithReasonDetailAndPosition() {
        Tuple line = topology.tuple("spout", 1, Utils.DEFAULT_STREAM_ID, "   ", "access.log", 7L, 11L);

        bolt.execute(line);

        Emit emit = output.emits().get(0);
        assertThat(emit.stream()).isEqualTo(Schema.REJECTED_STREAM);
        assertThat(emit.anchors()).containsExactly(line);
        assertThat(emit.values()).containsExactly("empty", emit.values().get(1), "   ", "access.log", 7L, 11L);
        assertThat((String) emit.values().get(1)).isNotBlank();
        assertThat(output.acked()).containsExactly(line);
        assertThat(output.emits()).hasSize(1);
    }

    @Test
    void aDeadLetterKeepsOnlyTheStartOfAHugeLine() {
        String huge = "x".repeat(5000);
        Tuple line = topology.tuple("spout", 0, Utils.DEFAULT_STREAM_ID, huge, "access.log", 0L, 5001L);

        bolt.execute(line);

        List<Object> values = output.emits(Schema.REJECTED_STREAM).get(0).values();
        assertThat(values.get(0)).isEqualTo("too-long");
        assertThat((String) values.get(2)).isEqualTo(huge.substring(0, ParseBolt.DEAD_LETTER_LINE_CHARS));
    }

    @Test
    void theCutNeverSplitsASurrogatePair() {
        String emoji = "\uD83D\uDE00";
        String line = "a".repeat(ParseBolt.DEAD_LETTER_LINE_CHARS - 1) + emoji + "tail";

        assertThat(ParseBolt.deadLetterLine(line)).isEqualTo("a".repeat(ParseBolt.DEAD_LETTER_LINE_CHARS - 1));
        assertThat(ParseBolt.deadLetterLine("short" + emoji)).isEqualTo("short" + emoji);
    }

    @Test
    void forwardsEndOfInputOnceEveryUpstreamTaskHasSentIt() {
        Tuple first = topology.tuple("spout", 0, Schema.END_OF_INPUT_STREAM, "spout-0");
        Tuple firstAgain = topology.tuple("spout", 0, Schema.END_OF_INPUT_STREAM, "spout-0");
        Tuple second = topology.tuple("spout", 1, Schema.END_OF_INPUT_STREAM, "spout-1");

        bolt.execute(first);
        bolt.execute(firstAgain);
        assertThat(output.emits()).isEmpty();

        bolt.execute(second);
        bolt.execute(topology.tuple("spout", 1, Schema.END_OF_INPUT_STREAM, "spout-1"));

        assertThat(output.streams()).containsExactly(Schema.END_OF_INPUT_STREAM);
        assertThat(output.acked()).hasSize(4);
    }

    @Test
    void anUnknownFormatFailsWhenTheTopologyIsBuilt() {
        assertThatThrownBy(() -> new ParseBolt("no-such-format", 100)).isInstanceOf(IllegalArgumentException.class);
    }
}
