package io.stormwatch.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One Spark session (and run directory) for every Spark test of the test JVM: a session takes seconds to start
 * (tens on a busy machine), and the Spark tests run in one reused fork. It is stopped, and its directory
 * deleted, when the JVM exits (by {@link SparkRun}'s shutdown hook, after Spark's own hooks).
 */
final class SharedSpark {

    private static SharedSpark shared;

    final SparkRun run = new SparkRun();
    final SparkSession spark;

    private SharedSpark() {
        spark = SparkSession.builder().config(run.conf("stormwatch-spark-tests", "local[2]")).getOrCreate();
        run.onClose(spark::stop);
    }

    static synchronized SharedSpark get() {
        if (shared == null) {
            shared = new SharedSpark();
        }
        return shared;
    }
}
