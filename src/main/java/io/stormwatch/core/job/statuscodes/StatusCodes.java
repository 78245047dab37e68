package io.stormwatch.core.job.statuscodes;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stormwatch.core.agg.Counts;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallySchema;
import io.stormwatch.core.job.Aggregate;
import io.stormwatch.core.job.Extractor;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Settings;
import io.stormwatch.core.job.Views;
import io.stormwatch.core.log.AccessLogFormats;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.log.LogRecord;
import java.util.Map;
import java.util.TreeMap;

/**
 * status-codes: requests per HTTP response code, over access-log lines — the smallest job, and the proof
 * that a job is an extractor, an aggregate and views, nothing more. JSON:
 * <pre>{"records":9900,"rejected":100,"rejectReasons":{"truncated":100},"responseCodes":{"200":9000,"404":900}}</pre>
 *
 * @param format        access-log format, as for log-analytics ({@code stormwatch.format})
 * @param maxLineLength lines longer than this are rejected as too long
 */
public record StatusCodes(String format, int maxLineLength) implements Job<LogRecord> {

    public static final String NAME = "status-codes";

    private static final int CODES = 1;
    private static final TallySchema SCHEMA = TallySchema.builder().intKeys().build();

    public StatusCodes {
        AccessLogFormats.parser(format, maxLineLength);
    }

    public static StatusCodes fromConfig(Map<String, Object> conf) {
        return new StatusCodes(Settings.string(conf, "stormwatch.format", "auto"),
                Settings.integer(conf, Settings.MAX_LINE_LENGTH, AccessLogParser.DEFAULT_MAX_LINE_LENGTH));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Extractor<LogRecord> newExtractor() {
        return AccessLogFormats.extractor(format, maxLineLength);
    }

    @Override
    public long eventTimeMillis(LogRecord record) {
        return record.timeMillis();
    }

    @Override
    public Aggregate<LogRecord> aggregate() {
        return Counting.INSTANCE;
    }

    @Override
    public Views views() {
        return CodeViews.INSTANCE;
    }

    private enum Counting implements Aggregate<LogRecord> {
        INSTANCE;

        @Override
        public TallySchema schema() {
            return SCHEMA;
        }

        @Override
        public void add(LogRecord record, Tally accumulator) {
            accumulator.countRecord();
            accumulator.count(CODES, record.status());
        }
    }

    private enum CodeViews implements Views {
        INSTANCE;

        @Override
        public ObjectNode json(Tally tally) {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.put("records", tally.records());
            json.put("rejected", tally.rejected());
            ObjectNode reasons = json.putObject("rejectReasons");
            sorted(tally.<String>dim(TallySchema.REJECT_REASONS)).forEach((reason, n) -> reasons.put(reason.toString(), n));
            ObjectNode codes = json.putObject("responseCodes");
            sorted(tally.<Integer>dim(CODES)).forEach((code, n) -> codes.put(code.toString(), n));
            return json;
        }

        @Override
        public String describe(Tally tally) {
            return "records=" + tally.records() + " rejected=" + tally.rejected() + " codes=" + sorted(tally.<Integer>dim(CODES));
        }

        private static <K extends Comparable<K>> Map<K, Long> sorted(Counts<K> counts) {
            return new TreeMap<>(counts.toMap());
        }
    }
}
