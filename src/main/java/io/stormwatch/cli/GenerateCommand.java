package io.stormwatch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "generate", mixinStandardHelpOptions = true, description = "Write a realistic, deterministic access log.")
final class GenerateCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("generate is not implemented yet");
    }
}
