package io.stormwatch.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder until implemented. */
@Command(name = "batch", mixinStandardHelpOptions = true, description = "Statistics of access-log files (the oracle streaming jobs are compared with).")
final class BatchCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        throw new UnsupportedOperationException("batch is not implemented yet");
    }
}
