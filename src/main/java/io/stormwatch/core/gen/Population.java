package io.stormwatch.core.gen;

import java.util.Arrays;

/**
 * Draws keys (clients or endpoints), as indices into a population of {@code size} keys, from one uniform
 * number each: a hot share with a Zipf-like skew over a small ranked pool, the rest walking the remaining
 * keys one after the other in a fixed pseudo-random order.
 *
 * <p>Keys {@code [0, min(size, poolSize))} are the pool, ranked by popularity: rank {@code i} has weight
 * {@code 1 / (i + 1)^exponent}. Keys {@code [poolSize, size)}, when there are any, are the tail. A draw is
 * from the pool with probability {@code hotShare} and otherwise the next key of the tail, which is walked in
 * the order of a {@link Permutation} and starts over once all of it was drawn:
 * <ul>
 *   <li>{@code size <= poolSize}: {@code hotShare = 1}, a plain Zipf draw over the first {@code size} ranks.</li>
 *   <li>{@code size > poolSize}: {@code hotShare = max(3 %, (poolSize / size)^0.6)}. A population a little
 *       larger than the pool is still mostly skewed (twice the pool: 66 % hot); a very large one is mostly
 *       walked, so that {@code n} draws from about {@code n} keys see nearly {@code n} distinct keys (the 3 %
 *       floor keeps a few hot keys even then).</li>
 * </ul>
 *
 * <p>The draw uses exactly the uniform number it is given, so without a tail it is the same arithmetic,
 * bit for bit, as a plain draw from the cumulative Zipf weights. Memory: the pool's cumulative weights,
 * nothing per tail key.
 */
final class Population {

    static final double HOT_SHARE_FLOOR = 0.03;
    static final double HOT_SHARE_EXPONENT = 0.6;

    private final int size;
    private final int poolSize;
    private final double[] cumulative;
    private final double hotShare;
    private final Permutation tail;
    private long walked;

    /**
     * @param size     number of keys, at least 1
     * @param poolSize number of ranked pool keys the caller has names for
     * @param exponent the Zipf exponent of the pool
     * @param seed     chooses the order the tail is walked in
     */
    Population(int size, int poolSize, double exponent, long seed) {
        if (size < 1 || poolSize < 1) {
            throw new IllegalArgumentException("size and pool size must be >= 1: " + size + ", " + poolSize);
        }
        this.size = size;
        this.poolSize = poolSize;
        int ranked = Math.min(size, poolSize);
        this.cumulative = new double[ranked];
        double sum = 0;
        for (int i = 0; i < ranked; i++) {
            sum += 1 / StrictMath.pow(i + 1, exponent);
            cumulative[i] = sum;
        }
        this.hotShare = hotShare(size, poolSize);
        this.tail = size > poolSize ? new Permutation(size - poolSize, seed) : null;
    }

    /** The share of draws that go to the pool. */
    static double hotShare(int size, int poolSize) {
        if (size <= poolSize) {
            return 1.0;
        }
        return Math.max(HOT_SHARE_FLOOR, StrictMath.pow((double) poolSize / size, HOT_SHARE_EXPONENT));
    }

    int size() {
        return size;
    }

    /** A key for a uniform {@code u} in {@code [0, 1)}: a pool rank or the next tail key. */
    int draw(double u) {
        if (u < hotShare) {
            return drawHot(u / hotShare);
        }
        long position = walked++ % tail.size();
        return poolSize + (int) tail.apply(position);
    }

    /** A pool rank for a uniform {@code u} in {@code [0, 1)}, never a tail key (e.g. for referers). */
    int drawHot(double u) {
        double x = u * cumulative[cumulative.length - 1];
        int i = Arrays.binarySearch(cumulative, x);
        return Math.min(i >= 0 ? i + 1 : -i - 1, cumulative.length - 1);
    }
}
