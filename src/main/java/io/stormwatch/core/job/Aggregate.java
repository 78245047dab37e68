package io.stormwatch.core.job;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallySchema;
import java.io.Serializable;

/**
 * How a job counts its records: the shape of Flink's {@code AggregateFunction} and Beam's {@code CombineFn}
 * ({@code createAccumulator}, {@code add}, {@code merge}; the result is read by the job's {@link Views}),
 * with a {@link Tally} as the accumulator. Because a tally merges exactly, the engine can count a block of
 * lines in a parse task and merge blocks into panes, windows and totals in any grouping: the result equals
 * counting every line in one place.
 *
 * <p>A job implements {@link #schema()} and {@link #add}; rejected lines are counted by the engine
 * ({@link Tally#countRejected}), the same for every job.
 *
 * @param <R> the job's record type
 */
public interface Aggregate<R> extends Serializable {

    /** The cells and dimensions this job counts. */
    TallySchema schema();

    default Tally createAccumulator() {
        return schema().newTally();
    }

    /**
     * Counts one record into {@code accumulator}: {@link Tally#countRecord()} once, then the record's own
     * figures. Must depend on nothing but the record (no clock, no order): that is what makes counts exact
     * under any block boundaries and parallelism.
     */
    void add(R record, Tally accumulator);

    default Tally merge(Tally accumulator, Tally other) {
        return accumulator.merge(other);
    }

    /** How one record is counted: a job's {@link #add}, as a lambda or method reference Storm can ship. */
    @FunctionalInterface
    interface Adder<R> extends Serializable {
        void add(R record, Tally accumulator);
    }

    /**
     * The aggregate of {@code schema} counting with {@code adder}: what most jobs need, without a class of
     * their own, e.g. {@code Aggregate.of(SCHEMA, (record, tally) -> { tally.countRecord(); tally.count(URLS, record.endpoint()); })}.
     */
    static <R> Aggregate<R> of(TallySchema schema, Adder<R> adder) {
        record Of<R>(TallySchema schema, Adder<R> adder) implements Aggregate<R> {
            @Override
            public void add(R record, Tally accumulator) {
                adder.add(record, accumulator);
            }
        }
        return new Of<>(schema, adder);
    }
}
