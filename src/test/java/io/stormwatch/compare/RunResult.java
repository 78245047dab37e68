package io.stormwatch.compare;

/**
 * What one engine did on one job at one rate (a live run), or on the backlog file ({@code rate} 0).
 *
 * @param engine          engine label ({@code batch} for the oracle on the backlog)
 * @param job             job name
 * @param rate            target lines/s; 0 for the backlog
 * @param achievedRate    lines/s the feed managed (live), or lines/s start to exit (backlog)
 * @param processingRate  backlog: lines/s from the first to the last progress count (start-up excluded); live: NaN
 * @param lines           lines measured (live: after warm-up) or in the file (backlog)
 * @param unseen          measured lines whose effect never became visible before the run was stopped
 * @param latencyNanos    sorted latencies of the measured lines that were seen (live), else empty
 * @param bounded         latency stayed bounded ({@link Latency#bounded}) and the rate was achieved
 * @param windowDelaysMs  sorted delays of window results due while measured, ms (may be empty)
 * @param cpuSeconds      CPU seconds of the engine's JVM, start to stop
 * @param cpuFedSeconds   CPU seconds of the engine's JVM while fed and draining (live), else NaN
 * @param peakRssMib      peak resident set of the engine's JVM
 * @param note            why a run failed or what is odd about it; empty when nothing
 * @param load            the machine's 1-minute load average when the run ended (the machine is shared)
 */
record RunResult(String engine, String job, double rate, double achievedRate, double processingRate, long lines,
        long unseen, long[] latencyNanos, boolean bounded, long[] windowDelaysMs, double cpuSeconds,
        double cpuFedSeconds, long peakRssMib, String note, double load) {

    double latencyMs(double percentile) {
        return Latency.percentile(latencyNanos, percentile) / 1e6;
    }

    double windowDelayMs(double percentile) {
        return Latency.percentile(windowDelaysMs, percentile);
    }

    boolean failed() {
        return !note.isEmpty() && latencyNanos.length == 0 && processingRate != processingRate && rate > 0;
    }
}
