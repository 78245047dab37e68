package io.stormwatch.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.job.Batch;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Jobs;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.window.WindowAssembler;
import io.stormwatch.core.window.WindowSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stormwatch side of the Spark tests: {@code stormwatch batch}'s own code ({@link Batch}, compiled in from
 * core), which is the oracle {@code stormwatch local} is proven equal to — the same totals object as
 * {@code batch --job J --json} and the same window objects as {@code batch --job J --window ... --json}.
 */
final class StormwatchOracle {

    static final ObjectMapper JSON = new ObjectMapper();

    private StormwatchOracle() {}

    static Job<?> job(String name) {
        return Jobs.fromConfig(name, Map.of());
    }

    static JsonNode totals(Job<?> job, Path... files) throws IOException {
        Tally totals = new Batch<>(job, AccessLogParser.DEFAULT_MAX_LINE_LENGTH)
                .run(List.of(files), Batch.DeadLetterSink.DISCARD, n -> {});
        return JSON.readTree(job.views().jsonText(totals));
    }

    /** The windows of {@code files}, one object each, in order. */
    static List<JsonNode> windows(Job<?> job, WindowSpec spec, Path... files) throws IOException {
        List<JsonNode> windows = new ArrayList<>();
        WindowAssembler.Listener listener = new WindowAssembler.Listener() {
            @Override
            public void window(long start, long end, Tally tally, long late) {
                try {
                    windows.add(JSON.readTree(job.views().windowJsonText(start, end, tally, late)));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void late(String source, long[] offsets, long[] times, long reportedIn) {
                // counted in the window's late field
            }
        };
        new Batch<>(job, AccessLogParser.DEFAULT_MAX_LINE_LENGTH, spec, listener)
                .run(List.of(files), Batch.DeadLetterSink.DISCARD, n -> {});
        return windows;
    }

    static JsonNode read(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    static List<JsonNode> readLines(Path file) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                nodes.add(JSON.readTree(line));
            }
        }
        return nodes;
    }
}
