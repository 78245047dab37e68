package io.stormwatch.spark;

import io.stormwatch.core.io.LineReader;
import io.stormwatch.core.io.LineServer;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.Duration;
import org.apache.spark.streaming.api.java.JavaStreamingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link DStreamJob} on a streaming context of its own (over a Spark context it is given) and its source:
 * <ul>
 *   <li>{@code socket:HOST:PORT} — {@code socketTextStream}, until stopped or {@code duration} ends; its lines are
 *       cut and decoded by stormwatch's {@link LineReader} ({@code socketStream} with that converter), since
 *       {@code socketTextStream}'s reader turns invalid UTF-8 into U+FFFD and the line would count as malformed
 *       instead of {@code invalid-utf8};</li>
 *   <li>{@code file:PATH} — DStreams have no source that reads a file once from its start (a file stream
 *       watches a directory for new files only), so the file is served over a local socket by stormwatch's
 *       {@link LineServer} (the {@code serve} command's server) and read with {@code socketTextStream} as well;
 *       the run ends once every line served is in the totals and the windows have
 *       caught up with the batch that counted the last ones;</li>
 *   <li>{@code kafka:} — refused: Spark's DStream Kafka integration ({@code spark-streaming-kafka-0-10}) is not
 *       published for Spark 4.0; Structured Streaming reads Kafka.</li>
 * </ul>
 */
public final class DStreamRunner {

    private static final Logger LOG = LoggerFactory.getLogger(DStreamRunner.class);

    private static final LineServer.Listener QUIET = new LineServer.Listener() {
        @Override
        public void connected(String client) {
            LOG.debug("receiver connected from {}", client);
        }

        @Override
        public void finished(String client, long linesSent, boolean complete) {
            LOG.debug("{} lines sent to {}, complete: {}", linesSent, client, complete);
        }
    };

    private DStreamRunner() {}

    /** The lines of a socket's stream, as stormwatch's socket spout reads them. */
    static Iterable<String> lines(InputStream in, int maxLineLength) {
        return () -> new Iterator<>() {
            private final LineReader reader = new LineReader(in, maxLineLength);
            private LineReader.Line next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    try {
                        next = reader.next();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e); // the receiver restarts
                    }
                }
                return next != null;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String text = next.text();
                next = null;
                return text;
            }
        };
    }

    /**
     * @param rate         lines per second a {@code file:} source is served at; 0 for as fast as Spark reads
     * @param durationMillis stop after this long (a socket source); 0 for no limit
     * @return true when a finite input was read whole
     */
    public static boolean run(JavaSparkContext sc, SparkRun run, DStreamJob job, SourceSpec source, JsonlOutput output,
            long batchMillis, double rate, long durationMillis, int maxLineLength) throws IOException, InterruptedException {
        if (source instanceof SourceSpec.Kafka) {
            throw new IllegalArgumentException("DStreams read socket: and file: sources here: spark-streaming-kafka-0-10 is"
                    + " not published for Spark 4.0; use `structured` for kafka:");
        }
        LineServer server = null;
        String host;
        int port;
        if (source instanceof SourceSpec.File file) {
            if (java.nio.file.Files.isDirectory(file.path())) {
                throw new IllegalArgumentException("dstream reads one file, not a directory: " + file.path());
            }
            server = new LineServer(InetAddress.getLoopbackAddress(), 0, List.of(file.path()), rate, false, QUIET);
            server.start();
            run.onClose(server);
            host = "127.0.0.1";
            port = server.port();
        } else {
            SourceSpec.Socket socket = (SourceSpec.Socket) source;
            host = socket.host();
            port = socket.port();
        }
        JavaStreamingContext ssc = new JavaStreamingContext(sc, new Duration(batchMillis));
        ssc.checkpoint(run.checkpoint("dstream-" + System.nanoTime()).toString());
        job.wire(ssc.socketStream(host, port, in -> lines(in, maxLineLength), StorageLevel.MEMORY_AND_DISK_SER()), output);
        // Stop the streaming context only: the Spark context is the caller's (a test's shared one, or the run's).
        run.onClose(() -> ssc.stop(false, true));
        ssc.start();
        long deadline = durationMillis > 0 ? System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(durationMillis) : Long.MAX_VALUE;
        while (System.nanoTime() < deadline) {
            if (server != null && server.awaitDone(0, TimeUnit.MILLISECONDS) && job.linesCounted() >= server.totalLinesSent()
                    && job.windowsCaughtUp()) {
                LOG.info("{} lines served and counted", server.totalLinesSent());
                ssc.stop(false, true);
                output.success();
                return true;
            }
            if (ssc.awaitTerminationOrTimeout(100)) {
                break;
            }
        }
        ssc.stop(false, true);
        return false;
    }
}
