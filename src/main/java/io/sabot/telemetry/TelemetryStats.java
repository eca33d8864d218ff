package io.sabot.telemetry;

/**
 * Span counters.
 *
 * @param ended        spans ended in this process
 * @param stored       spans handed to the store (accepted by the journal queue)
 * @param dropped      spans the store path dropped because its queue was full
 * @param otlpEndpoint where OTLP export goes, or null when off
 */
public record TelemetryStats(long ended, long stored, long dropped, String otlpEndpoint) {
}
