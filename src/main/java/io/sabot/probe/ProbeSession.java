package io.sabot.probe;

import io.sabot.spec.ProbeSpec;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The probes of one process (instance id and pid). Readiness: after its initial delay, a check
 * every period; {@code successThreshold} passes in a row make the process RUNNING, and from then
 * on {@code failureThreshold} failures in a row mark it not ready (and passes ready again).
 * Liveness: from RUNNING on, after its initial delay, a check every period; {@code failureThreshold}
 * failures in a row kill the process with reason "liveness probe failed: ..." (its restart policy
 * applies). All of it on the runner's scheduler thread; a check's own waiting happens elsewhere.
 */
final class ProbeSession {
    /** One probe's schedule and counters. */
    private final class Probe {
        final boolean readiness;
        final ProbeSpec spec;
        final Check check;
        int passes, failures;
        String lastNoted;
        long lastNotedAtMs;
        ScheduledFuture<?> next;

        Probe(boolean readiness, ProbeSpec spec, Check check) {
            this.readiness = readiness;
            this.spec = spec;
            this.check = check;
        }

        void schedule(long delayMs) {
            if (ended) return;
            next = timers.schedule(this::runOnce, delayMs, TimeUnit.MILLISECONDS);
        }

        void runOnce() {
            if (ended) return;
            check.run().whenCompleteAsync((r, t) -> {
                if (ended) return;
                onResult(this, r == null ? CheckResult.fail(String.valueOf(t)) : r);
                schedule(spec.periodMs());
            }, timers);
        }
    }

    final String instanceId;
    final long pid;
    private final ProbeTarget target;
    private final ScheduledExecutorService timers;
    private final Probe readiness;
    private final Probe liveness;
    private boolean ready;
    private boolean healthy = true;
    private volatile boolean ended;

    ProbeSession(String instanceId, long pid, ProbeTarget target, ScheduledExecutorService timers, ProbeSpec readinessSpec, Check readinessCheck,
                 ProbeSpec livenessSpec, Check livenessCheck) {
        this.instanceId = instanceId;
        this.pid = pid;
        this.target = target;
        this.timers = timers;
        this.readiness = readinessSpec == null ? null : new Probe(true, readinessSpec, readinessCheck);
        this.liveness = livenessSpec == null ? null : new Probe(false, livenessSpec, livenessCheck);
    }

    void start() {
        if (readiness != null) readiness.schedule(readiness.spec.initialDelayMs());
    }

    /** The process is RUNNING: liveness checks begin (a start that never gets there is the start timeout's business). */
    void running() {
        if (liveness != null && liveness.next == null && !ended) liveness.schedule(liveness.spec.initialDelayMs());
    }

    /** The process ended (or a new one replaced it): no more checks. */
    void end() {
        ended = true;
        for (Probe p : new Probe[] {readiness, liveness}) {
            if (p == null) continue;
            if (p.next != null) p.next.cancel(false);
            p.check.close();
        }
    }

    boolean ended() { return ended; }

    private void onResult(Probe p, CheckResult r) {
        if (r.ok()) {
            p.passes++;
            p.failures = 0;
        } else {
            p.failures++;
            p.passes = 0;
            note(p, r.detail());
        }
        if (p.readiness) {
            if (!ready && p.passes >= p.spec.successThreshold()) {
                ready = target.markReady(instanceId, pid);
                if (!ready) end(); // that process is not starting any more
            } else if (ready && healthy && p.failures >= p.spec.failureThreshold()) {
                healthy = false;
                target.markHealthy(instanceId, pid, false, "readiness probe failed: " + r.detail());
            } else if (ready && !healthy && p.passes >= p.spec.successThreshold()) {
                healthy = true;
                target.markHealthy(instanceId, pid, true, r.detail());
            }
        } else if (p.failures >= p.spec.failureThreshold()) {
            target.kill(instanceId, pid, "liveness probe failed: " + r.detail());
            end();
        }
    }

    /** A failure is written to the instance's log when it says something new, or every 10 s while it lasts. */
    private void note(Probe p, String detail) {
        long now = System.currentTimeMillis();
        if (detail.equals(p.lastNoted) && now - p.lastNotedAtMs < 10_000) return;
        p.lastNoted = detail;
        p.lastNotedAtMs = now;
        target.note(instanceId, (p.readiness ? "readiness" : "liveness") + " probe: " + detail + " (" + p.failures + " in a row)");
    }
}
