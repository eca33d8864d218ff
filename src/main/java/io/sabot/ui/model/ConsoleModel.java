package io.sabot.ui.model;

import io.sabot.engine.AssignmentView;
import io.sabot.engine.Engine;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.EngineInfo;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Selection;
import io.sabot.engine.Subscription;
import io.sabot.engine.Transition;
import io.sabot.spec.FleetSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The console's view models and the one path from the engine to them. It is the only UI object
 * that holds the {@link Engine}; views get the view models below and never the engine (a rule in
 * {@code ConsoleArchitectureTest}).
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Engine threads only record into the {@link LiveFeed} (latest wins, bounded queues) and
 *       return; {@link #apply} moves what accumulated into the view models at most
 *       {@link #APPLY_INTERVAL_NANOS} apart, on the UI thread, whatever the event rate
 *       ({@code LiveFeedTest}, {@code ConsoleModelTest}).</li>
 *   <li>Every engine call runs on a {@link Background} thread, never on the UI thread.</li>
 *   <li>No JavaFX control or scene class is used here or in any view model, so they are tested
 *       without a toolkit ({@code ConsoleModelTest}, {@code ViewModelsTest}).</li>
 * </ul>
 */
public final class ConsoleModel implements AutoCloseable {
    /** At most about 10 applications a second: each applied change costs the table a layout. */
    public static final long APPLY_INTERVAL_NANOS = 90_000_000L;

    private final Engine engine;
    private final io.sabot.multihost.HostsEngine hostsEngine;
    private final boolean ownsHostsEngine;
    private final HostsModel hosts;
    private final EngineInfo info;
    private final Background bg;
    private final LiveFeed feed = new LiveFeed();
    private final FleetModel fleet = new FleetModel();
    private final Poller poller;
    private final FleetActions actions;
    private final TracesModel traces;
    private final EventsModel events = new EventsModel();
    private final PartitionsModel partitions;
    private final NotificationsModel notifications = new NotificationsModel();
    private final long openedAtMs = System.currentTimeMillis();
    private Consumer<List<Transition>> onFailed = l -> { };
    private Consumer<List<String>> onNotes = l -> { };
    private Subscription subscription; // guarded by this
    private boolean started, closed;
    private long lastApply, lastUptimeTick;

    /** @param ui runs work on the UI thread ({@code Platform::runLater}; tests: a direct executor) */
    public ConsoleModel(Engine engine, EngineInfo info, Executor ui) {
        // every console shows a list of hosts; with one host this is a pass-through
        this.ownsHostsEngine = !(engine instanceof io.sabot.multihost.HostsEngine);
        this.hostsEngine = engine instanceof io.sabot.multihost.HostsEngine h ? h : new io.sabot.multihost.HostsEngine("local", engine);
        this.engine = hostsEngine;
        this.info = info;
        this.bg = new Background(ui);
        this.hosts = new HostsModel(hostsEngine, bg);
        hostsEngine.knowPrimary(info);
        fleet.setPrimaryHost(hostsEngine.primaryLabel());
        this.poller = new Poller(this.engine, feed);
        this.actions = new FleetActions(this.engine, fleet, bg);
        this.traces = new TracesModel(this.engine, bg);
        this.partitions = new PartitionsModel(this.engine, fleet, bg, poller);
        traces.store().setPrimaryHost(hostsEngine.primaryLabel());
        hosts.setOnConnected(traces::reloadIfLoaded);
        hosts.filter.addListener((o, a, h) -> {
            events.setHost(h);
            traces.store().setHost(h);
            partitions.setHost(h);
        });
    }

    /** The Hosts list and the host filter. */
    public HostsModel hosts() { return hosts; }

    public EngineInfo info() { return info; }

    public FleetModel fleet() { return fleet; }

    public LiveFeed feed() { return feed; }

    public Background background() { return bg; }

    public Poller poller() { return poller; }

    public FleetActions actions() { return actions; }

    public TracesModel traces() { return traces; }

    public EventsModel events() { return events; }

    public PartitionsModel partitions() { return partitions; }

    /** The alerts raised (the notifications list and its unread count). */
    public NotificationsModel notifications() { return notifications; }

    /** The shown instance's last crash (the crash card). */
    public CrashModel newCrash() { return new CrashModel(engine, bg); }

    /** An agent's history over a range (the trends charts). */
    public UsageModel newUsage() { return new UsageModel(engine, bg); }

    /** New per-pane view models (the detail pane's tabs). */
    public HistoryModel newHistory() { return new HistoryModel(engine, bg); }

    public LogModel newLog() { return new LogModel(engine, bg, feed::poke); }

    public MetricsModel newMetrics() { return new MetricsModel(engine, bg); }

    public SpecModel newSpec() { return new SpecModel(engine, fleet, bg); }

    /** "Open…": deploy a spec, or import another supervisor's file first. */
    public OpenModel newOpen() { return new OpenModel(engine, bg); }
    /** The fleet at a glance (the detail pane with nothing selected). */
    public FleetOverview newOverview() { return new FleetOverview(fleet, events); }

    /** Whether the feed holds something to apply (the pulse ticks only then, or once a second). */
    public boolean hasPending() { return feed.hasPending() || hosts.pending(); }

    /** Instances that entered FAILED during one application (for a notification). */
    public void setOnFailed(Consumer<List<Transition>> c) { onFailed = c == null ? l -> { } : c; }

    /** Lines for the status bar (rebalances). */
    public void setOnNotes(Consumer<List<String>> c) { onNotes = c == null ? l -> { } : c; }

    /** Subscribes (off the UI thread: a remote subscribe talks to the socket), starts polling, seeds the events. */
    public void start() {
        if (started) return;
        started = true;
        bg.run(() -> {
            Subscription events = engine.subscribe(feed);
            Subscription figures = engine.watchFigures(); // live figures at full rate while the window is open (issue 13)
            Subscription s = () -> {
                figures.close();
                events.close();
            };
            synchronized (this) {
                if (closed) s.close();
                else subscription = s;
            }
        });
        poller.start();
        seedEvents();
        bg.read(() -> engine.alerts(NotificationsModel.LIMIT), notifications::seed, err -> { });
    }

    /** The events view opens with the transitions the engine kept from before the window opened. */
    private void seedEvents() {
        bg.read(() -> {
            List<Transition> past = new ArrayList<>();
            for (InstanceStatus st : engine.status(Selection.everything())) {
                for (Transition t : engine.history(st.id())) if (t.timeMs() < openedAtMs) past.add(t);
            }
            past.sort(Comparator.comparingLong(Transition::timeMs));
            return past.size() > EventsModel.LIMIT ? past.subList(past.size() - EventsModel.LIMIT, past.size()) : past;
        }, past -> events.append(past.stream().map(EventRow::of).toList()), err -> { });
    }

    /**
     * The pulse step: applies what the engine reported since the last application, at most every
     * {@link #APPLY_INTERVAL_NANOS}. Returns whether it applied.
     */
    public boolean apply(long nowNanos) {
        if (nowNanos - lastApply < APPLY_INTERVAL_NANOS) return false;
        lastApply = nowNanos;
        feed.takePending();
        FleetSpec spec = feed.takeSpec();
        if (spec != null) fleet.applySpec(spec);
        LiveFeed.StatusPoll st = feed.takeStatus();
        Map<String, Transition> tr = feed.takeTransitions();
        if (st != null) fleet.applyStatus(st.status(), nowNanos);
        if (!tr.isEmpty()) {
            if (st != null) tr.values().removeIf(t -> t.timeMs() < st.atMs()); // the poll already reflects these
            fleet.applyTransitions(tr, nowNanos);
        }
        List<io.sabot.engine.MetricsSnapshot> metrics = feed.takeMetrics();
        fleet.applyMetrics(metrics);
        // uptimes advance with the 1 Hz metrics, so one pulse a second repaints both (each pulse with a
        // change costs a layout and a repaint); on their own only when metrics stop coming
        if (nowNanos - lastUptimeTick > (metrics.isEmpty() ? 1_500_000_000L : 500_000_000L)) {
            lastUptimeTick = nowNanos;
            fleet.tickUptimes(nowNanos);
        }
        io.sabot.engine.StoreHealth store = feed.takeStoreHealth();
        if (store != null) storeHealth = store;
        List<EngineEvent> journal = feed.takeJournal();
        if (!journal.isEmpty()) journal(journal);
        traces.mergeSpans(feed.takeSpans());
        hosts.apply();
        List<io.sabot.engine.AlertView> alerts = feed.takeAlerts();
        if (!alerts.isEmpty()) notifications.apply(alerts);
        List<PartitionView> parts = feed.takePartitions();
        List<io.sabot.engine.StateStoreView> restores = feed.takeRestores();
        if (!restores.isEmpty()) partitions.applyRestores(restores);
        if (parts != null) partitions.apply(parts);
        List<AssignmentView> as = feed.takeAssignments();
        if (!as.isEmpty()) {
            List<String> notes = PartitionsModel.describe(as);
            if (!notes.isEmpty()) onNotes.accept(notes);
        }
        return true;
    }

    private void journal(List<EngineEvent> batch) {
        long nowMs = System.currentTimeMillis();
        List<EventRow> rows = new ArrayList<>(batch.size());
        List<Transition> failed = new ArrayList<>();
        String primary = hostsEngine.primaryLabel();
        for (EngineEvent e : batch) {
            if (e instanceof EngineEvent.TransitionEvent te) {
                Transition t = te.transition();
                rows.add(EventRow.of(t).onHost(io.sabot.multihost.HostNames.hostOf(t.instance(), primary)));
                if (t.to() == InstanceState.FAILED) failed.add(t);
            } else if (e instanceof EngineEvent.ResultEvent r) {
                rows.add(EventRow.of(r.result(), nowMs).onHost(io.sabot.multihost.HostNames.hostOf(r.result().instance(), primary)));
            } else if (e instanceof EngineEvent.NoticeEvent n) {
                rows.add(EventRow.notice(n.text(), nowMs).onHost(hostsEngine.hostOfNotice(n.text())));
            } else if (e instanceof EngineEvent.GroupEvent g) {
                EngineEvent.GroupChange c = g.change();
                rows.add(EventRow.notice("group " + c.group() + " " + c.state() + (c.reason() == null ? "" : ": " + c.reason()), nowMs)
                        .onHost(io.sabot.multihost.HostNames.hostOf(c.group(), primary)));
            }
        }
        events.append(rows);
        if (!failed.isEmpty()) onFailed.accept(failed);
    }

    /** "Failed" notification text: one instance with its reason, or up to three names. */
    public static String failedText(List<Transition> failed) {
        Transition first = failed.get(0);
        StringBuilder msg = new StringBuilder();
        if (failed.size() == 1) {
            msg.append(first.instance()).append(" failed").append(first.reason() == null ? "" : ": " + first.reason());
        } else {
            msg.append(failed.size()).append(" instances failed: ");
            for (int i = 0; i < Math.min(3, failed.size()); i++) msg.append(i > 0 ? ", " : "").append(failed.get(i).instance());
            if (failed.size() > 3) msg.append(" \u2026");
        }
        return msg.toString();
    }

    /** F5: ask the engine again for everything shown. */
    public void refresh() {
        feed.markStatusDirty();
        feed.markSpecDirty();
        feed.markAssignmentsDirty();
    }

    /** After an operation: status now, and the operation's trace (complete now). */
    public void afterOperation() {
        feed.markStatusDirty();
        traces.reload();
    }

    private io.sabot.engine.StoreHealth storeHealth;
    private boolean storeHealthRead;

    /**
     * The store's trouble for the status bar ("Not recording: the disk holding ... is full"), or null
     * while everything is recorded. On the UI thread; the first call takes it from the engine info.
     */
    public String storeWarning() {
        if (!storeHealthRead) {
            storeHealthRead = true;
            if (storeHealth == null) storeHealth = info.store();
        }
        io.sabot.engine.StoreHealth h = storeHealth;
        if (h == null || h.ok() || h.problem() == null) return null;
        return (h.recording() ? "" : "not recording: ") + h.problem();
    }

    /** The store's whole story while it has trouble (what is held, where it is safe), or null. */
    public String storeWarningDetail() {
        io.sabot.engine.StoreHealth h = storeHealth;
        return h == null || h.ok() ? null : h.message();
    }

    /** "3 agents · 12 instances · engine pid 42 · 0.1.0" (with other hosts: "· 2 of 3 hosts connected"). */
    public String engineLine() {
        String line = fleet.agents().size() + " agents \u00b7 " + fleet.instances().size() + " instances \u00b7 engine pid " + info.pid() + " \u00b7 " + info.version();
        if (hostsEngine.multiHost()) line += " \u00b7 " + hostsEngine.connectedHosts() + " of " + hosts.rows().size() + " hosts connected";
        return line;
    }

    /** Stops polling and unsubscribes (not the engine). Safe to call twice. */
    @Override
    public void close() {
        poller.close();
        Subscription s;
        synchronized (this) {
            closed = true;
            s = subscription;
            subscription = null;
        }
        if (s != null) bg.run(s::close);
        if (ownsHostsEngine) bg.run(hostsEngine::close); // the other hosts' connections; the engine stays its owner's
        bg.close();
    }
}
