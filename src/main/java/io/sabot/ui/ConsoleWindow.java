package io.sabot.ui;

import atlantafx.base.theme.Styles;
import io.sabot.engine.Transition;
import io.sabot.ui.agents.AgentsView;
import io.sabot.ui.events.EventsView;
import io.sabot.ui.kit.Activatable;
import io.sabot.ui.kit.Icons;
import io.sabot.ui.kit.StatusBar;
import io.sabot.ui.kit.Toasts;
import io.sabot.ui.model.ConsoleModel;
import io.sabot.ui.model.FleetModel;
import io.sabot.ui.model.FleetOp;
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
 * The console's window: the shell around the views (header, left rail, status bar, in-window
 * notifications) and the one {@link Pulse}. It holds a {@link ConsoleModel} (never the engine);
 * each view is an {@link Activatable}: only the view that shows is visible, active and ticked; the
 * others hold no listener, are bound to no model list and cost nothing.
 */
public final class ConsoleWindow {
    private final ConsoleModel vm;
    private final Path prefsFile;
    private ConsolePrefs prefs;
    private final Pulse pulse = new Pulse();
    private final StatusBar status = new StatusBar();
    private final Toasts toasts = new Toasts();
    private final HostPanel host;
    private final AgentsView agents;
    private final PartitionsView partitions;
    private final TracesView tracesView;
    private final EventsView events;
    private final io.sabot.ui.hosts.HostsView hostsView;
    private final javafx.scene.control.ComboBox<String> hostFilter = new javafx.scene.control.ComboBox<>();
    private static final String ALL_HOSTS = "All hosts";
    private final Map<View, Node> views = new EnumMap<>(View.class);
    private final Map<View, ToggleButton> nav = new EnumMap<>(View.class);
    private final BorderPane root = new BorderPane();
    private final StackPane content = new StackPane();
    private final Button themeToggle = new Button();
    private final List<Shortcut> shortcutList = new ArrayList<>();
    private HelpOverlay help;
    private final io.sabot.ui.notifications.NotificationsPane notifications;
    private final io.sabot.ui.notifications.NotificationsBell bell;
    private boolean started, closed;
    private Scene scene;
    private Stage stage;
    private View current;
    private boolean dark;
    private int seenStructure = -1;
    private final OpenFlow open;
    /** How this window holds its engine (attached, started in the background); null: as the engine info says. */
    private EngineLink link;

    public ConsoleWindow(ConsoleModel vm, ConsolePrefs prefs, Path prefsFile) {
        this.vm = vm;
        this.prefs = prefs == null ? ConsolePrefs.DEFAULT : prefs;
        this.prefsFile = prefsFile;
        host = new HostPanel(vm.fleet());
        agents = new AgentsView(vm, status, toasts, () -> stage, this::showTrace);
        partitions = new PartitionsView(vm.partitions(), status, toasts);
        tracesView = new TracesView(vm.traces(), vm.hosts().multiHost);
        open = new OpenFlow(vm.newOpen(), () -> stage, toasts, status);
        events = new EventsView(vm.events(), this::showTrace, vm.hosts().multiHost);
        views.put(View.AGENTS, agents);
        views.put(View.PARTITIONS, partitions);
        views.put(View.TRACES, tracesView);
        views.put(View.EVENTS, events);
        hostsView = new io.sabot.ui.hosts.HostsView(vm.hosts());
        views.put(View.HOSTS, hostsView);
        if (prefsFile != null) {
            vm.hosts().useFile(io.sabot.multihost.HostsFile.beside(prefsFile), msg -> toasts.show(Toasts.Kind.WARNING, msg, List.of(), 10));
        }
        agents.split().setDividerPositions(this.prefs.detailDivider() > 0.1 && this.prefs.detailDivider() < 0.95 ? this.prefs.detailDivider() : 0.58);
        vm.setOnFailed(this::notifyFailed);
        notifications = new io.sabot.ui.notifications.NotificationsPane(vm.notifications(), this::showTrace, () -> showNotifications(false));
        bell = new io.sabot.ui.notifications.NotificationsBell(vm.notifications(), () -> showNotifications(!notifications.isVisible()));
        vm.notifications().setOnNew(this::notifyAlerts);
        vm.setOnNotes(notes -> status.say(notes.get(notes.size() - 1)));
        build();
        pulse.add(this::onPulse);
        pulse.setPending(vm::hasPending);
    }

    // ---- layout ------------------------------------------------------------------------------

