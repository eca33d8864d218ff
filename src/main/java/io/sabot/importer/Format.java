package io.sabot.importer;

/** The formats {@code sabot import} reads. */
public enum Format {
    PM2("PM2 ecosystem file"),
    SUPERVISORD("supervisord configuration"),
    PROCESS_COMPOSE("process-compose file");

    public final String title;

    Format(String title) { this.title = title; }
}
