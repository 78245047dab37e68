package io.stormwatch.storm.bolt;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.stormwatch.core.agg.Tally;
import io.stormwatch.core.agg.TallyCodec;

/**
 * Kryo's form of a {@link Tally}: its {@link TallyCodec} bytes (compact, and carrying the tally's shape), for
 * tuples that cross workers. Within a worker Storm passes tallies by reference and never calls this.
 */
public final class TallySerializer extends Serializer<Tally> {

    public TallySerializer() {
        setImmutable(false);
    }

    @Override
    public void write(Kryo kryo, Output output, Tally tally) {
        byte[] encoded = TallyCodec.encode(tally);
        output.writeVarInt(encoded.length, true);
        output.writeBytes(encoded);
    }

    @Override
    public Tally read(Kryo kryo, Input input, Class<? extends Tally> type) {
        return TallyCodec.decode(input.readBytes(input.readVarInt(true)));
    }
}
