package org.contssl.jobs.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import org.contssl.steps.workdir.Workdir;
import org.slf4j.LoggerFactory;

/**
 * The console shows contssl's own progress; the full log (Spring Batch, engines, stack traces) goes to
 * {@code <workdir>/logs/contssl.log}, attached once the workdir is known.
 */
final class Logs {

    private Logs() {
    }

    static void attach(Workdir workdir) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getAppender("workdir-file") != null) {
            return;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setName("workdir-file");
        file.setContext(context);
        file.setFile(workdir.root().resolve("logs").resolve("contssl.log").toString());
        file.setAppend(true);
        file.setEncoder(encoder);
        file.start();
        root.addAppender(file);
        root.setLevel(Level.INFO);
    }
}