    private void build() {
        root.getStyleClass().add("console-root");
        // header: brand, host panel, theme toggle
        Label brand = new Label("Sabot", Icons.of(FontAwesome.Glyph.SHIP, 18));
        brand.getStyleClass().addAll(Styles.TITLE_3, "brand");
        Label home = new Label(vm.info().home());
        home.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        VBox brandBox = new VBox(0, brand, home);
        brandBox.setAlignment(Pos.CENTER_LEFT);
        brandBox.setMinWidth(Region.USE_PREF_SIZE);
        Region sp = new Region();
        HBox.setHgrow(sp, Priority.ALWAYS);
        themeToggle.setId("theme-toggle");
        themeToggle.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        themeToggle.setTooltip(new Tooltip("Light / dark theme (Ctrl+Shift+L)"));
        themeToggle.setAccessibleText("Switch between the light and the dark theme");
        themeToggle.setOnAction(e -> setDark(!dark));
        Button openButton = new Button("Open\u2026", Icons.of(FontAwesome.Glyph.FOLDER_OPEN, 14));
        openButton.setId("open-file");
        openButton.setMinWidth(Region.USE_PREF_SIZE);
        openButton.getStyleClass().add(Styles.FLAT);
        openButton.setTooltip(new Tooltip("Open a spec to deploy, or a PM2 / supervisord / process-compose file to import (Ctrl+O)"));
        openButton.setOnAction(e -> open.choose());

        // the host filter: every view shows one host or all of them (only when there are several)
        hostFilter.setId("host-filter");
        hostFilter.setAccessibleText("Show one host or all hosts");
        hostFilter.setTooltip(new Tooltip("Show the agents, partitions, traces and events of one host"));
        hostFilter.getItems().setAll(ALL_HOSTS);
        hostFilter.getSelectionModel().select(ALL_HOSTS);
        hostFilter.visibleProperty().bind(vm.hosts().multiHost);
        hostFilter.managedProperty().bind(vm.hosts().multiHost);
        vm.hosts().labels().addListener((javafx.collections.ListChangeListener<String>) c -> {
            String was = hostFilter.getValue();
            List<String> items = new ArrayList<>();
            items.add(ALL_HOSTS);
            items.addAll(vm.hosts().labels());
            hostFilter.getItems().setAll(items);
            hostFilter.setValue(items.contains(was) ? was : ALL_HOSTS);
        });
        hostFilter.valueProperty().addListener((o, a, b) -> vm.hosts().filter.set(b == null || b.equals(ALL_HOSTS) ? null : b));
        vm.hosts().filter.addListener((o, a, b) -> hostFilter.setValue(b == null ? ALL_HOSTS : b));
        HBox header = new HBox(28, brandBox, host, sp, new HBox(6, openButton, hostFilter, bell, themeToggle));
        header.setAlignment(Pos.CENTER_LEFT);
        header.setPadding(new Insets(8, 14, 8, 16));
        header.getStyleClass().add("header");
        root.setTop(header);

        // left rail
        VBox rail = new VBox(4);
        rail.getStyleClass().add("nav-rail");
        rail.setPadding(new Insets(10, 8, 10, 8));
        ToggleGroup group = new ToggleGroup();
        FontAwesome.Glyph[] glyphs = {FontAwesome.Glyph.SERVER, FontAwesome.Glyph.TH, FontAwesome.Glyph.TASKS, FontAwesome.Glyph.LIST_UL, FontAwesome.Glyph.SITEMAP};
        for (View v : View.values()) {
            ToggleButton b = new ToggleButton(v.title, Icons.of(glyphs[v.ordinal()], 18));
            b.setId("nav-" + v.id());
            b.setContentDisplay(ContentDisplay.TOP);
            b.setToggleGroup(group);
            b.getStyleClass().add("nav-button");
            b.setTooltip(new Tooltip(v.title + " (Ctrl+" + (v.ordinal() + 1) + ")"));
            b.setAccessibleText(v.title + " view");
            b.setMaxWidth(Double.MAX_VALUE);
            b.setOnAction(e -> select(v));
            nav.put(v, b);
            rail.getChildren().add(b);
        }
        root.setLeft(rail);

        content.getStyleClass().add("content");
        // every view stays in the scene graph (re-adding one would re-apply all its CSS on each switch);
        // a hidden one is invisible, unmanaged and deactivated, so nothing in it changes or lays out
        for (Node n : views.values()) {
            n.setVisible(false);
            n.setManaged(false);
            content.getChildren().add(n);
        }
        StackPane.setAlignment(toasts, Pos.BOTTOM_RIGHT);
        StackPane.setAlignment(notifications, Pos.TOP_RIGHT);
        StackPane.setMargin(notifications, new Insets(10, 14, 0, 0));
        notifications.setVisible(false);
        StackPane center = new StackPane(content, toasts, notifications);
        root.setCenter(center);
        root.setBottom(status);
        status.setRight("engine pid " + vm.info().pid() + " \u00b7 " + vm.info().version());
    }

