package io.stormwatch.storm.topology;

import io.stormwatch.storm.sink.StatsSink;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.topology.IRichSpout;

/**
 * Assembles log-analytics from a config map — the source, outputs and options it names — the one place
 * the submitter ({@code storm jar}), {@code stormwatch local} and tests go from config to topology.
 *
 * @param name     topology name
 * @param config   the full Storm config to submit with
 * @param topology the wired topology
 * @param finite   whether the source ends by itself (a file, or a spool directory run until drained)
 */
public record LogAnalyticsJob(String name, Config config, StormTopology topology, boolean finite) {

    /**
     * @param conf        stormwatch and Storm keys (see {@link StormwatchConfig}); {@code stormwatch.source}
     *                    is required
     * @param inProcess   true for in-process runs, where a spool directory counts as ended once drained
     * @param environment where secrets come from
     */
    public static LogAnalyticsJob fromConfig(String name, Map<String, Object> conf, boolean inProcess,
            Map<String, String> environment) {
        String source = StormwatchConfig.string(conf, StormwatchConfig.SOURCE, null);
        if (source == null) {
            throw new IllegalArgumentException("no source: set " + StormwatchConfig.SOURCE
                    + " (file:PATH, spool:DIR, tail:PATH or socket:HOST:PORT)");
        }
        LogAnalyticsOptions options = LogAnalyticsOptions.fromConfig(conf);
        IRichSpout spout = Sources.spout(source, inProcess, options.maxLineLength());
        Map<String, StatsSink> sinks = Outputs.sinks(
                StormwatchConfig.string(conf, StormwatchConfig.OUTPUTS, "log"), options, environment);
        int sourceTasks = StormwatchConfig.integer(conf, StormwatchConfig.SOURCE_PARALLELISM, 1);
        return new LogAnalyticsJob(name,
                TopologyConfigs.logAnalytics(conf, options, environment),
                LogAnalyticsTopology.build(spout, sourceTasks, sinks, options),
                Sources.isFinite(source) && (inProcess || source.startsWith("file:")));
    }
}
