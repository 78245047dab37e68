package io.stormwatch.core.gen;

/**
 * A fixed pseudo-random permutation of {@code [0, size)}, computed on the fly in constant memory: the same
 * size and seed give the same permutation on any JVM.
 *
 * <p>A balanced four-round Feistel network over the smallest even number of bits that covers {@code size}
 * is a permutation of that power of two; values that land at or beyond {@code size} are encrypted again
 * until they fall inside ("cycle walking"), which keeps it a permutation of {@code [0, size)}. The covering
 * range is less than four times {@code size}, so that takes fewer than four rounds on average.
 */
final class Permutation {

    private static final int ROUNDS = 4;

    private final long size;
    private final int halfBits;
    private final long mask;
    private final long[] keys = new long[ROUNDS];

    Permutation(long size, long seed) {
        if (size < 1 || size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("size must be within [1, " + Integer.MAX_VALUE + "]: " + size);
        }
        this.size = size;
        int bits = Math.max(2, 64 - Long.numberOfLeadingZeros(size - 1));
        bits += bits & 1;
        this.halfBits = bits / 2;
        this.mask = (1L << halfBits) - 1;
        long state = seed;
        for (int i = 0; i < ROUNDS; i++) {
            state += 0x9E3779B97F4A7C15L;
            keys[i] = mix(state);
        }
    }

    long size() {
        return size;
    }

    /** The image of {@code i}, which must be within {@code [0, size)}. */
    long apply(long i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i + " not within [0, " + size + ")");
        }
        long x = i;
        do {
            x = encrypt(x);
        } while (x >= size);
        return x;
    }

    private long encrypt(long x) {
        long left = x >>> halfBits;
        long right = x & mask;
        for (long key : keys) {
            long next = left ^ (mix(right ^ key) & mask);
            left = right;
            right = next;
        }
        return (left << halfBits) | right;
    }

    /** SplitMix64's finalizer: a well-spread 64-bit hash, pure integer arithmetic. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
