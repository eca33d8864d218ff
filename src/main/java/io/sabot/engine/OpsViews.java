package io.sabot.engine;

import java.util.List;

/**
 * What the operator services wired around an engine (alerts, crash forensics, history, metrics
 * export) answer through the {@link Engine} API; {@link LocalEngine#opsSource} attaches them.
 */
public interface OpsViews {
    /** Recent alerts, newest first. */
    List<AlertView> alerts(int limit);

    /** Fires a test alert through a rule's channels; waits (bounded) for the first attempt of each. */
    AlertView testAlert(String rule);

    /** The last crash of each of these instances (none where an instance has not crashed). */
    List<CrashReport> crashes(List<String> instanceIds);

    /** History of {@code agent:NAME} or {@code group:NAME} over a range (live, 1h, 24h, 7d). */
    UsageHistory usage(String subject, String range);

    /** OpenMetrics text of the engine, its instances and consumer lag. */
    String metricsText();
}
