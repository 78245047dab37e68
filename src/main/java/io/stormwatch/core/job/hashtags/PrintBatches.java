package io.stormwatch.core.job.hashtags;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * What Spark's {@code DStream.print()} shows, batch by batch, in bounded memory: for each batch of
 * {@code batchMillis} that got texts, a header with the batch time, its first {@code shown} texts, and
 * {@code ...} when it had more — the seeds' PrintTweets, {@code tweets.map(_.getText).print()}. Only the
 * first {@code shown} texts of the open batch and a count are kept, never the stream.
 *
 * <p>A text belongs to the batch whose interval {@code (end − batch, end]} holds its time (arrival or event,
 * as the caller chooses); a batch is printed once the time passes its end ({@link #advanceTo}), or at
 * {@link #finish}. A text whose time falls in a batch printed already (event time out of order) goes into the
 * open batch: a batch, once printed, is not printed again. Batches without texts print nothing (Spark prints
 * their header). Example (1 s batches, two shown): texts at 0.2 s, 0.4 s, 0.9 s, then 1.5 s →
 * <pre>
 * -------------------------------------------
 * Time: 1000 ms
 * -------------------------------------------
 * first
 * second
 * ...
 *
 * </pre>
 * and the batch of 2000 ms once the time passes 2 s. Not thread-safe.
 */
public final class PrintBatches {

    private static final String RULE = "-------------------------------------------";

    private final long batchMillis;
    private final int shown;
    private final Consumer<String> out;
    private final List<String> texts = new ArrayList<>();
    private long openEnd = Long.MIN_VALUE;
    private long count;
    private long batchesPrinted;

    /** @param out receives each printed batch as one text, lines ending in {@code \n} */
    public PrintBatches(long batchMillis, int shown, Consumer<String> out) {
        if (batchMillis <= 0 || shown < 0) {
            throw new IllegalArgumentException("batch must be positive and shown >= 0: " + batchMillis + ", " + shown);
        }
        this.batchMillis = batchMillis;
        this.shown = shown;
        this.out = out;
    }

    /** Adds a text at {@code timeMillis}, first closing the batches that end before it. */
    public void add(long timeMillis, String text) {
        advanceTo(timeMillis);
        if (openEnd == Long.MIN_VALUE) {
            openEnd = end(timeMillis);
        }
        count++;
        if (texts.size() < shown) {
            texts.add(text);
        }
    }

    /** Prints the open batch if the time is past its end. */
    public void advanceTo(long timeMillis) {
        if (openEnd != Long.MIN_VALUE && timeMillis > openEnd) {
            print();
        }
    }

    /** Prints the open batch, if any: the end of the input. */
    public void finish() {
        if (openEnd != Long.MIN_VALUE) {
            print();
        }
    }

    /** Batches printed so far. */
    public long batchesPrinted() {
        return batchesPrinted;
    }

    private void print() {
        StringBuilder text = new StringBuilder(RULE).append('\n').append("Time: ").append(openEnd).append(" ms\n")
                .append(RULE).append('\n');
        for (String t : texts) {
            text.append(t).append('\n');
        }
        if (count > texts.size()) {
            text.append("...\n");
        }
        out.accept(text.append('\n').toString());
        batchesPrinted++;
        texts.clear();
        count = 0;
        openEnd = Long.MIN_VALUE;
    }

    /** The end of the batch holding {@code time}: the smallest multiple of the batch ≥ it. */
    private long end(long time) {
        return -Math.floorDiv(-time, batchMillis) * batchMillis;
    }
}
