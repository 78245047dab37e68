package io.stormwatch.core.log;

import io.stormwatch.core.job.Extractor;
import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Settings;
import java.util.Map;

/**
 * A job over access-log lines: its extractor is the parser of {@link #format()} ({@link AccessLogFormats}),
 * whose {@link RejectReason} keys are the reject reasons, and a record's event time is the log's {@code %t}.
 * Such a job writes only its aggregate and views.
 */
public interface AccessLogJob extends Job<LogRecord> {

    /** The config key of the log format: {@code auto}, {@code common}, ... or an Apache LogFormat string. */
    String FORMAT = "stormwatch.format";

    /** {@code auto}, {@code common}, ... or an Apache LogFormat string. */
    String format();

    /** Lines longer than this many characters are rejected as too long. */
    int maxLineLength();

    @Override
    default Extractor<LogRecord> newExtractor() {
        return AccessLogFormats.extractor(format(), maxLineLength());
    }

    @Override
    default long eventTimeMillis(LogRecord record) {
        return record.timeMillis();
    }

    /** {@value #FORMAT} of {@code conf}, {@code auto} when absent. */
    static String format(Map<String, Object> conf) {
        return Settings.string(conf, FORMAT, "auto");
    }

    /** {@code stormwatch.max.line.length} of {@code conf}, 64 Ki when absent. */
    static int maxLineLength(Map<String, Object> conf) {
        return Settings.integer(conf, Settings.MAX_LINE_LENGTH, AccessLogParser.DEFAULT_MAX_LINE_LENGTH);
    }

    /**
     * Checks the format once where the job is configured, so a typo fails the command rather than a worker.
     *
     * @throws IllegalArgumentException for an unknown format
     */
    static void checkFormat(String format, int maxLineLength) {
        AccessLogFormats.parser(format, maxLineLength);
    }
}
