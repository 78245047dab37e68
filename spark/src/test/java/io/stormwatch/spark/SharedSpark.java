package io.stormwatch.spark;

import org.apache.spark.sql.SparkSession;

/** One Spark session (and run directory) shared by the tests of a class: a session takes seconds to start. */
final class SharedSpark implements AutoCloseable {

    final SparkRun run = new SparkRun();
    final SparkSession spark;

    SharedSpark(String name) {
        spark = SparkSession.builder().config(run.conf(name, "local[2]")).getOrCreate();
        run.onClose(spark::stop);
    }

    @Override
    public void close() {
        run.close();
    }
}