    /** "Open…" on a given file: deploy a spec, or import a PM2 / supervisord / process-compose file. */
    public void openFile(java.nio.file.Path file) { open.open(file); }

    /** Which engine this window shows and how it holds it (the status bar says so). */
    public void setEngineLink(EngineLink l) {
        link = l;
        seenStructure = -1;
        status.setRight(engineLine());
    }

    private String engineLine() {
        if (link == null) return vm.engineLine();
        return model().agents().size() + " agents \u00b7 " + model().instances().size() + " instances \u00b7 " + link.describe()
                + " \u00b7 " + vm.info().version();
    }

    public Scene scene() {
        if (scene == null) {
            shortcutList.addAll(shortcuts());
            help = new HelpOverlay(shortcutList.stream().map(Shortcut::entry).toList());
            scene = new Scene(new StackPane(root, help), prefs.width(), prefs.height());
            scene.getStylesheets().add(Theme.CSS);
            scene.getStylesheets().add(ConsoleWindow.class.getResource("ops.css").toExternalForm());
            accelerators(scene);
            FrameStats.install(scene, pulse);
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
    public void attach(Stage s) {
        this.stage = s;
        s.setScene(scene());
        s.setTitle("Sabot Console \u2014 " + vm.info().home());
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
        bell.activate();
        vm.start();
        pulse.start();
    }

    /** One shortcut: what people press, what it does, and (when it is a key combination) the action. */
    private record Shortcut(String keys, String what, KeyCombination combo, Runnable action) {
        HelpOverlay.Entry entry() { return new HelpOverlay.Entry(keys, what); }
    }

    private static KeyCombination ctrl(KeyCode k, KeyCombination.Modifier... more) {
        KeyCombination.Modifier[] m = new KeyCombination.Modifier[more.length + 1];
        m[0] = KeyCombination.SHORTCUT_DOWN;
        System.arraycopy(more, 0, m, 1, more.length);
        return new KeyCodeCombination(k, m);
    }

    /** Every keyboard path of the window, registered as accelerators and listed by the help overlay. */
    private List<Shortcut> shortcuts() {
        List<Shortcut> l = new ArrayList<>();
        KeyCode[] digits = {KeyCode.DIGIT1, KeyCode.DIGIT2, KeyCode.DIGIT3, KeyCode.DIGIT4, KeyCode.DIGIT5};
        for (View v : View.values()) l.add(new Shortcut("Ctrl+" + (v.ordinal() + 1), "Show the " + v.title.toLowerCase(java.util.Locale.ROOT) + " view",
                ctrl(digits[v.ordinal()]), () -> select(v)));
        l.add(new Shortcut("Ctrl+O", "Open a spec to deploy, or a PM2 / supervisord / process-compose file to import", ctrl(KeyCode.O), open::choose));
        l.add(new Shortcut("Ctrl+F", "Filter the agents (in the traces or events view: search them)", ctrl(KeyCode.F), this::focusFilter));
        l.add(new Shortcut("Ctrl+L", "Focus the agents table (arrows move, Shift+arrows extend, Escape clears the selection)", ctrl(KeyCode.L), () -> {
            select(View.AGENTS);
            agents.table().requestFocus();
            if (agents.table().getFocusModel().getFocusedIndex() < 0 && agents.table().getExpandedItemCount() > 0) agents.table().getFocusModel().focus(0);
        }));
        l.add(new Shortcut("Ctrl+A", "Select every row of the agents table (or of the events)", ctrl(KeyCode.A), () -> {
            if (current == View.AGENTS) agents.selectAll();
            else if (current == View.EVENTS) events.table().getSelectionModel().selectAll();
        }));
        l.add(new Shortcut("Ctrl+S", "Start the selection (everything when nothing is selected)", ctrl(KeyCode.S), () -> agentAction(FleetOp.START)));
        l.add(new Shortcut("Ctrl+Shift+S", "Stop the selection", ctrl(KeyCode.S, KeyCombination.SHIFT_DOWN), () -> agentAction(FleetOp.STOP)));
        l.add(new Shortcut("Ctrl+R", "Restart the selection", ctrl(KeyCode.R), () -> agentAction(FleetOp.RESTART)));
        l.add(new Shortcut("Ctrl+Shift+R", "Rolling restart: one at a time, each back to RUNNING first", ctrl(KeyCode.R, KeyCombination.SHIFT_DOWN),
                () -> agentAction(FleetOp.ROLLING_RESTART)));
        l.add(new Shortcut("Ctrl+Shift+K", "Force stop the selection (SIGKILL at once)", ctrl(KeyCode.K, KeyCombination.SHIFT_DOWN), () -> agentAction(FleetOp.FORCE_STOP)));
        l.add(new Shortcut("Ctrl+Shift+N", "Scale the selected agents to N instances", ctrl(KeyCode.N, KeyCombination.SHIFT_DOWN), () -> {
            select(View.AGENTS);
            agents.actions().scale();
        }));
        l.add(new Shortcut("Ctrl+T", "Open the trace of the last operation on the timeline", ctrl(KeyCode.T), () -> {
            String t = agents.actions().lastTraceId();
            if (t != null) showTrace(t);
            else status.say("No traced operation yet");
        }));
        String[] tabs = {"tab-metrics", "tab-history", "tab-logs", "tab-spec"};
        String[] tabNames = {"metrics", "history", "logs", "spec"};
        for (int i = 0; i < tabs.length; i++) {
            String id = tabs[i];
            l.add(new Shortcut("Alt+" + (i + 1), "Show the " + tabNames[i] + " tab of the selected row", new KeyCodeCombination(digits[i], KeyCombination.ALT_DOWN), () -> {
                select(View.AGENTS);
                agents.detail().selectTab(id);
            }));
        }
        l.add(new Shortcut("Ctrl+Shift+B", "Show or hide the notifications (the bell)", ctrl(KeyCode.B, KeyCombination.SHIFT_DOWN),
                () -> showNotifications(!notifications.isVisible())));
        l.add(new Shortcut("F5", "Read everything shown again", new KeyCodeCombination(KeyCode.F5), this::refresh));
        l.add(new Shortcut("Ctrl+Shift+L", "Switch between the light and the dark theme", ctrl(KeyCode.L, KeyCombination.SHIFT_DOWN), () -> setDark(!dark)));
        l.add(new Shortcut("? or F1", "Show or hide these shortcuts", new KeyCodeCombination(KeyCode.F1), () -> help.toggle()));
        l.add(new Shortcut("Tab or Shift+Tab", "Move the focus to the next or previous control", null, null));
        l.add(new Shortcut("Shift+F10", "Open the context menu of the agents table", null, null));
        l.add(new Shortcut("Enter or Escape", "In a dialog: confirm, or cancel", null, null));
        return l;
    }

    private void accelerators(Scene sc) {
        Map<KeyCombination, Runnable> a = sc.getAccelerators();
        for (Shortcut s : shortcutList) if (s.combo() != null) a.put(s.combo(), s.action());
        // "?" is a typed character (its key differs by layout); not while typing into a field
        sc.addEventFilter(javafx.scene.input.KeyEvent.KEY_TYPED, e -> {
            if ("?".equals(e.getCharacter()) && !(sc.getFocusOwner() instanceof javafx.scene.control.TextInputControl)) {
                help.toggle();
                e.consume();
            }
        });
        sc.addEventFilter(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE && help.showing()) {
                help.hide();
                e.consume();
            }
        });
    }

