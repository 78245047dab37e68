package io.stormwatch.core.job.statuscodes;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallySchema;
import io.stormwatch.core.job.Aggregate;
import io.stormwatch.core.job.Views;
import io.stormwatch.core.log.AccessLogJob;
import io.stormwatch.core.log.LogRecord;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * status-codes: requests per HTTP response code, over access-log lines — the smallest job, and the proof
 * that a job is an extractor, an aggregate and views, nothing more. JSON:
 * <pre>{"records":9900,"rejected":100,"rejectReasons":{"truncated":100},"responseCodes":{"200":9000,"404":900}}</pre>
 *
 * @param format        access-log format, as for log-analytics ({@code stormwatch.format})
 * @param maxLineLength lines longer than this are rejected as too long
 */
public record StatusCodes(String format, int maxLineLength) implements AccessLogJob {

    public static final String NAME = "status-codes";

    private static final int CODES = 1;
    private static final Aggregate<LogRecord> COUNTING = Aggregate.of(TallySchema.builder().intKeys().build(),
            (record, tally) -> {
                tally.countRecord();
                tally.count(CODES, record.status());
            });

    public StatusCodes {
        AccessLogJob.checkFormat(format, maxLineLength);
    }

    public static StatusCodes fromConfig(Map<String, Object> conf) {
        return new StatusCodes(AccessLogJob.format(conf), AccessLogJob.maxLineLength(conf));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Aggregate<LogRecord> aggregate() {
        return COUNTING;
    }

    @Override
    public Views views() {
        return CodeViews.INSTANCE;
    }

    private enum CodeViews implements Views {
        INSTANCE;

        @Override
        public void writeFields(Tally tally, JsonGenerator json) throws IOException {
            Views.writeCountedFields(tally, json);
            json.writeObjectFieldStart("responseCodes");
            for (Map.Entry<Integer, Long> e : new TreeMap<>(tally.<Integer>dim(CODES).toMap()).entrySet()) {
                json.writeNumberField(e.getKey().toString(), e.getValue());
            }
            json.writeEndObject();
        }

        @Override
        public String describe(JsonNode json) {
            return "records=" + json.path("records").asLong() + " rejected=" + json.path("rejected").asLong()
                    + " codes=" + json.path("responseCodes").properties().stream()
                            .map(e -> e.getKey() + "=" + e.getValue().asLong()).collect(Collectors.joining(", ", "{", "}"));
        }
    }
}
