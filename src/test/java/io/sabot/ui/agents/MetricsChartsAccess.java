package io.sabot.ui.agents;

/** Test access to package-private helpers. */
public final class MetricsChartsAccess {
    private MetricsChartsAccess() {}

    public static double nice(double v) { return MetricsCharts.nice(v); }
}
