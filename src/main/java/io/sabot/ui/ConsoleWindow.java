package io.sabot.ui;

import atlantafx.base.theme.Styles;
import io.sabot.engine.AssignmentView;
import io.sabot.engine.Engine;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.EngineInfo;
import io.sabot.engine.InstanceState;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.PartitionView;
import io.sabot.engine.Subscription;
import io.sabot.engine.Transition;
import io.sabot.spec.FleetSpec;
import io.sabot.ui.agents.AgentsView;
import io.sabot.ui.events.EventsView;
import io.sabot.ui.model.EventRow;
import io.sabot.ui.model.FleetModel;
import io.sabot.ui.model.InstanceRow;
import io.sabot.ui.model.LiveFeed;
import io.sabot.ui.model.TraceStore;
import io.sabot.ui.partitions.PartitionsView;
import io.sabot.ui.traces.TracesView;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.controlsfx.glyphfont.FontAwesome;

/**
 * The console's window content and its plumbing: one engine subscription feeding the
 * {@link LiveFeed}, one {@link Poller}, one {@link Pulse} that applies everything once per frame,
 * the four views, the header, the status bar and in-window notifications.
 */
public final class ConsoleWindow {
    private final Engine engine;
    private final EngineInfo info;
    private final Path prefsFile;
    private ConsolePrefs prefs;
    private final LiveFeed feed = new LiveFeed();
    private final FleetModel model = new FleetModel();
    private final TraceStore traces = new TraceStore();
    private final Background bg = new Background();
    private final Poller poller;
    private final Pulse pulse = new Pulse();
    private final StatusBar status = new StatusBar();
    private final Toasts toasts = new Toasts();
    private final HostPanel host;
    private final AgentsView agents;
    private final PartitionsView partitions;
    private final TracesView tracesView;
    private final EventsView events;
    private final Map<View, Node> views = new EnumMap<>(View.class);
    private final Map<View, ToggleButton> nav = new EnumMap<>(View.class);
    private final BorderPane root = new BorderPane();
    private final Button themeToggle = new Button();
    private Subscription subscription; // guarded by this
    private boolean started;
    private boolean closed; // guarded by this
    private Scene scene;
    private Stage stage;
    private View current;
    private boolean dark;
    private boolean tracesLoaded;
    private long lastUptimeTick;
    private int seenStructure = -1;
    private long lastApply;
    static final long APPLY_INTERVAL_NANOS = 100_000_000L;
    private String engineText;

    public ConsoleWindow(Engine engine, EngineInfo info, ConsolePrefs prefs, Path prefsFile) {
        this.engine = engine;
        this.info = info;
        this.prefs = prefs == null ? ConsolePrefs.DEFAULT : prefs;
        this.prefsFile = prefsFile;
        this.poller = new Poller(engine, feed);
        host = new HostPanel(model);
        agents = new AgentsView(engine, model, bg, status, toasts, () -> stage, this::showTrace, this::afterOperation);
        partitions = new PartitionsView(engine, model, bg, status, toasts);
        tracesView = new TracesView(engine, bg, traces);
        events = new EventsView(this::showTrace);
        views.put(View.AGENTS, agents);
        views.put(View.PARTITIONS, partitions);
        views.put(View.TRACES, tracesView);
        views.put(View.EVENTS, events);
        agents.split().setDividerPositions(this.prefs.detailDivider() > 0.1 && this.prefs.detailDivider() < 0.95 ? this.prefs.detailDivider() : 0.58);
        build();
        pulse.add(this::applyFeed);
        pulse.add(this::tickViews);
    }

    // ---- layout ------------------------------------------------------------------------------

    private void build() {
        root.getStyleClass().add("console-root");
        // header: brand, host panel, theme toggle
        Label brand = new Label("Sabot", Icons.of(FontAwesome.Glyph.SHIP, 18));
        brand.getStyleClass().addAll(Styles.TITLE_3, "brand");
        Label home = new Label(info.home());
        home.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        VBox brandBox = new VBox(0, brand, home);
        brandBox.setAlignment(Pos.CENTER_LEFT);
        brandBox.setMinWidth(Region.USE_PREF_SIZE);
        Region sp = new Region();
        HBox.setHgrow(sp, Priority.ALWAYS);
        themeToggle.setId("theme-toggle");
        themeToggle.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        themeToggle.setTooltip(new Tooltip("Light / dark theme"));
        themeToggle.setOnAction(e -> setDark(!dark));
        HBox header = new HBox(28, brandBox, host, sp, themeToggle);
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(8, 14, 8, 16));
        header.getStyleClass().add("header");
        root.setTop(header);

