package io.stormwatch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "local", mixinStandardHelpOptions = true, description = "Run a topology in-process on LocalCluster until its input is drained.")
final class LocalCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("local is not implemented yet");
    }
}
