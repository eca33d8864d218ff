package io.sabot.engine;

import io.sabot.telemetry.TraceView;
import java.util.List;

/**
 * Who answers the {@link Engine} questions the engine itself cannot: partitions and rebalances
 * (the partition service), traces and trace searches (telemetry), metric history (the store). Given to
 * {@link LocalEngine} when it is built; an engine without them answers with empty lists.
 */
public record Answers(Partitions partitions, Traces traces, MetricsHistory metrics, TraceSearch search) {
    public static final Answers NONE = new Answers(null, null, null, null);

    /** Without a trace search: searches filter the newest traces. */
    public Answers(Partitions partitions, Traces traces, MetricsHistory metrics) {
        this(partitions, traces, metrics, null);
    }

    public interface Partitions {
        List<PartitionView> partitions(String topic);

        List<AssignmentView> rebalance(String topic, String strategy, String reason);
    }

    @FunctionalInterface
    public interface Traces {
        List<TraceView> traces(int limit);
    }

    /** Trace search by agent or instance, operation, status and duration (telemetry). */
    @FunctionalInterface
    public interface TraceSearch {
        List<TraceView> search(io.sabot.telemetry.TraceQuery query);
    }

    @FunctionalInterface
    public interface MetricsHistory {
        List<MetricPoint> between(String instanceId, long fromMs, long toMs);
    }
}
