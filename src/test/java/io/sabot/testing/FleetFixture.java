package io.sabot.testing;

import io.sabot.agent.BuiltinLauncher;
import io.sabot.agent.TestAgentMain;
import io.sabot.engine.Answers;
import io.sabot.engine.EngineConfig;
import io.sabot.engine.EngineRuntime;
import io.sabot.engine.LocalEngine;
import io.sabot.limits.LimitEnforcer;
import io.sabot.metrics.MetricsService;
import io.sabot.partition.PartitionManager;
import io.sabot.partition.PartitionService;
import io.sabot.spec.FleetSpec;
import java.nio.file.Path;
import java.util.List;

/** An engine with the partition service, metrics sampler and limits, as the host wires them (no store). */
public final class FleetFixture implements AutoCloseable {
    public final EngineFixture f;
    public final PartitionService partitions;
    public final MetricsService metrics;
    public final LimitEnforcer limits;
    public final io.sabot.state.StateService state;

    public FleetFixture(Path home) {
        // built-ins through the test entry point, so a spec may ask for a fault (SABOT_TEST_*)
        EngineRuntime rt = new EngineRuntime(EngineConfig.defaults(home).withBuiltins((kind, mb) ->
                TestAgentMain.argv(BuiltinLauncher.argv(kind, mb == null ? 0 : mb, home.resolve("cds")))));
        this.partitions = new PartitionService(rt, rt, rt, new FleetSpec(List.of(), List.of()), new PartitionManager.Options(50, 5_000),
                groups -> new io.sabot.partition.KafkaTopics(rt, rt, groups));
        this.metrics = new MetricsService(rt, rt, 500);
        this.limits = new LimitEnforcer(rt, rt, true);
        LocalEngine engine = new LocalEngine(rt, new Answers(partitions, null, null));
        this.state = new io.sabot.state.StateService(rt, rt, engine, home);
        engine.stateSource(state);
        this.f = new EngineFixture(engine);
    }

    @Override
    public void close() {
        metrics.close();
        f.close();
        partitions.close();
        state.close();
        limits.close();
    }
}
