package io.stormwatch.storm.topology;

import io.stormwatch.core.job.Job;
import io.stormwatch.core.window.TimeMode;
import io.stormwatch.storm.Schema;
import io.stormwatch.storm.bolt.ParseBolt;
import io.stormwatch.storm.bolt.TotalsBolt;
import io.stormwatch.storm.bolt.WindowBolt;
import io.stormwatch.storm.sink.ResultSink;
import io.stormwatch.storm.sink.SinkBolt;
import java.util.Map;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.topology.IRichSpout;
import org.apache.storm.topology.TopologyBuilder;

/**
 * The topology of every stormwatch job: blocks of lines in; sliding windows, all-time totals, dead letters
 * and late lines out. Takes the job, its spout and its sinks, so the same wiring runs any job on any source
 * and output, in LocalCluster tests as on a cluster; the Flux files ({@code flux/<job>.yaml}) wire the same
 * component ids ({@code FluxIT} checks it).
 *
 * <pre>
 * source ─► parse ─┬─ panes ──► windows ── windows, late ──┐
 *    │             ├─ panes ──► totals ─── totals ─────────┼─► sink-*
 *    │             └─ rejected ────────────────────────────┘
 *    ├─ end-of-input ─► windows, totals ─ end-of-input ─► sink-*
 *    └─ retired ──────► windows, totals (they forget a source that is done)
 * </pre>
 *
 * <p>Windows and totals run as one task each: a window is one sequence of panes, and the totals are one
 * value. Parsing, the costly step, scales with {@link JobOptions#parseParallelism()}; the window bolt puts
 * each spout task's blocks back in order, so the results do not depend on it. End of input (a drained file
 * or spool directory) goes from each spout task straight to the window and totals bolts, which close the
 * last windows, write the final totals and pass it on to the sinks.
 *
 * <p>The topology config must come from {@link TopologyConfigs#forJob}: the tuples carry classes Kryo must
 * know, and the totals' checkpoints need sensible defaults.
 */
public final class PipelineTopology {

    public static final String SOURCE = "source";
    public static final String PARSE = "parse";
    public static final String WINDOWS = "windows";
    public static final String TOTALS = "totals";
    /** Sink component ids start with this, e.g. {@code sink-log}, {@code sink-jsonl}, {@code sink-redis}. */
    public static final String SINK_PREFIX = Outputs.SINK_PREFIX;

    private PipelineTopology() {}

    /**
     * @param job         what the topology computes
     * @param source      the spout; emits {@link Schema#BLOCK_FIELDS}, end of input if it is finite, and
     *                    retired sources
     * @param sourceTasks parallelism of the spout (spool and file spouts split files between tasks)
     * @param sinks       sinks by component id (each id starting with {@link #SINK_PREFIX})
     * @param options     windows, time, parallelism, bounds
     */
    public static StormTopology build(Job<?> job, IRichSpout source, int sourceTasks, Map<String, ResultSink> sinks,
            JobOptions options) {
        if (sinks.isEmpty()) {
            throw new IllegalArgumentException(job.name() + " needs at least one sink");
        }
        TopologyBuilder builder = new TopologyBuilder();
        builder.setSpout(SOURCE, source, sourceTasks);

        builder.setBolt(PARSE, new ParseBolt(job, options.window(), options.maxLineLength()), options.parseParallelism())
                .localOrShuffleGrouping(SOURCE);

        builder.setBolt(WINDOWS, WindowBolt.of(job, options.window(), options.time() == TimeMode.EVENT)
                        .withLateTupleStream(Schema.LATE_STREAM), 1)
                .globalGrouping(PARSE)
                .allGrouping(SOURCE, Schema.END_OF_INPUT_STREAM)
                .globalGrouping(SOURCE, Schema.RETIRED_STREAM);

        builder.setBolt(TOTALS, new TotalsBolt(job), 1)
                .globalGrouping(PARSE)
                .allGrouping(SOURCE, Schema.END_OF_INPUT_STREAM)
                .globalGrouping(SOURCE, Schema.RETIRED_STREAM);

        sinks.forEach((id, sink) -> {
            if (!id.startsWith(SINK_PREFIX)) {
                throw new IllegalArgumentException("sink component ids start with '" + SINK_PREFIX + "': " + id);
            }
            builder.setBolt(id, new SinkBolt(sink), 1)
                    .globalGrouping(WINDOWS, Schema.WINDOWS_STREAM)
                    .globalGrouping(WINDOWS, Schema.LATE_STREAM)
                    .allGrouping(WINDOWS, Schema.END_OF_INPUT_STREAM)
                    .globalGrouping(TOTALS, Schema.TOTALS_STREAM)
                    .allGrouping(TOTALS, Schema.END_OF_INPUT_STREAM)
                    .globalGrouping(PARSE, Schema.REJECTED_STREAM);
        });
        return builder.createTopology();
    }
}
