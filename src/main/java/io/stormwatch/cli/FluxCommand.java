package io.stormwatch.cli;

import io.stormwatch.storm.topology.LocalRunner;
import io.stormwatch.storm.topology.Preflight;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.storm.Config;
import org.apache.storm.flux.FluxBuilder;
import org.apache.storm.flux.model.ExecutionContext;
import org.apache.storm.flux.model.TopologyDef;
import org.apache.storm.flux.parser.FluxParser;
import org.apache.storm.generated.StormTopology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Runs a Flux YAML topology in-process. Storm 2.x ignores {@code Flux --local} and always submits to
 * Nimbus, so this builds the topology with Flux's own parser and builder and submits it to a LocalCluster:
 * the same YAML, the same {@code --filter} properties and {@code ${ENV-...}} substitution as on a cluster.
 * Before it starts, the source spout, the jsonl sinks and a Redis state found in the parsed file are checked
 * ({@link Preflight#flux}): a failure is one line on stderr and exit code 2.
 */
@Command(name = "flux", mixinStandardHelpOptions = true,
        description = "Run a Flux YAML topology in-process (Flux --local is ignored in Storm 2.x).")
final class FluxCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Flux YAML topology definition.")
    Path file;

    @Option(names = "--filter", paramLabel = "PROPERTIES",
            description = "Properties file whose values replace ${name} in the YAML (as Flux --filter).")
    Path filter;

    @Option(names = "--env-filter", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Replace ${ENV-NAME} with environment variables (default: ${DEFAULT-VALUE}).")
    boolean envFilter;

    @Option(names = "--until", paramLabel = "FILE",
            description = "Stop when this file appears, e.g. DIR/_SUCCESS of a jsonl output on a finite input.")
    Path until;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Stop after this many seconds.")
    Long durationSeconds;

    @Option(names = "--verbose", description = "On a failed check, print the exception behind it too.")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        Properties properties = FluxParser.parseProperties(filter == null ? null : filter.toString(), false);
        TopologyDef def = FluxParser.parseFile(file.toString(), false, true, properties, envFilter);
        Config conf = FluxBuilder.buildConfig(def);
        try {
            Preflight.flux(def, conf);
        } catch (Preflight.Failure e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("stormwatch flux: " + e.getMessage());
            if (verbose) {
                e.printStackTrace(err);
            }
            return 2;
        }
        StormTopology topology = FluxBuilder.buildTopology(new ExecutionContext(def, conf));
        Duration limit = durationSeconds == null ? null : Duration.ofSeconds(durationSeconds);
        LocalRunner.Outcome outcome = LocalRunner.run(def.getName(), conf, topology, until, limit);
        if (outcome == LocalRunner.Outcome.INCOMPLETE) {
            spec.commandLine().getErr().println("stormwatch flux: input not read whole: " + Cli.unread(until)
                    + "; the results are partial");
            return 1;
        }
        if (outcome == LocalRunner.Outcome.INTERRUPTED || outcome == LocalRunner.Outcome.TERMINATED) {
            return outcome.exitCode();
        }
        return outcome == LocalRunner.Outcome.TIMED_OUT && until != null ? 1 : 0;
    }
}
