package io.sabot.testing;

import io.sabot.engine.EngineConfig;
import io.sabot.limits.LimitEnforcer;
import io.sabot.metrics.MetricsService;
import io.sabot.partition.PartitionManager;
import io.sabot.partition.PartitionService;
import java.nio.file.Path;

/** An engine with the partition service, metrics sampler and limits, as the host wires them (no store). */
public final class FleetFixture implements AutoCloseable {
    public final EngineFixture f;
    public final PartitionService partitions;
    public final MetricsService metrics;
    public final LimitEnforcer limits;

    public FleetFixture(Path home) {
        this.f = new EngineFixture(EngineConfig.defaults(home));
        this.partitions = new PartitionService(f.engine, new PartitionManager.Options(50, 5_000),
                groups -> new io.sabot.kafka.KafkaTopics(f.engine, groups));
        this.metrics = new MetricsService(f.engine, 500);
        this.limits = new LimitEnforcer(f.engine, true);
    }

    @Override
    public void close() {
        metrics.close();
        f.close();
        partitions.close();
        limits.close();
    }
}
