package io.stormwatch.storm.bolt;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.io.LineBlock;
import io.stormwatch.core.job.DeadLetter;
import io.stormwatch.core.totals.OffsetSet;
import io.stormwatch.core.window.BlockPanes;
import io.stormwatch.core.window.BlockPosition;
import io.stormwatch.core.window.LateLines;
import io.stormwatch.core.window.PanePartial;
import io.stormwatch.storm.sink.LateLine;
import io.stormwatch.storm.sink.Result;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.spout.CheckPointState;

/**
 * The classes that travel in stormwatch's tuples, the same for every job. Storm serializes tuples with Kryo
 * only when they cross a worker (or with {@code topology.testing.always.try.serialize}), and then fails with
 * "Class is not registered" for any of these unless the topology registers them: call {@link #register} on
 * its {@code Config}. The Flux files list the same classes ({@code FluxIT} checks it).
 */
public final class TupleTypes {

    /**
     * Each class with its serializer class, or null for Kryo's default, in registration order (every worker
     * must register the same list). Includes Storm's own checkpoint action, which Storm leaves unregistered:
     * without it, checkpoint tuples of a stateful topology fail once they are really serialized.
     */
    public static final Map<Class<?>, Class<?>> CLASSES = classes();

    private TupleTypes() {}

    private static Map<Class<?>, Class<?>> classes() {
        Map<Class<?>, Class<?>> classes = new LinkedHashMap<>();
        classes.put(LineBlock.class, null);
        classes.put(String[].class, null);
        classes.put(long[].class, null);
        classes.put(BlockPosition.class, null);
        classes.put(BlockPanes.class, null);
        classes.put(PanePartial.class, null);
        classes.put(PanePartial[].class, null);
        classes.put(LateLines.class, null);
        classes.put(Tally.class, TallySerializer.class);
        classes.put(DeadLetter.class, null);
        classes.put(DeadLetter[].class, null);
        classes.put(Result.class, null);
        classes.put(Result[].class, null);
        classes.put(LateLine.class, null);
        classes.put(LateLine[].class, null);
        classes.put(OffsetSet.class, null);
        classes.put(CheckPointState.Action.class, null);
        return classes;
    }

    /** Registers every class with Kryo. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void register(Config conf) {
        CLASSES.forEach((type, serializer) -> {
            if (serializer == null) {
                conf.registerSerialization(type);
            } else {
                conf.registerSerialization(type, (Class) serializer);
            }
        });
    }
}
