package io.stormwatch.storm.topology;

import io.stormwatch.storm.Schema;
import io.stormwatch.storm.bolt.PaneBolt;
import io.stormwatch.storm.bolt.ParseBolt;
import io.stormwatch.storm.bolt.RunningTotalsBolt;
import io.stormwatch.storm.bolt.WindowStatsBolt;
import io.stormwatch.storm.sink.SinkBolt;
import io.stormwatch.storm.sink.StatsSink;
import java.util.Map;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.topology.BoltDeclarer;
import org.apache.storm.topology.IRichSpout;
import org.apache.storm.topology.TopologyBuilder;

/**
 * The log-analytics topology: access-log lines in; sliding-window statistics, all-time running totals and
 * dead letters out. Takes its spout and sinks, so the same wiring runs on any source and output, in
 * LocalCluster tests as on a cluster; {@code flux/log-analytics.yaml} wires the same component ids.
 *
 * <pre>
 * source ─► parse ─┬─ records ─────► panes ── panes ──► windows ── windows ──┐
 *                  │                   └── late ─────────────────────────────┤
 *                  ├─ records ─┬───► totals ── totals ───────────────────────┼─► sink-*
 *                  └─ rejected ┴──────────────────────────────── rejected ───┘
 * </pre>
 *
 * <p>Panes, windows and totals run as one task each: event-time lateness is decided in arrival order, and
 * the all-time totals are one value. Parsing, the costly step, scales with
 * {@link LogAnalyticsOptions#parseParallelism()}. End of input (a drained file or spool directory) travels
 * on {@link Schema#END_OF_INPUT_STREAM} to every task with all-groupings, closing the last windows.
 *
 * <p>The topology config must come from {@link TopologyConfigs#logAnalytics}: Storm refuses windows longer
 * than the message timeout, and the tuples carry classes Kryo must know.
 */
public final class LogAnalyticsTopology {

    public static final String NAME = "log-analytics";

    public static final String SOURCE = "source";
    public static final String PARSE = "parse";
    public static final String PANES = "panes";
    public static final String WINDOWS = "windows";
    public static final String TOTALS = "totals";
    /** Sink component ids start with this, e.g. {@code sink-log}, {@code sink-jsonl}, {@code sink-redis}. */
    public static final String SINK_PREFIX = "sink-";

    private LogAnalyticsTopology() {}

    /**
     * @param source       the spout; emits {@link Schema#LINE_FIELDS}, and end of input if it is finite
     * @param sourceTasks  parallelism of the spout (spool and file spouts split files between tasks)
     * @param sinks        sinks by component id (each id starting with {@link #SINK_PREFIX})
     * @param options      parsing, windows and views
     */
    public static StormTopology build(IRichSpout source, int sourceTasks, Map<String, StatsSink> sinks,
            LogAnalyticsOptions options) {
        TopologyBuilder builder = new TopologyBuilder();
        builder.setSpout(SOURCE, source, sourceTasks);

        builder.setBolt(PARSE, new ParseBolt(options.format(), options.maxLineLength()), options.parseParallelism())
                .localOrShuffleGrouping(SOURCE)
                .allGrouping(SOURCE, Schema.END_OF_INPUT_STREAM);

        builder.setBolt(PANES, new PaneBolt(options.window(), options.time()), 1)
                .globalGrouping(PARSE)
                .globalGrouping(PARSE, Schema.REJECTED_STREAM)
                .allGrouping(PARSE, Schema.END_OF_INPUT_STREAM);

        builder.setBolt(WINDOWS, new WindowStatsBolt(options.window()), 1)
                .globalGrouping(PANES, Schema.PANES_STREAM);

        builder.setBolt(TOTALS, new RunningTotalsBolt(), 1)
                .globalGrouping(PARSE)
                .globalGrouping(PARSE, Schema.REJECTED_STREAM)
                .allGrouping(PARSE, Schema.END_OF_INPUT_STREAM);

        if (sinks.isEmpty()) {
            throw new IllegalArgumentException("log-analytics needs at least one sink");
        }
        sinks.forEach((id, sink) -> {
            if (!id.startsWith(SINK_PREFIX)) {
                throw new IllegalArgumentException("sink component ids start with '" + SINK_PREFIX + "': " + id);
            }
            BoltDeclarer declarer = builder.setBolt(id, new SinkBolt(sink), 1);
            declarer.globalGrouping(WINDOWS, Schema.WINDOWS_STREAM)
                    .allGrouping(WINDOWS, Schema.END_OF_INPUT_STREAM)
                    .globalGrouping(TOTALS, Schema.TOTALS_STREAM)
                    .allGrouping(TOTALS, Schema.END_OF_INPUT_STREAM)
                    .globalGrouping(PARSE, Schema.REJECTED_STREAM)
                    .globalGrouping(PANES, Schema.LATE_STREAM);
        });
        return builder.createTopology();
    }
}
