package io.stormwatch.storm.bolt;

import io.stormwatch.core.log.LogRecord;
import io.stormwatch.core.log.RejectReason;
import io.stormwatch.core.agg.Counts;
import io.stormwatch.core.job.loganalytics.LogStats;
import io.stormwatch.core.window.Pane;
import io.stormwatch.core.window.WindowResult;
import java.util.List;
import org.apache.storm.Config;

/**
 * The classes that travel in the bolts' tuples. Storm serializes tuples with Kryo only when they cross a
 * worker (or with {@code topology.testing.always.try.serialize}), and then fails with "Class is not
 * registered" for any of these unless the topology registers them: call {@link #register} on its
 * {@code Config}.
 */
public final class TupleTypes {

    /** In registration order; every worker must register the same list ({@code long[]}: a count cell). */
    public static final List<Class<?>> CLASSES = List.of(
            LogRecord.class, RejectReason.class, Counts.class, long[].class, LogStats.class, Pane.class, WindowResult.class);

    private TupleTypes() {}

    public static void register(Config conf) {
        CLASSES.forEach(conf::registerSerialization);
    }
}
