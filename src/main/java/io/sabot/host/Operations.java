package io.sabot.host;

import io.sabot.alert.AlertService;
import io.sabot.engine.AlertView;
import io.sabot.engine.CrashReport;
import io.sabot.engine.LocalEngine;
import io.sabot.engine.OpsViews;
import io.sabot.engine.UsageHistory;
import io.sabot.export.MetricsExport;
import io.sabot.forensics.CrashRecorder;
import io.sabot.history.HistoryRecorder;
import io.sabot.store.Store;
import java.util.List;

/**
 * What operators ask for, wired around one engine: alerts, crash forensics, usage history and
 * metrics export (issue 15). Each runs on threads of its own and hears the engine through
 * events and ports only; this class answers the engine API's part for them.
 */
public final class Operations implements OpsViews, AutoCloseable {
    private final AlertService alerts;
    private final CrashRecorder crashes;
    private final HistoryRecorder history;
    private final MetricsExport metrics;

    public Operations(LocalEngine engine, Store store) {
        this.crashes = new CrashRecorder(engine, store.crashes());
        this.alerts = new AlertService(engine, store.alerts());
        this.history = new HistoryRecorder(engine, store.usage());
        this.metrics = new MetricsExport(engine, () -> alerts.alerts(200));
        engine.opsSource(this);
    }

    public MetricsExport metrics() { return metrics; }

    @Override
    public List<AlertView> alerts(int limit) { return alerts.alerts(limit); }

    @Override
    public AlertView testAlert(String rule) { return alerts.test(rule); }

    @Override
    public List<CrashReport> crashes(List<String> instanceIds) { return crashes.crashes(instanceIds); }

    @Override
    public UsageHistory usage(String subject, String range) { return history.usage(subject, range); }

    @Override
    public String metricsText() { return metrics.text(); }

    @Override
    public void close() {
        metrics.close();
        history.close();
        alerts.close();
        crashes.close();
    }
}
