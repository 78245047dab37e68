package io.stormwatch.storm.topology;

import io.stormwatch.core.job.Job;
import io.stormwatch.core.job.Jobs;
import io.stormwatch.storm.sink.ProgressHook;
import io.stormwatch.storm.sink.ResultSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.storm.Config;
import org.apache.storm.generated.StormTopology;
import org.apache.storm.topology.IRichSpout;

/**
 * A job assembled from a config map — the job, source, outputs and options it names — the one place the
 * submitter ({@code storm jar}), {@code stormwatch local} and tests go from config to topology.
 *
 * @param name     topology name
 * @param job      what it computes
 * @param config   the full Storm config to submit with
 * @param topology the wired topology
 * @param finite   whether the source ends by itself (a file, or a spool directory run until drained)
 */
public record JobTopology(String name, Job<?> job, Config config, StormTopology topology, boolean finite) {

    /**
     * @param jobName     one of {@link Jobs#NAMES}
     * @param name        the topology's name (usually the job's)
     * @param conf        stormwatch and Storm keys (see {@link StormwatchConfig}); {@code stormwatch.source}
     *                    is required
     * @param inProcess   true for in-process runs, where a spool directory counts as ended once drained
     * @param environment where secrets come from
     */
    public static JobTopology fromConfig(String jobName, String name, Map<String, Object> conf, boolean inProcess,
            Map<String, String> environment) {
        String source = StormwatchConfig.string(conf, StormwatchConfig.SOURCE, null);
        if (source == null) {
            throw new IllegalArgumentException("no source: set " + StormwatchConfig.SOURCE
                    + " (" + Sources.FORMS + ")");
        }
        Job<?> job = Jobs.fromConfig(jobName, conf);
        JobOptions options = JobOptions.fromConfig(job, conf);
        IRichSpout spout = Sources.spout(source, inProcess, options.maxLineLength(), options.blocks());
        Map<String, ResultSink> sinks = Outputs.sinks(StormwatchConfig.string(conf, StormwatchConfig.OUTPUTS, "log"),
                job, options.window(), environment);
        int sourceTasks = StormwatchConfig.integer(conf, StormwatchConfig.SOURCE_PARALLELISM, 1);
        Config config = TopologyConfigs.forJob(conf, environment);
        if (Outputs.hasProgress(StormwatchConfig.string(conf, StormwatchConfig.OUTPUTS, null))) {
            // The running count of a progress output comes from the totals bolt's task, through a hook.
            // Added to any hooks the user configured.
            List<Object> hooks = new ArrayList<>();
            if (config.get(Config.TOPOLOGY_AUTO_TASK_HOOKS) instanceof List<?> configured) {
                hooks.addAll(configured);
            }
            hooks.add(ProgressHook.class.getName());
            config.put(Config.TOPOLOGY_AUTO_TASK_HOOKS, hooks);
        }
        return new JobTopology(name, job,
                config,
                PipelineTopology.build(job, spout, sourceTasks, sinks, options),
                Sources.isFinite(source) && (inProcess || source.startsWith("file:")));
    }
}
