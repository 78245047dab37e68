package io.stormwatch.storm.spout;

import io.stormwatch.core.io.LineBlock;
import io.stormwatch.storm.Schema;
import org.apache.storm.tuple.Values;

/** The values of the spouts' tuples, placed by field name so that they follow {@link Schema}'s declarations. */
final class BlockTuples {

    private static final int BLOCK = Schema.BLOCK_FIELDS.fieldIndex(Schema.BLOCK);
    private static final int SOURCE = Schema.BLOCK_FIELDS.fieldIndex(Schema.SOURCE);
    private static final int OFFSET = Schema.BLOCK_FIELDS.fieldIndex(Schema.OFFSET);
    private static final int NEXT_OFFSET = Schema.BLOCK_FIELDS.fieldIndex(Schema.NEXT_OFFSET);

    private BlockTuples() {}

    /** A default-stream tuple ({@link Schema#BLOCK_FIELDS}) carrying {@code block}. */
    static Values of(LineBlock block) {
        Object[] values = new Object[Schema.BLOCK_FIELDS.size()];
        values[BLOCK] = block;
        values[SOURCE] = block.source();
        values[OFFSET] = block.offset();
        values[NEXT_OFFSET] = block.nextOffset();
        return new Values(values);
    }

    /** The message id of {@code block}: its source and first line's offset. */
    static BlockMessageId messageId(LineBlock block) {
        return new BlockMessageId(block.source(), block.offset());
    }

    /** A {@link Schema#RETIRED_STREAM} tuple ({@link Schema#RETIRED_FIELDS}) for {@code source}. */
    static Values retired(String source) {
        return new Values(source);
    }
}
