package io.stormwatch.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code bin/stormwatch}: dispatches to the subcommands. */
@Command(
        name = "stormwatch",
        mixinStandardHelpOptions = true,
        versionProvider = StormwatchCli.Version.class,
        description = "Real-time access-log analytics on Apache Storm, with a batch oracle.",
        subcommands = {
            BatchCommand.class,
            GenerateCommand.class,
            ServeCommand.class,
            LocalCommand.class,
            FluxCommand.class,
            PrintTweetsCommand.class,
            KafkaCommand.class,
            ProduceCommand.class,
            ClusterCommand.class,
            SubmitCommand.class,
            CommandLine.HelpCommand.class
        })
public final class StormwatchCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        RunDirectory.cleanEarlierRuns();
        int code = run(args);
        if (code == 0) {
            ClassDataArchive.writeIfAsked();
        }
        if (RunDirectory.own() != null) {
            RunDirectory.deleteQuietly(RunDirectory.own());
        }
        System.exit(code);
    }

    /** Runs the CLI and returns its exit code; tests call this instead of {@link #main}. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new StormwatchCli());
        // submit passes what follows the job (or --flux) on, as `storm jar` does: -conf, -c, Flux's options.
        cli.getSubcommands().get("submit").setStopAtPositional(true).setUnmatchedOptionsArePositionalParams(true);
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = StormwatchCli.class.getPackage().getImplementationVersion();
            return new String[] {"stormwatch " + (v == null ? "(development build)" : v)};
        }
    }
}
