package io.stormwatch.core.window;

/** Which clock assigns a line to a pane. */
public enum TimeMode {
    /**
     * The record's own time ({@code %t}). Results are reproducible: the same log gives the same windows
     * however fast it is read. Rejected lines have no time and are left out of windows.
     */
    EVENT,
    /**
     * The arrival time at the pane bolt. Windows then describe what arrived when, like a Spark Streaming
     * DStream batch; rejected lines count in the pane they arrived in. Nothing is ever late with lag 0.
     */
    PROCESSING
}
