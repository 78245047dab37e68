package io.stormwatch.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stormwatch submit}: submits the topology jar to the cluster of {@code stormwatch cluster up} exactly as
 * {@code storm jar} does ({@link LocalStormCluster#submitCommand}): the main class runs in a JVM of its own on
 * the cluster's {@code lib-worker/} jars, the topology jar and its {@code conf/}, with {@code -Dstorm.jar}.
 * Without {@code --flux} the main class is {@code SubmitTopology} and the arguments are its own (a job, then
 * {@code -conf FILE}, {@code -c KEY=VALUE}); with it, {@code Flux --remote} and Flux's arguments.
 */
@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description = {
            "Submit a topology to the cluster of `stormwatch cluster up`, as `storm jar` does.",
            "  stormwatch submit log-analytics -conf conf/cluster.yaml -c stormwatch.source=kafka:127.0.0.1:9092/access",
            "  stormwatch submit --flux flux/log-analytics.yaml --filter conf/cluster.properties",
            "A cluster's topologies run until killed: stormwatch cluster down stops them with the cluster."
        })
final class SubmitCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    ClusterCommand.DirOption dir;

    @Option(names = "--flux", description = "Run Flux --remote with the arguments (a Flux file, --filter ...).")
    boolean flux;

    @Option(names = "--jar", paramLabel = "JAR", description = "The topology jar (default: the one this command runs from).")
    Path jar;

    @Parameters(paramLabel = "ARGS", arity = "1..*",
            description = "SubmitTopology's arguments (JOB, -conf FILE, -c KEY=VALUE, --name NAME), or Flux's with --flux.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws IOException, InterruptedException {
        Optional<LocalStormCluster.Cluster> cluster = LocalStormCluster.status(dir.dir());
        if (cluster.isEmpty() || !cluster.get().allRun()) {
            spec.commandLine().getErr().println("stormwatch submit: no cluster runs in " + dir.dir()
                    + "; start one with `stormwatch cluster up`");
            spec.commandLine().getErr().flush();
            return 1;
        }
        Path topologyJar = jar != null ? jar : ownJar();
        if (topologyJar == null || !Files.isRegularFile(topologyJar)) {
            spec.commandLine().getErr().println("stormwatch submit: no topology jar (" + topologyJar + "); give --jar");
            spec.commandLine().getErr().flush();
            return 2;
        }
        List<String> mainArgs = new ArrayList<>();
        if (flux) {
            mainArgs.add("--remote");
        }
        mainArgs.addAll(args);
        Path logConfig = LocalKafka.projectRoot().resolve("conf/log4j2-cli.xml");
        List<String> command = LocalStormCluster.submitCommand(cluster.get(), topologyJar,
                Files.exists(logConfig) ? logConfig : null,
                flux ? LocalStormCluster.FLUX_MAIN : LocalStormCluster.SUBMIT_MAIN, mainArgs);
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    /** The jar this command runs from, when it runs from one (bin/stormwatch runs the shaded jar). */
    private static Path ownJar() {
        try {
            Path source = Path.of(SubmitCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return source.toString().endsWith(".jar") ? source : null;
        } catch (URISyntaxException | SecurityException e) {
            return null;
        }
    }
}
