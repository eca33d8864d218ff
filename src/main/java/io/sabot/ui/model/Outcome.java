package io.sabot.ui.model;

import io.sabot.engine.LifecycleResult;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operation's results say to a person: "12 restarted, 1 failed: s-2 start timeout", how
 * it went (for the notification's colour) and the trace to open (the first failure's, else any).
 */
public record Outcome(String message, int ok, int failed, String traceId, long nanos) {
    public boolean success() { return failed == 0; }

    /** The status-bar line: the message and how long it took. */
    public String statusLine() { return message + " in " + Fmt.nanos(nanos); }

    public static Outcome of(String done, List<LifecycleResult> results, long nanos) {
        List<LifecycleResult> bad = new ArrayList<>();
        int ok = 0;
        String trace = null;
        for (LifecycleResult r : results) {
            if (r.success()) ok++;
            else {
                bad.add(r);
                if (trace == null && r.traceId() != null) trace = r.traceId();
            }
        }
        if (trace == null) for (LifecycleResult r : results) if (r.traceId() != null) { trace = r.traceId(); break; }
        StringBuilder msg = new StringBuilder().append(ok).append(' ').append(done);
        if (!bad.isEmpty()) {
            msg.append(", ").append(bad.size()).append(" failed: ");
            for (int i = 0; i < Math.min(2, bad.size()); i++) {
                if (i > 0) msg.append("; ");
                msg.append(bad.get(i).instance()).append(' ').append(bad.get(i).error());
            }
            if (bad.size() > 2) msg.append("; +").append(bad.size() - 2).append(" more");
        }
        return new Outcome(msg.toString(), ok, bad.size(), trace, nanos);
    }
}
