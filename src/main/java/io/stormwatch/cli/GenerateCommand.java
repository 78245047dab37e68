package io.stormwatch.cli;

import io.stormwatch.core.gen.HostileLines;
import io.stormwatch.core.gen.LogGenerator;
import io.stormwatch.core.gen.TextGenerator;
import io.stormwatch.core.gen.TweetGenerator;
import io.stormwatch.core.window.WindowSpec;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code stormwatch generate}: writes a {@link LogGenerator} log ({@code --lines}) or {@link TextGenerator} text
 * ({@code --text}) to a file or to stdout. Same options, same
 * bytes; without {@code --span}, {@code --clients} and {@code --endpoints} the same bytes as before they
 * existed. Exit code 0; 1 when the output cannot be written (one line on stderr); 141, quietly, when stdout
 * is a pipe whose reader has gone.
 */
@Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a realistic, deterministic access log (--lines), text for word-count (--text) or Twitter"
                + " v1.1 status JSON for hashtags (--tweets).")
final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--lines", paramLabel = "N", description = "Number of access-log lines to write.")
    Long lines;

    @Option(names = "--text", paramLabel = "N",
            description = {"Write N lines of text for word-count instead of a log: words of a Zipf-distributed vocabulary"
                    + " (non-ASCII ones among them), punctuation, capitals, a few emoji and empty lines."})
    Long text;

    @Option(names = "--vocabulary", paramLabel = "N",
            description = {"With --text: number of distinct words (default: the built-in ~200). Beyond, synthesized"
                    + " words, walked in turn as --endpoints does: --text 1000000 --vocabulary 1000000 for cardinality."})
    Integer vocabulary;

    @Option(names = "--tweets", paramLabel = "N",
            description = {"Instead of a log: N lines of a Twitter API v1.1 stream, one JSON message a line (tweets,"
                    + " retweets, extended tweets, tweets without entities, notices, a few broken lines; hashtags"
                    + " Zipf-skewed, non-ASCII, in mixed case); --span, --start and --seed apply, the other options"
                    + " are the log's."})
    Long tweets;

    @Option(names = "--hostile", paramLabel = "N",
            description = {"Instead of a log: N lines of hostile input (random bytes, invalid UTF-8, NULs, lines over the"
                    + " length bound, 10 MB lines without a newline — the last line is one, unterminated —, truncated"
                    + " and glued records, stray CRs, empty lines) among well-formed ones; a reader counts exactly N"
                    + " lines, each accepted or rejected. stderr says how many of each kind. --seed applies."})
    Long hostile;

    @Option(names = "--flavor", defaultValue = "access-log", paramLabel = "access-log|tweets",
            description = "With --hostile: the well-formed lines are access-log lines or tweets (then invalid JSON"
                    + " too, for hashtags) (default: ${DEFAULT-VALUE}).")
    String flavor;

    @Option(names = "--huge", paramLabel = "N",
            description = "With --hostile: how many lines are 10 MB without a newline (default: one per 200,000"
                    + " lines, at least one).")
    Integer huge;

    @Option(names = "--huge-bytes", paramLabel = "B",
            description = "With --hostile: the size of a huge line (default: 10485760).")
    Integer hugeBytes;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "S",
            description = "Random seed; the same seed gives the same bytes (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--format", defaultValue = "combined", paramLabel = "common|combined",
            description = "Apache log format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--malformed-ratio", paramLabel = "R",
            description = "Share of malformed lines, 0 to 1, of every reject reason (default: 0; with --tweets 0.005).")
    Double malformedRatio;

    @Option(names = "--start", defaultValue = "2024-03-31T00:00:00Z", paramLabel = "ISO",
            description = "Time of the first line, an ISO-8601 instant (default: ${DEFAULT-VALUE}).")
    Instant start;

    @Option(names = "--span", paramLabel = "DURATION",
            description = {"Time the log covers from --start, e.g. 30d, 36h, 90m, 45s: lines come span/N apart on "
                    + "average (exponential gaps). Default: about 4 ms a line."})
    String span;

    @Option(names = "--clients", defaultValue = "2000", paramLabel = "N",
            description = {"Number of distinct clients (default: ${DEFAULT-VALUE}). Up to 2000: the most popular of "
                    + "the built-in pool, Zipf-skewed. Beyond: the pool keeps max(3 %%, (2000/N)^0.6) of the requests, "
                    + "skewed; the rest go to synthesized clients (IPv4, some IPv6 and host names) one after the "
                    + "other, so N lines over about N clients show nearly all of them."})
    int clients;

    @Option(names = "--endpoints", defaultValue = "300", paramLabel = "N",
            description = {"Number of distinct endpoints (default: ${DEFAULT-VALUE}); beyond 300 as --clients "
                    + "with a pool of 300: --lines 1000000 --endpoints 1000000 writes about 970,000 distinct ones."})
    int endpoints;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of stdout.")
    Path output;

    /** Writes the chosen input to a stream. */
    @FunctionalInterface
    private interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    @Override
    public Integer call() {
        if ((lines != null ? 1 : 0) + (text != null ? 1 : 0) + (tweets != null ? 1 : 0) + (hostile != null ? 1 : 0) != 1) {
            throw new ParameterException(spec.commandLine(), "give exactly one of --lines N (an access log), --text N"
                    + " (text), --tweets N (tweets) and --hostile N (hostile input)");
        }
        if ((huge != null || hugeBytes != null) && hostile == null) {
            throw new ParameterException(spec.commandLine(), "--huge and --huge-bytes go with --hostile");
        }
        if (vocabulary != null && text == null) {
            throw new ParameterException(spec.commandLine(), "--vocabulary goes with --text");
        }
        Writer generator;
        try {
            if (hostile != null) {
                HostileLines.Options defaults = new HostileLines.Options(hostile, seed, hostileFlavor());
                HostileLines lines = new HostileLines(new HostileLines.Options(hostile, seed, defaults.flavor(),
                        huge == null ? defaults.huge() : huge, hugeBytes == null ? defaults.hugeBytes() : hugeBytes));
                generator = out -> {
                    HostileLines.Summary summary = lines.writeTo(out);
                    spec.commandLine().getErr().println("stormwatch generate: " + summary.lines() + " lines a reader"
                            + " counts (accepted + rejected), " + summary.bytes() + " bytes; " + summary.kinds());
                };
            } else if (text != null) {
                generator = new TextGenerator(new TextGenerator.Options(text, seed,
                        vocabulary == null ? TextGenerator.poolSize() : vocabulary))::writeTo;
            } else if (tweets != null) {
                generator = new TweetGenerator(new TweetGenerator.Options(tweets, seed, start, span(),
                        malformedRatio == null ? TweetGenerator.DEFAULT_BROKEN_RATIO : malformedRatio))::writeTo;
            } else {
                LogGenerator log = new LogGenerator(new LogGenerator.Options(lines, seed, format(),
                        malformedRatio == null ? 0 : malformedRatio, start, span(), clients, endpoints));
                generator = log::writeTo;
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try {
            if (output == null) {
                // Bytes, not a Writer: malformed lines hold invalid UTF-8 on purpose.
                OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
                generator.writeTo(stdout);
                stdout.flush();
            } else {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(output), 1 << 16)) {
                    generator.writeTo(out);
                }
            }
            return 0;
        } catch (IOException e) {
            if (output == null && "Broken pipe".equals(e.getMessage())) {
                return 141; // the reader went away (`generate | head`): quiet, as a tool killed by SIGPIPE
            }
            spec.commandLine().getErr().println("stormwatch generate: cannot write "
                    + (output == null ? "stdout" : output) + ": " + Cli.describe(e));
            return 1;
        }
    }

    private Duration span() {
        return span == null ? null : Duration.ofMillis(WindowSpec.parseDuration(span));
    }

    private HostileLines.Flavor hostileFlavor() {
        return switch (flavor.toLowerCase(Locale.ROOT)) {
            case "access-log" -> HostileLines.Flavor.ACCESS_LOG;
            case "tweets" -> HostileLines.Flavor.TWEETS;
            default -> throw new ParameterException(spec.commandLine(),
                    "--flavor must be access-log or tweets, not '" + flavor + "'");
        };
    }

    private LogGenerator.Format format() {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "common" -> LogGenerator.Format.COMMON;
            case "combined" -> LogGenerator.Format.COMBINED;
            default -> throw new ParameterException(spec.commandLine(),
                    "--format must be common or combined, not '" + format + "'");
        };
    }
}
