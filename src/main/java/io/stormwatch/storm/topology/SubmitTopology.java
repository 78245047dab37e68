package io.stormwatch.storm.topology;

import io.stormwatch.core.job.Jobs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.storm.StormSubmitter;
import org.apache.storm.utils.Utils;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The {@code storm jar} entry point:
 * <pre>
 * storm jar target/stormwatch-VERSION.jar io.stormwatch.storm.topology.SubmitTopology log-analytics \
 *     -conf conf/cluster.yaml -c stormwatch.source=spool:/var/spool/stormwatch
 * </pre>
 * The first argument names the job ({@link Jobs#NAMES}); the topology takes its name unless {@code --name}
 * says otherwise.
 * Also runs under {@code storm local} (Storm then swaps in a LocalCluster). Config files are the
 * {@code config:}-keyed YAML of {@code conf/}; {@code -c key=value} overrides them.
 *
 * <p>Storm's launcher parses {@code -c} itself and passes the values as the {@code storm.options} system
 * property, which is read here too. Its argument parser also reads {@code -conf FILE} as {@code -c onf}
 * followed by a bare {@code FILE}, so a config file is accepted as a bare argument as well.
 *
 * <p>Before submitting, the Redis servers of the state and outputs are checked from this machine
 * ({@link Preflight#cluster}) and a failure is printed as a warning, not an error: the workers, not this
 * machine, will connect to them, and either may reach a server the other cannot. Source and output paths
 * are not checked: they are on the worker machines.
 */
@Command(name = "SubmitTopology", mixinStandardHelpOptions = true,
        description = "Submit a stormwatch topology to the cluster (storm jar) or to storm local.")
public final class SubmitTopology implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB", completionCandidates = Jobs.Names.class,
            description = "Which job: ${COMPLETION-CANDIDATES}.")
    String topology;

    @Parameters(index = "1..*", paramLabel = "CONF", description = "Config YAML files (as -conf).")
    List<Path> bareConfFiles = new ArrayList<>();

    @Option(names = {"-conf", "--topology-conf"}, paramLabel = "FILE", description = "Config YAML file; repeatable.")
    List<Path> confFiles = new ArrayList<>();

    @Option(names = "-c", paramLabel = "KEY=VALUE", description = "Config override; repeatable.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--name", description = "Topology name (default: the topology's own).")
    String name;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        int code = new CommandLine(new SubmitTopology()).execute(args);
        // No exit on success: under `storm local` the in-process cluster must keep running after main returns.
        if (code != 0) {
            System.exit(code);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!Jobs.NAMES.contains(topology)) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "unknown job '" + topology + "'; known: " + String.join(", ", Jobs.NAMES));
        }
        List<Path> files = new ArrayList<>(bareConfFiles);
        files.addAll(confFiles);
        Map<String, Object> commandLine = new HashMap<>(Utils.readCommandLineOpts());
        for (String override : overrides) {
            Map.Entry<String, Object> entry = StormwatchConfig.parseOverride(override);
            commandLine.put(entry.getKey(), entry.getValue());
        }
        Map<String, Object> conf = StormwatchConfig.merge(files, commandLine);
        // Only Redis, only warnings: the paths are the workers', and they may reach a Redis this machine does not.
        for (Preflight.Failure failure : Preflight.cluster(conf, System.getenv())) {
            spec.commandLine().getErr().println("SubmitTopology: warning: " + failure.getMessage());
        }
        JobTopology job = JobTopology.fromConfig(topology, name == null ? topology : name, conf, false, System.getenv());
        StormSubmitter.submitTopologyWithProgressBar(job.name(), job.config(), job.topology());
        return 0;
    }
}
