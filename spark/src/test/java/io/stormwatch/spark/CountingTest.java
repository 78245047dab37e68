package io.stormwatch.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallyCodec;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.log.AccessLogParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The partition counting and tally merging Spark runs, without Spark: they must give batch's counts. */
class CountingTest {

    static final Path SAMPLE = Path.of(System.getProperty("stormwatch.home", "..")).resolve("data/access-sample.log");
    final Job<?> job = StormwatchOracle.job("log-analytics");

    @Test
    void partitionsCountedApartAndMergedEqualBatch() throws Exception {
        List<String> lines = Files.readAllLines(SAMPLE, StandardCharsets.ISO_8859_1); // bytes kept, decoded below
        List<byte[]> raw = lines.stream().map(l -> l.getBytes(StandardCharsets.ISO_8859_1)).toList();
        int half = raw.size() / 3;
        byte[] a = Counting.total(job, AccessLogParser.DEFAULT_MAX_LINE_LENGTH, Counting.decoded(raw.subList(0, half).iterator()));
        byte[] b = Counting.total(job, AccessLogParser.DEFAULT_MAX_LINE_LENGTH, Counting.decoded(raw.subList(half, raw.size()).iterator()));

        Tally merged = TallyCodec.decode(Counting.merge(a, b));

        assertThat(StormwatchOracle.JSON.readTree(job.views().jsonText(merged))).isEqualTo(StormwatchOracle.totals(job, SAMPLE));
        assertThat(merged.dim(0).toMap()).containsKey("invalid-utf8"); // decoded as stormwatch decodes
        assertThat(TallyCodec.decode(Counting.subtract(Counting.merge(a, b), b)))
                .isEqualTo(TallyCodec.decode(Counting.merge(a, b)).subtract(TallyCodec.decode(b)));
    }

    @Test
    void byEventTimeSplitsExactlyWhatTotalCounts() throws Exception {
        List<String> lines = Files.readAllLines(SAMPLE, StandardCharsets.ISO_8859_1);
        List<byte[]> raw = lines.stream().map(l -> l.getBytes(StandardCharsets.ISO_8859_1)).toList();
        List<Counting.Timed> timed = Counting.byEventTime(job, AccessLogParser.DEFAULT_MAX_LINE_LENGTH, Counting.decoded(raw.iterator()));
        byte[] merged = null;
        List<Long> times = new ArrayList<>();
        for (Counting.Timed t : timed) {
            merged = Counting.merge(merged, t.tally());
            if (t.timeMillis() != null) {
                times.add(t.timeMillis());
            }
        }
        assertThat(TallyCodec.decode(merged))
                .isEqualTo(TallyCodec.decode(Counting.total(job, AccessLogParser.DEFAULT_MAX_LINE_LENGTH, Counting.decoded(raw.iterator()))));
        assertThat(times).isSorted().doesNotHaveDuplicates();
        assertThat(timed.get(timed.size() - 1).timeMillis()).as("rejected lines: no time").isNull();
    }

    @Test
    void tallyBufferMergesAndEncodesLazily() {
        Tally one = job.aggregate().createAccumulator();
        one.countRejected("empty");
        TallyBuffer buffer = new TallyAggregator().zero();
        assertThat(buffer.getBytes()).isNull();
        buffer.add(TallyCodec.encode(one)).add(TallyCodec.encode(one));
        TallyBuffer copy = new TallyBuffer();
        copy.setBytes(buffer.getBytes());
        assertThat(TallyCodec.decode(new TallyAggregator().merge(copy, buffer).getBytes()).rejected()).isEqualTo(4);
    }
}
