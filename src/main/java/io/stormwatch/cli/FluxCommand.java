package io.stormwatch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "flux", mixinStandardHelpOptions = true, description = "Run a Flux YAML topology in-process (Flux --local is ignored in Storm 2.x).")
final class FluxCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("flux is not implemented yet");
    }
}
