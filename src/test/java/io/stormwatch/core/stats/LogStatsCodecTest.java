package io.stormwatch.core.stats;

import static io.stormwatch.core.stats.StatsFixtures.stats;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.RejectReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** {@link LogStatsCodec}: lossless, canonical, compact, and decoding into a target is a merge. */
class LogStatsCodecTest {

    @Property
    void decodingTheEncodingGivesEqualStats(@ForAll("events") List<Object> events) {
        LogStats stats = stats(events);

        assertThat(LogStatsCodec.decode(LogStatsCodec.encode(stats))).isEqualTo(stats);
    }

    @Example
    void theEmptyStatsRoundTrip() {
        assertThat(LogStatsCodec.decode(LogStatsCodec.encode(new LogStats()))).isEqualTo(new LogStats());
    }

    @Property
    void equalStatsGiveEqualBytesWhateverTheCountingOrder(@ForAll("events") List<Object> events) {
        List<Object> reversed = new ArrayList<>(events);
        Collections.reverse(reversed);

        assertThat(LogStatsCodec.encode(stats(reversed))).isEqualTo(LogStatsCodec.encode(stats(events)));
    }

    @Property
    void differentStatsGiveDifferentBytes(@ForAll("events") List<Object> a, @ForAll("events") List<Object> b) {
        boolean sameBytes = Arrays.equals(LogStatsCodec.encode(stats(a)), LogStatsCodec.encode(stats(b)));

        assertThat(sameBytes).isEqualTo(stats(a).equals(stats(b)));
    }

    @Property
    void decodingIntoATargetMergesIntoIt(@ForAll("events") List<Object> a, @ForAll("events") List<Object> b) {
        LogStats target = stats(a);

        LogStatsCodec.decodeInto(LogStatsCodec.encode(stats(b)), target);

        assertThat(target).isEqualTo(stats(a).merge(stats(b)));
    }

    @Property
    void theMergerAddsEncodingsAsMergeAddsStats(@ForAll("events") List<Object> a, @ForAll("events") List<Object> b,
            @ForAll("events") List<Object> c) {
        LogStats target = stats(c);

        new LogStatsCodec.Merger()
                .add(LogStatsCodec.encode(stats(a)))
                .add(LogStatsCodec.encode(stats(b)))
                .add(LogStatsCodec.encode(stats(a)))
                .into(target);

        assertThat(target).isEqualTo(stats(c).merge(stats(a)).merge(stats(b)).merge(stats(a)));
    }

    @Example
    void theMergerCountsManyKeysAcrossManyEncodings() {
        Random random = new Random(11);
        LogStatsCodec.Merger merger = new LogStatsCodec.Merger();
        LogStats expected = new LogStats();
        for (int part = 0; part < 20; part++) {
            LogStats stats = new LogStats();
            for (int i = 0; i < 2_000; i++) {
                String key = "10.0." + random.nextInt(40) + "." + random.nextInt(256);
                stats.add(StatsFixtures.record(key, "/" + key.repeat(random.nextInt(12)), 200, i, i));
            }
            merger.add(LogStatsCodec.encode(stats));
            expected.merge(stats);
        }

        assertThat(merger.into(new LogStats())).isEqualTo(expected);
    }

    @Example
    void anIpv4ClientCostsWellUnder25Bytes() {
        Random random = new Random(7);
        LogStats stats = new LogStats();
        for (int i = 0; i < 100_000; i++) {
            String client = random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                    + random.nextInt(256);
            // A skewed count per client, as in real traffic: most see a few requests, some many.
            int requests = 1 + (int) Math.min(10_000, Math.exp(random.nextDouble() * 9));
            stats.add(StatsFixtures.record(client, "/", 200, 100, 1_700_000_000_000L));
            stats.clients().add(client, requests - 1);
        }
        int clients = stats.clients().size();

        byte[] encoded = LogStatsCodec.encode(stats);

        assertThat(clients).isGreaterThan(99_000);
        assertThat((double) encoded.length / clients).isLessThan(25.0);
        assertThat(LogStatsCodec.decode(encoded)).isEqualTo(stats);
    }

    @Example
    void bytesThatAreNotAnEncodingAreRefused() {
        byte[] valid = LogStatsCodec.encode(stats(List.of(StatsFixtures.record("10.0.0.1", "/", 200, 1, 0))));

        assertThatThrownBy(() -> LogStatsCodec.decode(new byte[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogStatsCodec.decode(new byte[] {9})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogStatsCodec.decode(Arrays.copyOf(valid, valid.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LogStatsCodec.decode(Arrays.copyOf(valid, valid.length + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<List<Object>> events() {
        Arbitrary<String> ipv4 = Arbitraries.integers().between(0, 255).list().ofSize(4)
                .map(octets -> octets.stream().map(String::valueOf).reduce((x, y) -> x + "." + y).orElseThrow());
        Arbitrary<String> anyText = Arbitraries.strings().ofMaxLength(12);
        Arbitrary<LogRecord> records = Combinators.combine(
                        Arbitraries.oneOf(ipv4, anyText, Arbitraries.of("10.0.0.1", "10.0.0.10", "10.0.0.100")),
                        Arbitraries.oneOf(anyText, Arbitraries.of("/", "/a", "/a/b", "/é?q=1")),
                        Arbitraries.oneOf(Arbitraries.of(200, 304, 404, 500, -1),
                                Arbitraries.integers().between(Integer.MIN_VALUE, Integer.MAX_VALUE)),
                        Arbitraries.longs().between(-1, Long.MAX_VALUE / 1_000_000),
                        Arbitraries.longs().between(-86_400_000L, 4_102_444_800_000L))
                .as(StatsFixtures::record);
        Arbitrary<Object> event = Arbitraries.frequencyOf(
                Tuple.of(4, records.map(r -> (Object) r)),
                Tuple.of(1, Arbitraries.of(RejectReason.class).map(r -> (Object) r)));
        return event.list().ofMaxSize(40);
    }
}
