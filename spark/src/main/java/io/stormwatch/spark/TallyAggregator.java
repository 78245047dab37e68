package io.stormwatch.spark;

import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;

/**
 * Merges encoded tallies in Spark SQL: the aggregate function of every Structured Streaming job here. Spark
 * keeps the buffer as an object between rows (an {@code Aggregator} becomes a typed imperative aggregate), so
 * a group costs one merge per row, and encodes it only to shuffle it or to keep it in the state store.
 * The result is the merged tally's {@link io.stormwatch.core.agg.TallyCodec} bytes, read by the job's views.
 */
public final class TallyAggregator extends Aggregator<byte[], TallyBuffer, byte[]> {

    private static final long serialVersionUID = 1L;

    /** The aggregator as a SQL function of one binary column, e.g. {@code agg(TallyAggregator.function().apply(col("tally")))}. */
    public static UserDefinedFunction function() {
        return functions.udaf(new TallyAggregator(), Encoders.BINARY());
    }

    @Override
    public TallyBuffer zero() {
        return new TallyBuffer();
    }

    @Override
    public TallyBuffer reduce(TallyBuffer buffer, byte[] tally) {
        return buffer.add(tally);
    }

    @Override
    public TallyBuffer merge(TallyBuffer a, TallyBuffer b) {
        return a.add(b);
    }

    @Override
    public byte[] finish(TallyBuffer buffer) {
        return buffer.getBytes();
    }

    @Override
    public Encoder<TallyBuffer> bufferEncoder() {
        return Encoders.bean(TallyBuffer.class);
    }

    @Override
    public Encoder<byte[]> outputEncoder() {
        return Encoders.BINARY();
    }
}
