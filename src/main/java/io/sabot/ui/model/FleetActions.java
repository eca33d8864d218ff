package io.sabot.ui.model;

import io.sabot.engine.DeployResult;
import io.sabot.engine.Engine;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.Selection;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.DemoFleet;
import io.sabot.spec.FleetSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Start, stop, force stop, restart, rolling restart, scale and the demo fleet, on targets the
 * view computed ({@link Targets#of}). Every call runs on a background thread; the result comes
 * back on the UI thread as an {@link Outcome}. The view asks for confirmation first.
 */
public final class FleetActions {
    private final Engine engine;
    private final FleetModel fleet;
    private final Background bg;

    public FleetActions(Engine engine, FleetModel fleet, Background bg) {
        this.engine = engine;
        this.fleet = fleet;
        this.bg = bg;
    }

    public void run(FleetOp op, Targets t, Consumer<Outcome> done, Consumer<Throwable> error) {
        long t0 = System.nanoTime();
        bg.op(() -> call(op, t.selection()), rs -> done.accept(Outcome.of(op.done, rs, System.nanoTime() - t0)), error);
    }

    private List<LifecycleResult> call(FleetOp op, Selection s) {
        switch (op) {
            case START: return engine.start(s, null, null);
            case STOP: return engine.stop(s, false, null);
            case FORCE_STOP: return engine.stop(s, true, null);
            case RESTART: return engine.restart(s, false, null);
            default: return engine.restart(s, true, null);
        }
    }

    /** The deployed specs of the agents a selection involves (what Scale changes). */
    public List<AgentSpec> specsOf(Targets t) {
        List<AgentSpec> specs = new ArrayList<>();
        for (String a : t.agents()) {
            AgentSpec s = fleet.specOf(a);
            if (s != null) specs.add(s);
        }
        return specs;
    }

    /** How many instances scaling these agents to {@code n} stops. */
    public static int removedByScale(List<AgentSpec> specs, int n) {
        int removed = 0;
        for (AgentSpec s : specs) removed += Math.max(0, s.concurrency() - n);
        return removed;
    }

    /** Redeploys the agents with {@code n} instances each; "a, b scaled to 3" (+ ", 1 failed"). */
    public void scale(List<AgentSpec> specs, int n, Consumer<Outcome> done, Consumer<Throwable> error) {
        List<AgentSpec> scaled = new ArrayList<>();
        for (AgentSpec s : specs) scaled.add(s.withConcurrency(n));
        String names = String.join(", ", scaled.stream().map(AgentSpec::name).toList());
        long t0 = System.nanoTime();
        bg.op(() -> engine.deploy(new FleetSpec(scaled, List.of())), (DeployResult r) -> {
            int bad = (int) r.results().stream().filter(x -> !x.success()).count();
            String msg = names + " scaled to " + n + (bad > 0 ? ", " + bad + " failed" : "");
            done.accept(new Outcome(msg, r.results().size() - bad, bad, null, System.nanoTime() - t0));
        }, error);
    }

    /** Deploys the demo fleet and starts everything (an empty home offers it). */
    public void startDemo(Consumer<Outcome> done, Consumer<Throwable> error) {
        long t0 = System.nanoTime();
        bg.op(() -> {
            engine.deploy(DemoFleet.spec());
            return engine.start(Selection.everything(), null, null);
        }, rs -> done.accept(Outcome.of("started", rs, System.nanoTime() - t0)), error);
    }
}
