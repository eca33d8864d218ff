package io.sabot.control;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sabot.engine.AssignmentView;
import io.sabot.engine.DeployResult;
import io.sabot.engine.Engine;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.EngineInfo;
import io.sabot.engine.EngineListener;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.MetricPoint;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.engine.Subscription;
import io.sabot.engine.Transition;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecException;
import io.sabot.telemetry.TraceView;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The {@link Engine} API over the control protocol: what the CLI uses, and the console when a daemon
 * runs, on this machine (the Unix socket) or another one ({@link Transport}: ssh). Each call carries the
 * caller's current trace context, so the engine's span of an operation joins the caller's trace.
 */
public final class RemoteEngine implements Engine {
    private final ControlClient client;

    public RemoteEngine(Path socket) {
        this.client = ControlClient.connect(socket);
    }

    /** The engine behind a transport (ssh: {@code io.sabot.ssh.Ssh}); closing this engine closes the transport. */
    public RemoteEngine(Transport transport) {
        this.client = ControlClient.over(transport);
    }

    /** As {@link #RemoteEngine(Transport)}; a failed handshake leaves the transport open when {@code keepTransportOnFailure}. */
    public RemoteEngine(Transport transport, boolean keepTransportOnFailure) {
        this.client = ControlClient.over(transport, !keepTransportOnFailure);
    }

    /** Where the engine is ("home /x", "alice@web1"), and whether its transport still carries requests. */
    public String where() { return client.transport().where(); }

    public boolean alive() { return client.transport().alive(); }

    /** The engine's side of the version handshake. */
    public Protocol.Peer peer() { return client.peer(); }

