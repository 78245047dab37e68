package io.stormwatch.bench;

import io.stormwatch.storm.state.MemoryKeyValueState;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.function.Supplier;
import org.apache.storm.state.InMemoryKeyValueState;
import org.apache.storm.state.KeyValueState;

/**
 * What one checkpoint (prepareCommit + commit, as Storm's stateful bolt executor calls them) costs for an
 * in-memory state holding {@code --keys} committed keys of which {@code --changed} were written since the
 * last checkpoint: {@link MemoryKeyValueState} against Storm's {@link InMemoryKeyValueState}, which copies
 * the whole map at every prepare.
 *
 * <p>Method: fill the state and commit it; then, per round, put {@code --changed} random keys (not timed)
 * and time {@code prepareCommit(txid)} + {@code commit(txid)}. The first {@code --warmup} rounds are
 * dropped; prints the median and the fastest of the others. Keys are endpoint-like strings, values shared.
 *
 * <pre>
 * mvn -q -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * java -Xmx2g -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" \
 *     io.stormwatch.bench.StateCheckpointBenchmark [--keys N] [--changed N] [--rounds N] [--warmup N]
 * </pre>
 */
public final class StateCheckpointBenchmark {

    private StateCheckpointBenchmark() {}

    public static void main(String[] args) {
        int keys = 1_000_000;
        int changed = 10_000;
        int rounds = 20;
        int warmup = 5;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--keys" -> keys = Integer.parseInt(args[++i].replace("_", ""));
                case "--changed" -> changed = Integer.parseInt(args[++i].replace("_", ""));
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (--keys N, --changed N, --rounds N, --warmup N)");
            }
        }
        String[] names = new String[keys];
        for (int i = 0; i < keys; i++) {
            names[i] = "/item/" + i + "?ref=bench";
        }
        System.out.printf(Locale.ROOT, "== state checkpoint: %,d committed keys, %,d changed between checkpoints, "
                + "%d rounds after %d warm-up%n", keys, changed, rounds, warmup);
        System.out.println(Bench.machine());
        run("stormwatch MemoryKeyValueState", MemoryKeyValueState::new, names, changed, rounds, warmup);
        run("Storm InMemoryKeyValueState", InMemoryKeyValueState::new, names, changed, rounds, warmup);
    }

    private static void run(String label, Supplier<KeyValueState<String, Integer>> factory, String[] names,
            int changed, int rounds, int warmup) {
        KeyValueState<String, Integer> state = factory.get();
        Integer value = 1;
        for (String name : names) {
            state.put(name, value);
        }
        long txid = 1;
        state.prepareCommit(txid);
        state.commit(txid);
        Random random = new Random(42);
        long[] nanos = new long[rounds];
        for (int round = -warmup; round < rounds; round++) {
            Integer next = round + warmup + 2;
            for (int i = 0; i < changed; i++) {
                state.put(names[random.nextInt(names.length)], next);
            }
            txid++;
            long start = System.nanoTime();
            state.prepareCommit(txid);
            state.commit(txid);
            long elapsed = System.nanoTime() - start;
            if (round >= 0) {
                nanos[round] = elapsed;
            }
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%-32s prepare+commit: median %9.3f ms, fastest %9.3f ms%n", label,
                sorted[sorted.length / 2] / 1e6, sorted[0] / 1e6);
    }
}
