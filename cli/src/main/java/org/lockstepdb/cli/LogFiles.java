package org.lockstepdb.cli;

import java.nio.file.Path;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;

/**
 * Where the launcher's log lines go, beyond what logback.xml says (stderr): a server's data directory keeps its
 * own log file, and the interactive commands move the log off the terminal.
 */
final class LogFiles {
    private LogFiles() {
    }

    /** Also write every log line to a file (a server's data directory keeps its own log). */
    static void alsoLogTo(Path file) {
        addFileAppender(file);
    }

    /**
     * Write log lines only to a file: {@code lockstep local} shares the terminal with the shell, where
     * replicas' shutdown chatter would bury the user's results.
     */
    static void onlyLogTo(Path file) {
        if (addFileAppender(file)) {
            ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                    .detachAppender("STDERR");
        }
    }

    private static boolean addFileAppender(Path file) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return false;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("FILE");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return true;
    }
}
