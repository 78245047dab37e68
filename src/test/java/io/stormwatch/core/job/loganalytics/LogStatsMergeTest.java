package io.stormwatch.core.job.loganalytics;

import static io.stormwatch.core.job.loganalytics.StatsFixtures.stats;
import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.RejectReason;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link LogStats} is a commutative monoid under {@link LogStats#merge}: what lets batches, windows and
 * totals agree exactly. Events come from small domains so that keys collide across the parts.
 */
class LogStatsMergeTest {

    @Property
    void statsOfAConcatenationIsTheMergeOfTheStatsOfItsParts(
            @ForAll("events") List<Object> a, @ForAll("events") List<Object> b) {
        List<Object> whole = new ArrayList<>(a);
        whole.addAll(b);

        assertThat(stats(a).merge(stats(b))).isEqualTo(stats(whole));
    }

    @Property
    void theEmptyStatsAreTheIdentity(@ForAll("events") List<Object> a) {
        assertThat(stats(a).merge(new LogStats())).isEqualTo(stats(a));
        assertThat(new LogStats().merge(stats(a))).isEqualTo(stats(a));
    }

    @Property
    void mergeIsAssociative(@ForAll("events") List<Object> a, @ForAll("events") List<Object> b,
            @ForAll("events") List<Object> c) {
        LogStats left = stats(a).merge(stats(b)).merge(stats(c));
        LogStats right = stats(a).merge(stats(b).merge(stats(c)));

        assertThat(left).isEqualTo(right);
    }

    @Property
    void mergeIsCommutative(@ForAll("events") List<Object> a, @ForAll("events") List<Object> b) {
        assertThat(stats(a).merge(stats(b))).isEqualTo(stats(b).merge(stats(a)));
    }

    @Property
    void mergeLeavesItsArgumentUntouched(@ForAll("events") List<Object> a, @ForAll("events") List<Object> b) {
        LogStats other = stats(b);
        stats(a).merge(other).add(StatsFixtures.record("x", "/x", 200, 1, 0));

        assertThat(other).isEqualTo(stats(b));
    }

    @Property
    void statsOfAnyEventDifferFromTheEmptyStats(@ForAll("events") List<Object> a) {
        // Guards the properties above against an equals that is always true.
        if (!a.isEmpty()) {
            assertThat(stats(a)).isNotEqualTo(new LogStats());
        }
    }

    @Provide
    Arbitrary<List<Object>> events() {
        Arbitrary<LogRecord> records = Combinators.combine(
                        Arbitraries.of("10.0.0.1", "10.0.0.2", "::1", "host.example.com"),
                        Arbitraries.of("/", "/a", "/b?q=1", "GET /broken"),
                        Arbitraries.of(200, 304, 404, 500, -1),
                        Arbitraries.longs().between(-1, 1_000_000),
                        Arbitraries.longs().between(-86_400_000L, 4_102_444_800_000L))
                .as(StatsFixtures::record);
        Arbitrary<Object> event = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, records.map(r -> (Object) r)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(RejectReason.class).map(r -> (Object) r)));
        return event.list().ofMaxSize(40);
    }
}