        // left rail
        VBox rail = new VBox(4);
        rail.getStyleClass().add("nav-rail");
        rail.setPadding(new Insets(10, 8, 10, 8));
        ToggleGroup group = new ToggleGroup();
        FontAwesome.Glyph[] glyphs = {FontAwesome.Glyph.SERVER, FontAwesome.Glyph.TH, FontAwesome.Glyph.TASKS, FontAwesome.Glyph.LIST_UL};
        for (View v : View.values()) {
            ToggleButton b = new ToggleButton(v.title, Icons.of(glyphs[v.ordinal()], 18));
            b.setId("nav-" + v.id());
            b.setContentDisplay(ContentDisplay.TOP);
            b.setToggleGroup(group);
            b.getStyleClass().add("nav-button");
            b.setTooltip(new Tooltip(v.title + " (Ctrl+" + (v.ordinal() + 1) + ")"));
            b.setMaxWidth(Double.MAX_VALUE);
            b.setOnAction(e -> select(v));
            nav.put(v, b);
            rail.getChildren().add(b);
        }
        root.setLeft(rail);

        StackPane content = new StackPane();
        content.getStyleClass().add("content");
        for (Node n : views.values()) {
            n.setVisible(false);
            n.setManaged(false);
            content.getChildren().add(n);
        }
        StackPane.setAlignment(toasts, Pos.BOTTOM_RIGHT);
        StackPane center = new StackPane(content, toasts);
        root.setCenter(center);
        root.setBottom(status);
        engineText = "engine pid " + info.pid() + " \u00b7 " + info.version();
        status.setRight(engineText);
    }

    /** Which engine this window shows and how it holds it (the status bar says so). */
    public void setEngineLink(EngineLink link) {
        engineText = link.describe() + " \u00b7 " + info.version();
        status.setRight(engineText);
        seenStructure = -1;
    }

    public Scene scene() {
        if (scene == null) {
            scene = new Scene(root, prefs.width(), prefs.height());
            scene.getStylesheets().add(Theme.CSS);
            accelerators(scene);
            setDark(prefs.dark());
            select(safeView(prefs.view()));
        }
        return scene;
    }

    private static View safeView(String s) {
        try {
            return View.parse(s);
        } catch (IllegalArgumentException e) {
            return View.AGENTS;
        }
    }

    /** Puts the console on a stage: scene, title, remembered geometry; then starts the live plumbing. */
    /** When this window began hearing live events; older history is read from the engine. */
    private final long openedAtMs = System.currentTimeMillis();

    /** The events view opens with the transitions the engine kept from before the window opened. */
    private void seedEvents() {
        bg.read(() -> {
            List<io.sabot.engine.Transition> past = new java.util.ArrayList<>();
            for (io.sabot.engine.InstanceStatus st : engine.status(io.sabot.engine.Selection.everything())) {
                for (io.sabot.engine.Transition t : engine.history(st.id())) if (t.timeMs() < openedAtMs) past.add(t);
            }
            past.sort(java.util.Comparator.comparingLong(io.sabot.engine.Transition::timeMs));
            return past.size() > EventsView.LIMIT ? past.subList(past.size() - EventsView.LIMIT, past.size()) : past;
        }, past -> events.append(past.stream().map(EventRow::of).toList()), err -> { });
    }

    public void attach(Stage s) {
        this.stage = s;
        seedEvents();
        s.setScene(scene());
        s.setTitle("Sabot Console \u2014 " + info.home());
        for (int size : new int[] {16, 32, 48, 64, 128, 256}) {
            java.io.InputStream icon = ConsoleWindow.class.getResourceAsStream("/io/sabot/ui/icons/sabot-" + size + ".png");
            if (icon != null) s.getIcons().add(new javafx.scene.image.Image(icon));
        }
        // remembered geometry, kept on a screen that exists now (monitors come and go)
        javafx.geometry.Rectangle2D screen = javafx.stage.Screen.getPrimary().getVisualBounds();
        double w = Math.min(prefs.width(), screen.getWidth()), h = Math.min(prefs.height(), screen.getHeight());
        s.setWidth(w);
        s.setHeight(h);
        boolean onScreen = !Double.isNaN(prefs.x()) && !Double.isNaN(prefs.y())
                && !javafx.stage.Screen.getScreensForRectangle(prefs.x(), prefs.y(), Math.max(1, w / 4), 40).isEmpty();
        if (onScreen) {
            s.setX(prefs.x());
            s.setY(prefs.y());
        } else {
            s.setX(screen.getMinX() + (screen.getWidth() - w) / 2);
            s.setY(screen.getMinY() + (screen.getHeight() - h) / 2);
        }
        s.setMaximized(prefs.maximized());
        s.setMinWidth(Math.min(900, screen.getWidth()));
        s.setMinHeight(Math.min(560, screen.getHeight()));
        start();
    }

    private void start() {
        if (started) return;
        started = true;
        // a remote engine subscribes over its socket: not on the FX thread (the status polls
        // cover anything that happens before the subscription is in place)
        bg.run(() -> {
            Subscription s = engine.subscribe(feed);
            synchronized (this) {
                if (closed) s.close();
                else subscription = s;
            }
        });
        poller.start();
        pulse.start();
    }

    private void accelerators(Scene sc) {
        Map<KeyCombination, Runnable> a = sc.getAccelerators();
        a.put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), this::focusFilter);
        a.put(new KeyCodeCombination(KeyCode.A, KeyCombination.SHORTCUT_DOWN), () -> {
            if (current == View.AGENTS) agents.selectAll();
            else if (current == View.EVENTS) events.table().getSelectionModel().selectAll();
        });
        a.put(new KeyCodeCombination(KeyCode.R, KeyCombination.SHORTCUT_DOWN), () -> agentAction(io.sabot.ui.agents.BulkActions.Op.RESTART));
        a.put(new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN), () -> agentAction(io.sabot.ui.agents.BulkActions.Op.START));
        a.put(new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), () -> agentAction(io.sabot.ui.agents.BulkActions.Op.STOP));
        a.put(new KeyCodeCombination(KeyCode.F5), this::refresh);
        KeyCode[] digits = {KeyCode.DIGIT1, KeyCode.DIGIT2, KeyCode.DIGIT3, KeyCode.DIGIT4};
        for (View v : View.values()) a.put(new KeyCodeCombination(digits[v.ordinal()], KeyCombination.SHORTCUT_DOWN), () -> select(v));
    }

    private void agentAction(io.sabot.ui.agents.BulkActions.Op op) {
        if (current != View.AGENTS) select(View.AGENTS);
        agents.actions().run(op);
    }

    private void focusFilter() {
        if (current == View.EVENTS) events.focusFilter();
        else {
            if (current != View.AGENTS) select(View.AGENTS);
            agents.focusFilter();
        }
    }

    // ---- behaviour ---------------------------------------------------------------------------

    /** Selects the first instance of the first agent (screenshots show its live charts). */
    public void selectFirstInstance() {
        model.instances().values().stream().filter(r -> r.id().endsWith("-0"))
                .min(java.util.Comparator.comparing(InstanceRow::id)).ifPresent(agents::select);
    }

    public void select(View v) {
        if (v == current) return;
        current = v;
        views.forEach((k, n) -> {
            n.setVisible(k == v);
            n.setManaged(k == v);
        });
        nav.get(v).setSelected(true);
        poller.wantPartitions(v == View.PARTITIONS);
        if (v == View.TRACES && !tracesLoaded) {
            tracesLoaded = true;
            tracesView.reload();
        }
    }

    public View current() { return current; }

    public void setDark(boolean d) {
        dark = d;
        Theme.apply(d);
        root.getStyleClass().remove("dark");
        if (d) root.getStyleClass().add("dark");
        themeToggle.setGraphic(Icons.of(d ? FontAwesome.Glyph.SUN_ALT : FontAwesome.Glyph.MOON_ALT, 16));
        tracesView.setDark(d);
        partitions.setDark(d);
    }

    public boolean dark() { return dark; }

    /** "Show trace": switch to the timeline and select the trace (now or when it arrives). */
    public void showTrace(String traceId) {
        select(View.TRACES);
        tracesView.select(traceId);
    }

    /** F5: ask the engine again for everything shown. */
    public void refresh() {
        feed.markStatusDirty();
        feed.markSpecDirty();
        feed.markAssignmentsDirty();
        if (current == View.TRACES) tracesView.reload();
        if (current == View.AGENTS) agents.detail().reload();
        status.say("Refreshed");
    }

    private void afterOperation() {
        feed.markStatusDirty();
        tracesView.reload(); // the operation's trace is complete now
    }

    // ---- the pulse ---------------------------------------------------------------------------

    /** Applies what the engine reported since the last frame: one pass, whatever the event rate. */
    private void applyFeed(long now) {
        long nowNanos = System.nanoTime();
        // at most 10 times a second: every applied change costs a table layout and CSS pass
        if (nowNanos - lastApply < APPLY_INTERVAL_NANOS) return;
        lastApply = nowNanos;
        FleetSpec spec = feed.takeSpec();
        if (spec != null) model.applySpec(spec);
        LiveFeed.StatusPoll st = feed.takeStatus();
        Map<String, Transition> tr = feed.takeTransitions();
        if (st != null) model.applyStatus(st.status(), nowNanos);
        if (!tr.isEmpty()) {
            if (st != null) tr.values().removeIf(t -> t.timeMs() < st.atMs()); // the poll already reflects these
            model.applyTransitions(tr, nowNanos);
        }
        model.applyMetrics(feed.takeMetrics());
        if (nowNanos - lastUptimeTick > 1_000_000_000L) {
            lastUptimeTick = nowNanos;
            model.tickUptimes(nowNanos);
        }
        List<EngineEvent> journal = feed.takeJournal();
        if (!journal.isEmpty()) journal(journal);
        traces.mergeSpans(feed.takeSpans());
        List<PartitionView> parts = feed.takePartitions();
        if (parts != null) partitions.apply(parts);
        List<AssignmentView> as = feed.takeAssignments();
        if (!as.isEmpty()) partitions.onAssignments(as);
        if (model.structure.get() != seenStructure) {
            seenStructure = model.structure.get();
            status.setRight(model.agents().size() + " agents \u00b7 " + model.instances().size() + " instances \u00b7 " + engineText);
        }
    }

    private void journal(List<EngineEvent> batch) {
        long nowMs = System.currentTimeMillis();
        List<EventRow> rows = new ArrayList<>(batch.size());
        List<Transition> failed = new ArrayList<>();
        for (EngineEvent e : batch) {
            Object d = e.data();
            if (d instanceof Transition) {
                Transition t = (Transition) d;
                rows.add(EventRow.of(t));
                if (t.to() == InstanceState.FAILED) failed.add(t);
            } else if (d instanceof LifecycleResult) {
                rows.add(EventRow.of((LifecycleResult) d, nowMs));
            } else if (d != null) {
                rows.add(EventRow.notice(String.valueOf(d), nowMs));
            }
        }
        events.append(rows);
        if (!failed.isEmpty()) notifyFailed(failed);
    }

    /** An instance entered FAILED: one notification per frame, naming up to three. */
    private void notifyFailed(List<Transition> failed) {
        Transition first = failed.get(0);
        StringBuilder msg = new StringBuilder();
        if (failed.size() == 1) {
            msg.append(first.instance()).append(" failed").append(first.reason() == null ? "" : ": " + first.reason());
        } else {
            msg.append(failed.size()).append(" instances failed: ");
            for (int i = 0; i < Math.min(3, failed.size()); i++) msg.append(i > 0 ? ", " : "").append(failed.get(i).instance());
            if (failed.size() > 3) msg.append(" \u2026");
        }
        List<Button> actions = new ArrayList<>();
        Button show = new Button("Select");
        show.setOnAction(e -> {
            select(View.AGENTS);
            InstanceRow r = model.instance(first.instance());
            if (r != null) agents.select(r);
        });
        actions.add(show);
        if (first.traceId() != null) {
            Button tb = new Button("Show trace");
            tb.setOnAction(e -> showTrace(first.traceId()));
            actions.add(tb);
        }
        toasts.show(Toasts.Kind.DANGER, msg.toString(), actions, 20);
    }

    private void tickViews(long now) {
        host.tick();
        agents.tick(now);
        if (current == View.TRACES) tracesView.tick();
        if (current == View.PARTITIONS) partitions.tick(now);
    }

    // ---- lifecycle ---------------------------------------------------------------------------

    /** The preferences as they are now (geometry, view, theme). */
    public ConsolePrefs currentPrefs() {
        double div = agents.split().getDividers().isEmpty() ? prefs.detailDivider() : agents.split().getDividers().get(0).getPosition();
        if (stage == null) return new ConsolePrefs(prefs.x(), prefs.y(), prefs.width(), prefs.height(), false, current.id(), dark ? "dark" : "light", div);
        boolean max = stage.isMaximized();
        return new ConsolePrefs(max ? prefs.x() : stage.getX(), max ? prefs.y() : stage.getY(), max ? prefs.width() : stage.getWidth(),
                max ? prefs.height() : stage.getHeight(), max, current.id(), dark ? "dark" : "light", div);
    }

    public Path prefsFile() { return prefsFile; }

    /** Stops the live plumbing (not the engine). Safe to call twice. */
    public void close() {
        pulse.stop();
        poller.close();
        Subscription s;
        synchronized (this) {
            closed = true;
            s = subscription;
            subscription = null;
        }
        if (s != null) bg.run(s::close);
        agents.close();
        bg.close();
    }

    // ---- for tests, screenshots and the benchmark ---------------------------------------------

    public Engine engine() { return engine; }

    public FleetModel model() { return model; }

    public LiveFeed feed() { return feed; }

    public Pulse pulse() { return pulse; }

    public StatusBar statusBar() { return status; }

    public Toasts toasts() { return toasts; }

    public AgentsView agents() { return agents; }

    public PartitionsView partitions() { return partitions; }

    public TracesView traces() { return tracesView; }

    public TraceStore traceStore() { return traces; }

    public EventsView events() { return events; }

    public Stage stage() { return stage; }

    public Background background() { return bg; }

}
