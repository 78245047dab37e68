package io.stormwatch.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One command run as a process, the way a user or a script runs it: its exit code and what it wrote. Output
 * goes to files under the test's temporary directory (a pipe could fill up and stall a chatty process).
 */
public record CliProcess(int exitCode, String stdout, String stderr) {

    /** {@code bin/stormwatch}, which runs the packaged jar (ITs run after {@code package}). */
    public static final Path LAUNCHER = Path.of("bin/stormwatch").toAbsolutePath();

    /** Runs {@code bin/stormwatch args...}; a run longer than {@code limit} is killed and fails the test. */
    public static CliProcess stormwatch(Path tmp, Duration limit, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        return run(tmp, limit, command);
    }

    /** Runs {@code command}; a run longer than {@code limit} is killed and fails the test. */
    public static CliProcess run(Path tmp, Duration limit, List<String> command) throws IOException, InterruptedException {
        return run(tmp, limit, command, environment -> {});
    }

    /** Runs {@code command} in this process's environment as {@code environment} changes it. */
    public static CliProcess run(Path tmp, Duration limit, List<String> command, Consumer<Map<String, String>> environment)
            throws IOException, InterruptedException {
        Path stdout = Files.createTempFile(tmp, "stdout", ".txt");
        Path stderr = Files.createTempFile(tmp, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        environment.accept(builder.environment());
        Process process = builder.start();
        if (!process.waitFor(limit.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new AssertionError(command + " did not finish in " + limit + ":\n" + Files.readString(stderr));
        }
        return new CliProcess(process.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    public List<String> stderrLines() {
        return stderr.lines().toList();
    }
}
