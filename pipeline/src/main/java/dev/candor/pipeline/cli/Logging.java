package dev.candor.pipeline.cli;

import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/** Sets up logging for the CLI process before any logger exists. */
final class Logging {
    private Logging() {
    }

    static void configure() {
        String level = System.getenv("CANDOR_LOG_LEVEL");
        if (level != null && !level.isBlank()) {
            System.setProperty("org.slf4j.simpleLogger.log.dev.candor", level.toLowerCase(java.util.Locale.ROOT));
        }
        // Tribuo logs its progress through java.util.logging at INFO ("Building model 3 of 50"): keep it to warnings
        // unless asked, so a run's output is the run's own lines.
        Level jul = "debug".equalsIgnoreCase(level) || "trace".equalsIgnoreCase(level) ? Level.INFO : Level.WARNING;
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        java.util.logging.ConsoleHandler handler = new java.util.logging.ConsoleHandler();
        handler.setLevel(jul);
        root.addHandler(handler);
        root.setLevel(jul);
    }
}
