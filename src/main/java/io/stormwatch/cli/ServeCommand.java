package io.stormwatch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Serve log lines over TCP at a paced rate, like 'nc -lk' fed by a script.")
final class ServeCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("serve is not implemented yet");
    }
}
