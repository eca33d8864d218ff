package io.sabot.ui.model;

import io.sabot.engine.LifecycleResult;
import io.sabot.engine.Transition;

/** One line of the events view: a transition, a lifecycle result or a notice. Immutable. */
public record EventRow(long timeMs, String kind, String instance, String change, String cause, String detail,
                       String traceId, boolean bad, String host) {

    public EventRow(long timeMs, String kind, String instance, String change, String cause, String detail, String traceId, boolean bad) {
        this(timeMs, kind, instance, change, cause, detail, traceId, bad, "");
    }

    /** The same row, on a host (the events view's host column and filter). */
    public EventRow onHost(String h) { return new EventRow(timeMs, kind, instance, change, cause, detail, traceId, bad, h == null ? "" : h); }

    public static EventRow of(Transition t) {
        StringBuilder d = new StringBuilder();
        if (t.reason() != null) d.append(t.reason());
        if (t.exitCode() != null && (t.reason() == null || !t.reason().contains("code"))) d.append(d.length() > 0 ? "; " : "").append("exit ").append(t.exitCode());
        if (t.pid() > 0) d.append(d.length() > 0 ? "; " : "").append("pid ").append(t.pid());
        boolean bad = t.to() == io.sabot.engine.InstanceState.FAILED || t.to() == io.sabot.engine.InstanceState.BACKOFF;
        return new EventRow(t.timeMs(), "transition", t.instance(),
                (t.from() == null ? "" : t.from().name()) + " \u2192 " + t.to().name(), t.cause(), d.toString(), t.traceId(), bad);
    }

    public static EventRow of(LifecycleResult r, long nowMs) {
        String change = r.operation() + (r.success() ? " ok" : " failed");
        String detail = r.success()
                ? (r.newState() == null ? "" : "now " + r.newState().name()) + (r.pid() == null ? "" : ", pid " + r.pid())
                : String.valueOf(r.error());
        return new EventRow(nowMs, "result", r.instance(), change, r.durationMs() + " ms", detail, r.traceId(), !r.success());
    }

    public static EventRow notice(String text, long nowMs) {
        return new EventRow(nowMs, "notice", "", "", "", text, null, false);
    }

    /** Lower-cased text the filter searches. */
    public String haystack() {
        return (kind + " " + host + " " + instance + " " + change + " " + cause + " " + detail + " " + (traceId == null ? "" : traceId))
                .toLowerCase(java.util.Locale.ROOT);
    }
}
