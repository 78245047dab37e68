package io.stormwatch.storm.sink;

import io.stormwatch.core.job.DeadLetter;
import io.stormwatch.core.probe.ProgressMessage;
import io.stormwatch.core.probe.ProgressSender;
import java.util.Map;
import org.apache.storm.task.TopologyContext;

/**
 * The {@code progress:HOST:PORT} output: tells a progress receiver ({@code stormwatch compare}) each window
 * result's end as it is written ({@code w END}); the running count of lines ({@code n COUNT}) comes from the
 * totals bolt through {@link ProgressHook}, which the same output installs. Sends through the JVM's
 * {@link ProgressSender} (asynchronous), so the sink never waits on the receiver. Totals, dead letters and late
 * lines are not sent.
 */
public final class ProgressSink implements ResultSink {

    private static final long serialVersionUID = 1L;

    private final ProgressMessage.Address address;
    private transient ProgressSender sender;

    public ProgressSink(ProgressMessage.Address address) {
        this.address = address;
    }

    @Override
    public void open(Map<String, Object> topoConf, TopologyContext context) {
        sender = ProgressSender.to(address);
    }

    @Override
    public void window(Result window) {
        sender.window(window.windowEnd());
    }

    @Override
    public void totals(Result totals) {
        // The count goes out from the totals bolt itself (ProgressHook), not once a second from here.
    }

    @Override
    public void rejected(DeadLetter deadLetter) {
        // not part of the progress protocol
    }

    @Override
    public void late(LateLine late) {
        // not part of the progress protocol
    }

    @Override
    public void flush() {
        // the sender flushes every message
    }

    @Override
    public void endOfInput(String unread) {
        // nothing marks the end in the protocol
    }

    @Override
    public void close() {
        // the sender is the JVM's, shared with the hook
    }

    @Override
    public String toString() {
        return "progress:" + address.host() + ":" + address.port();
    }
}