    private JsonNode call(String op, ObjectNode args) {
        try {
            return client.call(op, args);
        } catch (SpecException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T as(JsonNode n, TypeReference<T> t) {
        return Wire.JSON.convertValue(n, t);
    }

    private static ObjectNode args() { return Wire.JSON.createObjectNode(); }

    private static ObjectNode sel(Selection s) {
        ObjectNode a = args();
        a.put("all", s.all());
        a.set("names", Wire.JSON.valueToTree(s.names()));
        return a;
    }

    @Override
    public DeployResult deploy(FleetSpec spec) throws SpecException {
        ObjectNode a = args();
        a.set("spec", Wire.JSON.valueToTree(spec));
        return Wire.JSON.convertValue(client.call("deploy", a), DeployResult.class);
    }

    @Override
    public List<LifecycleResult> remove(List<String> agents) {
        ObjectNode a = args();
        a.set("names", Wire.JSON.valueToTree(agents));
        return as(call("remove", a), new TypeReference<>() { });
    }

    @Override
    public FleetSpec spec() { return Wire.JSON.convertValue(call("spec", null), FleetSpec.class); }

    @Override
    public List<LifecycleResult> start(Selection targets, Integer concurrency, Long timeoutMs) {
        ObjectNode a = sel(targets);
        if (concurrency != null) a.put("concurrency", concurrency);
        if (timeoutMs != null) a.put("timeoutMs", timeoutMs);
        return as(call("start", a), new TypeReference<>() { });
    }

    @Override
    public List<LifecycleResult> stop(Selection targets, boolean force, Long timeoutMs) {
        ObjectNode a = sel(targets);
        a.put("force", force);
        if (timeoutMs != null) a.put("timeoutMs", timeoutMs);
        return as(call("stop", a), new TypeReference<>() { });
    }

    @Override
    public List<LifecycleResult> restart(Selection targets, boolean rolling, Long timeoutMs) {
        ObjectNode a = sel(targets);
        a.put("rolling", rolling);
        if (timeoutMs != null) a.put("timeoutMs", timeoutMs);
        return as(call("restart", a), new TypeReference<>() { });
    }

    @Override
    public List<InstanceStatus> status(Selection targets) { return as(call("status", sel(targets)), new TypeReference<>() { }); }

    @Override
    public List<Transition> history(String instanceId) {
        ObjectNode a = args();
        a.put("instance", instanceId);
        return as(call("history", a), new TypeReference<>() { });
    }

    @Override
    public List<String> logs(String instanceId, int lines) {
        ObjectNode a = args();
        a.put("instance", instanceId);
        a.put("lines", lines);
        return as(call("logs", a), new TypeReference<>() { });
    }

    @Override
    public Subscription followLogs(String instanceId, Consumer<String> sink) { return followLogs(instanceId, sink, null); }

    /** Like {@link #followLogs(String, Consumer)}, with a callback when the stream ends (the engine went away, or closed here). */
    public Subscription followLogs(String instanceId, Consumer<String> sink, Runnable onEnd) {
        ObjectNode a = args();
        a.put("instance", instanceId);
        return client.stream("follow", a, n -> sink.accept(n.path("line").asText()), onEnd);
    }

    /** The nice value of the thread that reads a background listener's events (0 is the default; 19 the lowest). */
    static final int BACKGROUND_NICE = 5;

    @Override
    public Subscription subscribe(EngineListener listener) {
        return subscribe(listener, null);
    }

    /** Like {@link #subscribe}, with a callback when the engine goes away. */
    public Subscription subscribe(EngineListener listener, Runnable onEnd) {
        ObjectNode a = null;
        if (!listener.ignores().isEmpty()) { // a daemon that does not know "skip" sends them anyway: the listener ignores them
            a = args();
            com.fasterxml.jackson.databind.node.ArrayNode skip = a.putArray("skip");
            listener.ignores().forEach(skip::add);
        }
        boolean background = listener.background();
        boolean[] lowered = {false}; // the sink runs on the stream's one thread
        return client.stream("subscribe", a, n -> {
            if (background && !lowered[0]) {
                lowered[0] = true;
                io.sabot.process.ThreadNice.lowerCurrentThread(BACKGROUND_NICE);
            }
            EngineEvent e = Wire.event(n.path("event"));
            if (e != null) listener.onEvent(e);
        }, onEnd);
    }

    @Override
    public List<PartitionView> partitions(String topic) {
        ObjectNode a = args();
        if (topic != null) a.put("topic", topic);
        return as(call("partitions", a), new TypeReference<>() { });
    }

    @Override
    public List<AssignmentView> rebalance(String topic, String strategy, String reason) {
        ObjectNode a = args();
        if (topic != null) a.put("topic", topic);
        if (strategy != null) a.put("strategy", strategy);
        if (reason != null) a.put("reason", reason);
        return as(call("rebalance", a), new TypeReference<>() { });
    }

    @Override
    public List<TraceView> traces(int limit) {
        ObjectNode a = args();
        a.put("limit", limit);
        return as(call("traces", a), new TypeReference<>() { });
    }

    @Override
    public List<TraceView> traces(io.sabot.telemetry.TraceQuery q) {
        if (q.isEmpty()) return traces(q.limit());
        ObjectNode a = args();
        a.put("limit", q.limit());
        if (q.agent() != null) a.put("agent", q.agent());
        if (q.operation() != null) a.put("operation", q.operation());
        if (q.status() != null) a.put("status", q.status());
        if (q.minDurationMs() != null) a.put("minMs", Math.min(Integer.MAX_VALUE, q.minDurationMs()));
        if (q.maxDurationMs() != null) a.put("maxMs", Math.min(Integer.MAX_VALUE, q.maxDurationMs()));
        return as(call("traces", a), new TypeReference<>() { });
    }

    @Override
    public List<MetricPoint> metricsHistory(String instanceId, long fromMs, long toMs) {
        ObjectNode a = args();
        a.put("instance", instanceId);
        a.put("from", fromMs);
        a.put("to", toMs);
        return as(call("metrics", a), new TypeReference<>() { });
    }

    @Override
    public List<io.sabot.engine.GroupStatus> groups() { return as(call("groups", null), new TypeReference<>() { }); }

    @Override
    public List<io.sabot.engine.StateStoreView> stateStores(String agent) {
        ObjectNode a = args();
        if (agent != null) a.put("agent", agent);
        return as(call("state", a), new TypeReference<>() { });
    }

    @Override
    public io.sabot.engine.StateViews.StateReset resetState(String agent, String store) {
        ObjectNode a = args();
        a.put("agent", agent);
        if (store != null) a.put("store", store);
        return as(call("state-reset", a), new TypeReference<>() { });
    }

    @Override
    public List<io.sabot.engine.AlertView> alerts(int limit) {
        ObjectNode a = args();
        a.put("limit", limit);
        return as(call("alerts", a), new TypeReference<>() { });
    }

    @Override
    public io.sabot.engine.AlertView testAlert(String name) {
        ObjectNode a = args();
        a.put("name", name);
        return Wire.JSON.convertValue(call("alert-test", a), io.sabot.engine.AlertView.class);
    }

    @Override
    public List<io.sabot.engine.CrashReport> why(Selection targets) { return as(call("why", sel(targets)), new TypeReference<>() { }); }

    @Override
    public io.sabot.engine.UsageHistory usageHistory(String subject, String range) {
        ObjectNode a = args();
        a.put("subject", subject);
        a.put("range", range);
        return Wire.JSON.convertValue(call("usage", a), io.sabot.engine.UsageHistory.class);
    }

    @Override
    public String metricsText() { return call("metrics-text", null).asText(); }

    @Override
    public EngineInfo info() { return Wire.JSON.convertValue(call("info", null), EngineInfo.class); }

    /** Drops this client's channels but keeps its transport open for a new {@code RemoteEngine} (reconnecting). */
    public void release() { client.release(); }

    public Transport transport() { return client.transport(); }

    /** Notices the engine attached to replies so far (e.g. "not recorded durably: the disk holding ... is full"); clears them. */
    public List<String> takeNotices() { return client.takeNotices(); }

    /** Any other operation of the control socket (e.g. {@code store-check}); returns its result. */
    public JsonNode request(String op, ObjectNode args) {
        return call(op, args);
    }

    /** Closes the connection only: the daemon and its agents keep running. */
    @Override
    public void close() { client.close(); }
}
