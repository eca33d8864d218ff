package io.sabot.launch;

import io.sabot.engine.Engine;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.Selection;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * "Stop the engine and all agents": every agent is stopped as an operator stop would (so they
 * stay stopped when an engine next opens the home), then the daemon gets SIGTERM and this waits
 * for its process to end. Nothing of the fleet is left running.
 */
public final class StopEverything {
    private StopEverything() {}

    /** Returns true when the engine's process is gone. */
    public static boolean run(Engine engine, long enginePid, Duration wait, PrintWriter err) {
        List<LifecycleResult> rs;
        try {
            rs = engine.stop(Selection.everything(), false, null);
        } finally {
            engine.close();
        }
        long failed = rs.stream().filter(r -> !r.success()).count();
        for (LifecycleResult r : rs) if (!r.success()) err.println("sabot console: " + r.instance() + ": stop failed: " + r.error());
        Optional<ProcessHandle> h = ProcessHandle.of(enginePid);
        if (h.isEmpty()) return true;
        h.get().destroy(); // SIGTERM: the daemon stops what is left and exits
        try {
            h.get().onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            err.println("sabot console: the engine (pid " + enginePid + ") did not exit within " + wait.toSeconds() + " s");
            err.flush();
            return false;
        }
        err.println("sabot console: stopped " + (rs.size() - failed) + " agent instances and the engine (pid " + enginePid + ")");
        err.flush();
        return true;
    }
}