    private void agentAction(FleetOp op) {
        if (current != View.AGENTS) select(View.AGENTS);
        agents.actions().run(op);
    }

    private void focusFilter() {
        if (current == View.EVENTS) events.focusFilter();
        else if (current == View.TRACES) tracesView.searchBar().agentField().requestFocus();
        else {
            if (current != View.AGENTS) select(View.AGENTS);
            agents.focusFilter();
        }
    }

    // ---- behaviour ---------------------------------------------------------------------------

    /** Selects the first instance of the first agent (screenshots show its live charts). */
    public void selectFirstInstance() {
        model().instances().values().stream().filter(r -> r.id().endsWith("-0"))
                .min(java.util.Comparator.comparing(InstanceRow::id)).ifPresent(agents::select);
    }

    /** Shows a view: the one before is deactivated and hidden, this one shown and activated. */
    public void select(View v) {
        if (v == current) return;
        if (current != null) {
            ((Activatable) views.get(current)).deactivate();
            views.get(current).setVisible(false);
            views.get(current).setManaged(false);
        }
        current = v;
        views.get(v).setVisible(true);
        views.get(v).setManaged(true);
        nav.get(v).setSelected(true);
        ((Activatable) views.get(v)).activate();
    }

    public View current() { return current; }

    public void setDark(boolean d) {
        dark = d;
        Theme.apply(d);
        root.getStyleClass().remove("dark");
        if (d) root.getStyleClass().add("dark");
        themeToggle.setGraphic(Icons.of(d ? FontAwesome.Glyph.SUN_ALT : FontAwesome.Glyph.MOON_ALT, 16));
        tracesView.setDark(d);
        agents.detail().trends().setDark(d);
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
        vm.refresh();
        if (current == View.TRACES) vm.traces().reload();
        if (current == View.AGENTS) agents.detail().reload();
        status.say("Refreshed");
    }

