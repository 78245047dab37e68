package io.stormwatch.cli;

import io.stormwatch.core.io.Inputs;
import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.job.hashtags.PrintBatches;
import io.stormwatch.core.job.hashtags.Status;
import io.stormwatch.core.job.hashtags.StatusExtractor;
import io.stormwatch.core.log.AccessLogParser;
import io.stormwatch.core.window.WindowSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code stormwatch print-tweets}: the seeds' PrintTweets ({@code tweets.map(_.getText).print()}) — the text
 * of each status, the first ten of every 1 s batch, DStream style ({@link PrintBatches}) — read with the
 * core line reader and the hashtags job's extractor, outside Storm: printing is a view of the stream, not a
 * count, and keeping texts in a tally would make totals grow forever. Notices and rejected lines are not
 * printed; a summary of them goes to stderr at the end.
 *
 * <p>Batches follow the arrival clock ({@code --by arrival}, what Spark does: a file read fast is one or two
 * batches) or {@code created_at} ({@code --by event}: a file shows its seconds as they were tweeted).
 */
@Command(name = "print-tweets", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the text of each tweet, the first N of every batch, like Spark's PrintTweets.")
final class PrintTweetsCommand implements Callable<Integer> {

    /** Lines read ahead of the printer; the reader waits beyond (a socket then backs up to its sender). */
    private static final int QUEUE_LINES = 10_000;
    private static final LineReader.Line END = new LineReader.Line("", -1, -1);

    @Spec
    CommandSpec spec;

    @Option(names = "--source", required = true, paramLabel = "SPEC",
            description = "file:PATH (plain or gzip; file:- for stdin) or socket:HOST:PORT (a client, as Spark's socketTextStream).")
    String source;

    @Option(names = "--by", defaultValue = "arrival", paramLabel = "arrival|event",
            description = "Batch by arrival time (as Spark) or by created_at (default: ${DEFAULT-VALUE}).")
    String by;

    @Option(names = "--batch", defaultValue = "1s", paramLabel = "DURATION", description = "Batch interval (default: ${DEFAULT-VALUE}).")
    String batch;

    @Option(names = "--num", defaultValue = "10", paramLabel = "N", description = "Texts shown per batch (default: ${DEFAULT-VALUE}).")
    int num;

    @Override
    public Integer call() throws Exception {
        long batchMillis;
        try {
            batchMillis = WindowSpec.parseDuration(batch);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (!by.equals("arrival") && !by.equals("event")) {
            throw new ParameterException(spec.commandLine(), "--by must be arrival or event, not '" + by + "'");
        }
        if (num < 0 || batchMillis <= 0) {
            throw new ParameterException(spec.commandLine(), "--num must be >= 0 and --batch positive");
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        InputStream in;
        try {
            in = open(source);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (IOException e) {
            err.println("stormwatch print-tweets: cannot read " + source + ": " + Cli.describe(e));
            return 2;
        }
        BlockingQueue<LineReader.Line> lines = new ArrayBlockingQueue<>(QUEUE_LINES);
        IOException[] failure = new IOException[1];
        Thread reader = new Thread(() -> {
            try (LineReader lineReader = new LineReader(in, AccessLogParser.DEFAULT_MAX_LINE_LENGTH)) {
                for (LineReader.Line line = lineReader.next(); line != null; line = lineReader.next()) {
                    lines.put(line);
                }
            } catch (IOException e) {
                failure[0] = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                lines.add(END); // the printer takes lines until then, so there is room
            }
        }, "print-tweets-reader");
        reader.setDaemon(true);
        reader.start();

        PrintBatches batches = new PrintBatches(batchMillis, num, text -> {
            out.print(text);
            out.flush();
        });
        StatusExtractor extractor = new StatusExtractor();
        Map<String, Long> rejected = new TreeMap<>();
        Map<String, Long> notices = new TreeMap<>();
        long statuses = 0;
        boolean arrival = by.equals("arrival");
        while (true) {
            LineReader.Line line = lines.poll(arrival ? 50 : 1_000, TimeUnit.MILLISECONDS);
            if (arrival) {
                batches.advanceTo(System.currentTimeMillis()); // a quiet second still closes its batch
            }
            if (line == null) {
                continue;
            }
            if (line == END) {
                break;
            }
            Status status = extractor.extract(line.text(), (reason, detail) -> rejected.merge(reason, 1L, Long::sum));
            if (status == null) {
                continue;
            }
            if (status.isNotice()) {
                notices.merge(status.notice(), 1L, Long::sum);
                continue;
            }
            statuses++;
            batches.add(arrival ? System.currentTimeMillis() : status.timeMillis(), status.text());
        }
        batches.finish();
        out.flush();
        err.printf("stormwatch print-tweets: %,d statuses in %,d batches; notices %s; rejected %s%n", statuses,
                batches.batchesPrinted(), notices, rejected);
        if (failure[0] != null) {
            err.println("stormwatch print-tweets: cannot read " + source + ": " + Cli.describe(failure[0]));
            return 1;
        }
        return 0;
    }

    private static InputStream open(String spec) throws IOException {
        if (spec.startsWith("file:")) {
            Path file = Path.of(spec.substring("file:".length()));
            Inputs.checkReadable(file);
            return Inputs.open(file);
        }
        if (spec.startsWith("socket:")) {
            String hostPort = spec.substring("socket:".length());
            int colon = hostPort.lastIndexOf(':');
            if (colon > 0) {
                try {
                    Socket socket = new Socket();
                    socket.connect(new InetSocketAddress(hostPort.substring(0, colon),
                            Integer.parseInt(hostPort.substring(colon + 1))), 5_000);
                    return socket.getInputStream();
                } catch (NumberFormatException e) {
                    // falls through to the usage message
                }
            }
        }
        throw new IllegalArgumentException("--source must be file:PATH or socket:HOST:PORT, not '" + spec + "'");
    }
}
