package io.stormwatch.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Keeps what is logged while it is attached, for tests that wait on a log message or check that something
 * (a password) is never logged. Attaches to the root logger, which every logger passes its events on to.
 *
 * <pre>
 * try (CapturedLog log = CapturedLog.attach(Level.WARN, "")) { ...; assertThat(log.text()).doesNotContain(secret); }
 * </pre>
 */
public final class CapturedLog extends AbstractAppender implements AutoCloseable {

    private final String loggerPrefix;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CapturedLog(String loggerPrefix) {
        super("captured-log-" + System.identityHashCode(new Object()), null, null, true, Property.EMPTY_ARRAY);
        this.loggerPrefix = loggerPrefix;
    }

    /**
     * @param level        the lowest level kept (the logger's own level still applies first)
     * @param loggerPrefix keep only events of loggers whose name starts with this; "" for all
     */
    public static CapturedLog attach(Level level, String loggerPrefix) {
        CapturedLog log = new CapturedLog(loggerPrefix);
        log.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(log, level, null);
        context.updateLoggers();
        return log;
    }

    @Override
    public void append(LogEvent event) {
        if (!event.getLoggerName().startsWith(loggerPrefix)) {
            return;
        }
        lines.add(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            lines.add(trace.toString());
        }
    }

    /** Messages (and stack traces) in the order they were logged. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    public String text() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
