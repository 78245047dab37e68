package io.stormwatch.storm.bolt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.window.Pane;
import io.stormwatch.core.window.WindowResult;
import io.stormwatch.testing.Records;
import java.util.List;
import org.apache.storm.Config;
import org.apache.storm.serialization.KryoValuesDeserializer;
import org.apache.storm.serialization.KryoValuesSerializer;
import org.apache.storm.utils.Utils;
import org.junit.jupiter.api.Test;

/** The values of every stream these bolts emit survive Storm's Kryo serialization, as between workers. */
class TupleTypesTest {

    private static final LogStats STATS = new LogStats()
            .add(Records.record(1_000, "10.0.0.1", "/a", 200, 10))
            .add(Records.record(2_000, "10.0.0.2", "/b", 404, -1))
            .reject(RejectReason.TOO_LONG);

    private static final List<List<Object>> TUPLES = List.of(
            List.of(Records.at(5_000), "access.log", 42L),
            List.of(20_000L, new Pane(20_000, STATS, 3)),
            List.of(40_000L, Pane.endOfInputMarker(40_000)),
            List.of(new WindowResult(0, 30_000, STATS, 3)),
            List.of(STATS, true));

    private static Config conf(boolean registered) {
        Config conf = new Config();
        conf.putAll(Utils.readDefaultConfig());
        conf.setFallBackOnJavaSerialization(false);
        if (registered) {
            TupleTypes.register(conf);
        }
        return conf;
    }

    @Test
    void registeredTypesRoundTrip() {
        Config conf = conf(true);
        KryoValuesSerializer serializer = new KryoValuesSerializer(conf);
        KryoValuesDeserializer deserializer = new KryoValuesDeserializer(conf);
        for (List<Object> values : TUPLES) {
            assertThat(deserializer.deserialize(serializer.serialize(values))).isEqualTo(values);
        }
    }

    @Test
    void withoutRegistrationStormRefusesThem() {
        KryoValuesSerializer serializer = new KryoValuesSerializer(conf(false));
        assertThatThrownBy(() -> serializer.serialize(TUPLES.get(1))).hasMessageContaining("not registered");
    }
}
