package org.contssl.jobs.cli;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps Spring Batch's own lines off the console: a failing step makes it log "Encountered an error executing
 * step …" at ERROR for every enclosing job, while the CLI already prints the cause as one line and the workdir's
 * log file keeps those lines with their stack traces.
 */
public final class SpringBatchConsoleFilter extends Filter<ILoggingEvent> {

    @Override
    public FilterReply decide(ILoggingEvent event) {
        return event.getLoggerName().startsWith("org.springframework.batch") ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}
