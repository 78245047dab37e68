package io.stormwatch.core.job.hashtags;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrintBatchesTest {

    private final List<String> printed = new ArrayList<>();

    @Test
    void printsTheFirstNOfEachBatchAsSparkDoes() {
        PrintBatches batches = new PrintBatches(1_000, 2, printed::add);

        batches.add(200, "first");
        batches.add(400, "second");
        batches.add(900, "third");
        batches.add(1_500, "fourth");
        batches.advanceTo(1_999);
        assertThat(printed).hasSize(1);
        batches.advanceTo(2_001);
        batches.add(5_000, "fifth");
        batches.finish();

        assertThat(printed).containsExactly(
                "-------------------------------------------\nTime: 1000 ms\n-------------------------------------------\n"
                        + "first\nsecond\n...\n\n",
                "-------------------------------------------\nTime: 2000 ms\n-------------------------------------------\n"
                        + "fourth\n\n",
                "-------------------------------------------\nTime: 5000 ms\n-------------------------------------------\n"
                        + "fifth\n\n");
        assertThat(batches.batchesPrinted()).isEqualTo(3);
    }

    @Test
    void aTextOfABatchPrintedAlreadyGoesIntoTheOpenOne() {
        PrintBatches batches = new PrintBatches(1_000, 10, printed::add);

        batches.add(2_500, "late second");
        batches.add(1_200, "out of order");
        batches.finish();

        assertThat(printed).containsExactly("-------------------------------------------\nTime: 3000 ms\n"
                + "-------------------------------------------\nlate second\nout of order\n\n");
    }

    @Test
    void keepsNoMoreThanItShows() {
        PrintBatches batches = new PrintBatches(1_000, 1, printed::add);
        for (int i = 0; i < 1_000_000; i++) {
            batches.add(500, "tweet " + i);
        }
        batches.finish();

        assertThat(printed).containsExactly("-------------------------------------------\nTime: 1000 ms\n"
                + "-------------------------------------------\ntweet 0\n...\n\n");
    }
}
