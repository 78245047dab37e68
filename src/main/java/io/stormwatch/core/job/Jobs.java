package io.stormwatch.core.job;

import io.stormwatch.core.job.hashtags.Hashtags;
import io.stormwatch.core.job.loganalytics.LogAnalytics;
import io.stormwatch.core.job.statuscodes.StatusCodes;
import io.stormwatch.core.job.topurls.TopUrls;
import io.stormwatch.core.job.wordcount.WordCount;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The jobs stormwatch knows, by name: what {@code stormwatch local JOB}, {@code batch --job} and the submitter take. */
public final class Jobs {

    /** Every job's name. */
    public static final List<String> NAMES = List.of(LogAnalytics.NAME, StatusCodes.NAME, TopUrls.NAME, WordCount.NAME, Hashtags.NAME);

    /** {@link #NAMES} as an iterable class: what a command-line parser lists as a job parameter's choices. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return NAMES.iterator();
        }
    }

    private Jobs() {}

    /** {@link #NAMES} as a stream, for parameterized tests over every job. */
    public static Stream<String> names() {
        return NAMES.stream();
    }

    /**
     * The job called {@code name}, configured from the {@code stormwatch.*} keys of {@code conf}.
     *
     * @throws IllegalArgumentException for an unknown name or a bad setting
     */
    public static Job<?> fromConfig(String name, Map<String, Object> conf) {
        return switch (name) {
            case LogAnalytics.NAME -> LogAnalytics.fromConfig(conf);
            case StatusCodes.NAME -> StatusCodes.fromConfig(conf);
            case TopUrls.NAME -> TopUrls.fromConfig(conf);
            case WordCount.NAME -> WordCount.fromConfig(conf);
            case Hashtags.NAME -> Hashtags.fromConfig(conf);
            default -> throw new IllegalArgumentException("unknown job '" + name + "'; known: " + String.join(", ", NAMES));
        };
    }
}
