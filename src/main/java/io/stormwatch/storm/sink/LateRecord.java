package io.stormwatch.storm.sink;

import io.stormwatch.core.log.LogRecord;
import java.io.Serializable;

/** A record that arrived after its pane was closed; it is in the totals but in no window. */
public record LateRecord(LogRecord record, String source, long offset) implements Serializable {}
