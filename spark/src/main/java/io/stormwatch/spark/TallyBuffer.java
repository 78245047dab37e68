package io.stormwatch.spark;

import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallyCodec;
import java.io.Serializable;

/**
 * The buffer of {@link TallyAggregator}: a live {@link Tally} while Spark adds to it, its {@link TallyCodec}
 * bytes when Spark stores or ships it. A Java bean because Spark encodes an {@code Aggregator}'s buffer with an
 * encoder, and a Kryo encoder there fails (SPARK-52819); the bean's one property is the encoded tally, made
 * only when Spark reads it, so merging many rows does not encode and decode the tally each time.
 */
public final class TallyBuffer implements Serializable {

    private static final long serialVersionUID = 1L;

    private transient Tally tally;
    private byte[] bytes;

    public TallyBuffer() {}

    /** The encoded tally; {@code null} while nothing was added. */
    public byte[] getBytes() {
        if (tally != null) {
            bytes = TallyCodec.encode(tally);
        }
        return bytes;
    }

    public void setBytes(byte[] bytes) {
        this.bytes = bytes;
        this.tally = null;
    }

    /** Adds an encoded tally; returns this. */
    TallyBuffer add(byte[] encoded) {
        if (encoded == null) {
            return this;
        }
        if (tally == null) {
            tally = bytes == null ? TallyCodec.decode(encoded) : TallyCodec.mergeInto(encoded, TallyCodec.decode(bytes));
            bytes = null;
        } else {
            TallyCodec.mergeInto(encoded, tally);
        }
        return this;
    }

    TallyBuffer add(TallyBuffer other) {
        return add(other.getBytes());
    }
}
