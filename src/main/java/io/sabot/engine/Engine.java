package io.sabot.engine;

import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecException;
import io.sabot.telemetry.TraceView;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one API to the supervisor engine. The console, the control socket (and so the CLI) and
 * the tests all use it; {@code LocalEngine} runs in-process, {@code RemoteEngine} talks to a
 * daemon over the control socket.
 *
 * <p>Targets are agent names (all their instances) or instance ids {@code NAME-I}; a name that is
 * neither raises {@link UnknownTargetException}. Lifecycle calls return one result per instance
 * and never throw for one instance's failure.
 */
public interface Engine extends AutoCloseable {

    /** Adds or replaces agents and topics. Running agents whose spec changed are restarted. */
    DeployResult deploy(FleetSpec spec) throws SpecException;

    /** Stops and forgets agents. */
    List<LifecycleResult> remove(List<String> agents);

    /** Everything deployed. */
    FleetSpec spec();

    /** Starts instances (and, first, the agents they depend on). With {@code concurrency}, scales each named agent to that many instances first. */
    List<LifecycleResult> start(Selection targets, Integer concurrency, Long timeoutMs);

    /** Stops instances: SIGTERM, the grace ({@code timeoutMs} or the spec's stopGraceMs), then SIGKILL of the tree; {@code force} kills at once. */
    List<LifecycleResult> stop(Selection targets, boolean force, Long timeoutMs);

    /** Restarts instances, all at once (bounded parallelism) or, {@code rolling}, one at a time waiting for each to be RUNNING. */
    List<LifecycleResult> restart(Selection targets, boolean rolling, Long timeoutMs);

    /** Status of the targeted instances (all when the selection is empty). */
    List<InstanceStatus> status(Selection targets);

    /** State transitions of one instance, oldest first (the most recent ones the engine keeps). */
    List<Transition> history(String instanceId);

    /** Last {@code lines} lines of an instance's log (stdout and stderr). */
    List<String> logs(String instanceId, int lines);

    /** Streams new log lines of an instance until the subscription is closed. */
    Subscription followLogs(String instanceId, Consumer<String> sink);

    /** Hears every engine event (transitions, results, specs, metrics, spans, assignments). */
    Subscription subscribe(EngineListener listener);

    /**
     * A viewer (the console, an event stream) shows live figures until it closes this: the engine
     * samples every process at full rate meanwhile, and coarsely when no one looks (issue 13).
     */
    default Subscription watchFigures() { return () -> { }; }

    /** Partitions of one topic, or of all topics when {@code topic} is null. */
    default List<PartitionView> partitions(String topic) { return List.of(); }

    /** Rebalances a topic (all topics when null) now, with a strategy for this time only when given. */
    default List<AssignmentView> rebalance(String topic, String strategy, String reason) {
        throw new UnsupportedOperationException("this engine has no partition manager");
    }

    /** Recent traces, newest first, each with its spans. */
    default List<TraceView> traces(int limit) { return List.of(); }

    /** The newest traces matching {@code query} (agent or instance, operation, status, duration), newest first. */
    default List<TraceView> traces(io.sabot.telemetry.TraceQuery query) {
        if (query.isEmpty()) return traces(query.limit());
        return traces(10_000).stream().filter(query::matches).limit(query.limit()).toList();
    }

    /** Metric history of an instance ({@code "host"} for the host) between two times, for charts. */
    default List<MetricPoint> metricsHistory(String instanceId, long fromMs, long toMs) { return List.of(); }

    /** The supervision groups: settings, members, restart intensity used, escalation. */
    default List<GroupStatus> groups() { return List.of(); }

    /** Agents' state stores per partition (one agent, or all with null): owner, status, size, restore progress. */
    default List<StateStoreView> stateStores(String agent) { return List.of(); }

    /** Clears an agent's state (one store, or all with {@code store} null); only while none of its instances runs. */
    default StateViews.StateReset resetState(String agent, String store) {
        throw new UnsupportedOperationException("this engine keeps no state stores");
    }

    /** Recent alerts, newest first ({@code sabot alerts list}). */
    default List<AlertView> alerts(int limit) { return List.of(); }

    /** Fires a test alert through the channels of rule {@code name} ({@code sabot alerts test NAME}). */
    default AlertView testAlert(String name) { throw new UnsupportedOperationException("this engine has no alerting"); }

    /** Each targeted instance's last crash ({@code sabot agents why}); instances that never crashed are left out. */
    default List<CrashReport> why(Selection targets) { return List.of(); }

    /** An agent's ({@code agent:NAME}) or consumer group's ({@code group:NAME}) history over live, 1h, 24h or 7d. */
    default UsageHistory usageHistory(String subject, String range) {
        throw new UnsupportedOperationException("this engine keeps no history");
    }

    /** OpenMetrics text exposition of the engine, its instances and consumer lag ({@code sabot metrics}). */
    default String metricsText() { throw new UnsupportedOperationException("this engine exports no metrics"); }

    /** Facts about the engine process. */
    EngineInfo info();

    @Override
    void close();
}