    /** An instance entered FAILED: one notification per application, naming up to three. */
    private void notifyFailed(List<Transition> failed) {
        Transition first = failed.get(0);
        List<Button> actions = new ArrayList<>();
        Button show = new Button("Select");
        show.setOnAction(e -> {
            select(View.AGENTS);
            InstanceRow r = model().instance(first.instance());
            if (r != null) agents.select(r);
        });
        actions.add(show);
        if (first.traceId() != null) {
            Button tb = new Button("Show trace");
            tb.setOnAction(e -> showTrace(first.traceId()));
            actions.add(tb);
        }
        toasts.show(Toasts.Kind.DANGER, ConsoleModel.failedText(failed), actions, 20);
    }

    /** Opens or closes the notifications list (opening marks everything read). */
    public void showNotifications(boolean show) {
        if (show == notifications.isVisible()) return;
        notifications.setVisible(show);
        if (show) notifications.activate();
        else notifications.deactivate();
    }

    public io.sabot.ui.notifications.NotificationsPane notifications() { return notifications; }

    public io.sabot.ui.notifications.NotificationsBell bell() { return bell; }

    /** Alerts that fired or resolved: a toast each (at most three at once), beside the notifications list. */
    private void notifyAlerts(List<io.sabot.engine.AlertView> fresh) {
        if (notifications.isVisible()) vm.notifications().markRead();
        for (io.sabot.engine.AlertView a : fresh.subList(Math.max(0, fresh.size() - 3), fresh.size())) {
            boolean firing = io.sabot.engine.AlertView.FIRING.equals(a.state());
            List<Button> actions = new ArrayList<>();
            Button open = new Button("Notifications");
            open.setOnAction(e -> showNotifications(true));
            actions.add(open);
            if (a.traceId() != null) {
                Button tb = new Button("Show trace");
                tb.setOnAction(e -> showTrace(a.traceId()));
                actions.add(tb);
            }
            toasts.show(a.test() ? Toasts.Kind.INFO : firing ? Toasts.Kind.WARNING : Toasts.Kind.SUCCESS,
                    (a.test() ? "Test alert " : firing ? "Alert " : "Resolved ") + a.alert() + ": " + a.message(), actions, firing ? 20 : 8);
        }
    }

    // ---- the pulse ---------------------------------------------------------------------------

    /** Once per frame: the view models take what the engine reported (at most 10 times a second), then the showing view redraws what changed. */
    private void onPulse(long now) {
        if (vm.apply(System.nanoTime())) {
            if (model().structure.get() != seenStructure) {
                seenStructure = model().structure.get();
                status.setRight(engineLine());
            }
            status.setStoreWarning(vm.storeWarning(), vm.storeWarningDetail());
        }
        host.tick();
        if (current != null) ((Activatable) views.get(current)).tick(now);
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
        bell.deactivate();
        notifications.deactivate();
        if (closed) return;
        closed = true;
        pulse.stop();
        if (current != null) ((Activatable) views.get(current)).deactivate();
        agents.close();
        vm.close();
    }

    // ---- for tests, screenshots and the benchmark ---------------------------------------------

    public ConsoleModel console() { return vm; }

    public FleetModel model() { return vm.fleet(); }

    public LiveFeed feed() { return vm.feed(); }

    public Pulse pulse() { return pulse; }

    public StatusBar statusBar() { return status; }

    public Toasts toasts() { return toasts; }

    public AgentsView agents() { return agents; }

    public PartitionsView partitions() { return partitions; }

    public TracesView traces() { return tracesView; }

    public TraceStore traceStore() { return vm.traces().store(); }

    public EventsView events() { return events; }

    public io.sabot.ui.hosts.HostsView hostsView() { return hostsView; }

    public javafx.scene.control.ComboBox<String> hostFilter() { return hostFilter; }

    public Stage stage() { return stage; }

    public Scene sceneOrNull() { return scene; }

    public HelpOverlay help() { return help; }
}
