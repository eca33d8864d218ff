package io.sabot.ui.agents;

import atlantafx.base.theme.Styles;
import io.sabot.engine.InstanceState;
import io.sabot.ui.kit.Activatable;
import io.sabot.ui.kit.StateStyle;
import io.sabot.ui.model.EventRow;
import io.sabot.ui.model.FleetOverview;
import io.sabot.ui.model.Fmt;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The detail pane with nothing selected: the fleet's totals as tiles, its busiest instances (a
 * click or Enter selects one) and the latest events. Refreshed at most twice a second while it
 * shows, and only when figures or events changed.
 */
public final class FleetOverviewPane extends ScrollPane implements Activatable {
    private final FleetOverview model;
    private final Consumer<String> pick;
    private final FlowPane tiles = new FlowPane(10, 10);
    private final GridPane busiest = new GridPane();
    private final VBox recent = new VBox(4);
    private final Label busyEmpty = muted("No instance is running.");
    private final Label recentEmpty = muted("No events yet.");
    private long lastRefresh;
    private boolean shownOnce;

    public FleetOverviewPane(FleetOverview model, Consumer<String> pick) {
        this.model = model;
        this.pick = pick;
        setId("fleet-overview");
        setFitToWidth(true);
        getStyleClass().addAll("edge-to-edge", "fleet-overview");
        Label title = new Label("Fleet");
        title.getStyleClass().add(Styles.TITLE_3);
        Label hint = muted("Select an agent or instance on the left for its metrics, history, logs and spec.");
        hint.setWrapText(true);
        busiest.setHgap(12);
        busiest.setVgap(2);
        VBox box = new VBox(10, title, hint, tiles, heading("Busiest instances (CPU over the last 10 s)"), busiest, busyEmpty,
                heading("Recent events"), recent, recentEmpty);
        box.setPadding(new Insets(4, 4, 12, 0));
        setContent(box);
        buildSlots();
    }

    private static Label muted(String s) {
        Label l = new Label(s);
        l.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        return l;
    }

    private static Label heading(String s) {
        Label l = new Label(s);
        l.getStyleClass().addAll(Styles.TEXT_BOLD, "form-section");
        l.setWrapText(true);
        VBox.setMargin(l, new Insets(8, 0, 0, 0));
        return l;
    }

    /** A figure with its caption; built once, its text updated in place (a new node would cost a full CSS pass). */
    private static final class Tile extends VBox {
        final Label value = new Label();
        final Label caption = new Label();
        private final javafx.css.PseudoClass alert;

        Tile(String id, String css) {
            value.getStyleClass().addAll(Styles.TITLE_3, "tile-value");
            if (css != null) value.getStyleClass().add(css);
            value.setId(id);
            caption.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            getChildren().addAll(value, caption);
            getStyleClass().add("overview-tile");
            setPadding(new Insets(8, 12, 8, 12));
            setMinWidth(Region.USE_PREF_SIZE);
            alert = javafx.css.PseudoClass.getPseudoClass("alert");
        }

        void set(String v, String c, boolean on) {
            if (!v.equals(value.getText())) value.setText(v);
            if (!c.equals(caption.getText())) caption.setText(c);
            value.pseudoClassStateChanged(alert, on);
            setAccessibleText(c + ": " + v);
        }
    }

    private static final InstanceState[] TILE_STATES = {InstanceState.RUNNING, InstanceState.BACKOFF, InstanceState.FAILED, InstanceState.STOPPED};
    private final Tile instances = new Tile("overview-instances", null);
    private final Tile[] states = new Tile[TILE_STATES.length];
    private final Tile cpu = new Tile("overview-cpu", null), memory = new Tile("overview-memory", null), restarts = new Tile("overview-restarts", null);
    private final Hyperlink[] busyId = new Hyperlink[FleetOverview.BUSIEST];
    private final Label[] busyCpu = new Label[FleetOverview.BUSIEST], busyMem = new Label[FleetOverview.BUSIEST];
    private final Label[] evTime = new Label[FleetOverview.RECENT], evWhat = new Label[FleetOverview.RECENT];
    private final HBox[] evLine = new HBox[FleetOverview.RECENT];
    private final String[] busyTarget = new String[FleetOverview.BUSIEST];
    private static final javafx.css.PseudoClass BAD = javafx.css.PseudoClass.getPseudoClass("bad");

    private void buildSlots() {
        for (int i = 0; i < TILE_STATES.length; i++) {
            String n = TILE_STATES[i].name().toLowerCase(java.util.Locale.ROOT);
            states[i] = new Tile("overview-" + n, "tile-" + n);
        }
        tiles.getChildren().add(instances);
        tiles.getChildren().addAll(states);
        tiles.getChildren().addAll(cpu, memory, restarts);
        for (int i = 0; i < FleetOverview.BUSIEST; i++) {
            int k = i;
            busyId[i] = new Hyperlink();
            busyId[i].setOnAction(e -> {
                if (busyTarget[k] != null) pick.accept(busyTarget[k]);
            });
            busyId[i].setMinWidth(Region.USE_PREF_SIZE);
            busyCpu[i] = new Label();
            busyMem[i] = new Label();
            busyCpu[i].getStyleClass().add("num-label");
            busyMem[i].getStyleClass().addAll("num-label", Styles.TEXT_MUTED);
            busiest.addRow(i, busyId[i], busyCpu[i], busyMem[i]);
        }
        for (int i = 0; i < FleetOverview.RECENT; i++) {
            evTime[i] = new Label();
            evTime[i].getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            evTime[i].setMinWidth(Region.USE_PREF_SIZE);
            evWhat[i] = new Label();
            evWhat[i].getStyleClass().addAll(Styles.TEXT_SMALL, "overview-event");
            evWhat[i].setWrapText(true);
            HBox.setHgrow(evWhat[i], Priority.ALWAYS);
            evLine[i] = new HBox(8, evTime[i], evWhat[i]);
            evLine[i].setAlignment(Pos.TOP_LEFT);
            recent.getChildren().add(evLine[i]);
        }
    }

    private static void show(Node n, boolean on) {
        if (n.isVisible() != on) {
            n.setVisible(on);
            n.setManaged(on);
        }
    }

    @Override
    public void activate() {
        lastRefresh = 0;
        tick(System.nanoTime());
    }

    @Override
    public void deactivate() { }

    @Override
    public void tick(long nowNanos) {
        // at most twice a second: so the refresh falls on the pulse that applied the 1 Hz metrics (one repaint, not two)
        if (lastRefresh != 0 && nowNanos - lastRefresh < 500_000_000L) return;
        lastRefresh = nowNanos;
        if (model.refresh() || !shownOnce) {
            shownOnce = true;
            show(model.summary().get());
        }
    }

    private void show(FleetOverview.Summary s) {
        if (s == null) return;
        instances.set(Integer.toString(s.instances()), Fmt.plural(s.agents(), "agent") + ", instances", false);
        for (int i = 0; i < TILE_STATES.length; i++) {
            int n = s.count(TILE_STATES[i]);
            states[i].set(Integer.toString(n), StateStyle.label(TILE_STATES[i]), n > 0);
        }
        cpu.set(Fmt.percent(s.cpu()), "CPU, % of a core", false);
        memory.set(Fmt.bytes(s.memory()), "memory (RSS)", false);
        restarts.set(Integer.toString(s.restarts()), "restarts", false);
        for (int i = 0; i < FleetOverview.BUSIEST; i++) {
            boolean on = i < s.busiest().size();
            show(busyId[i], on);
            show(busyCpu[i], on);
            show(busyMem[i], on);
            busyTarget[i] = on ? s.busiest().get(i).id() : null;
            if (!on) continue;
            FleetOverview.Busy b = s.busiest().get(i);
            busyId[i].setText(b.id());
            busyId[i].setAccessibleText("Select " + b.id());
            busyCpu[i].setText(Fmt.percent(b.cpu()));
            busyMem[i].setText(Fmt.bytes(b.memory()));
        }
        show(busyEmpty, s.busiest().isEmpty());
        for (int i = 0; i < FleetOverview.RECENT; i++) {
            boolean on = i < s.recent().size();
            show(evLine[i], on);
            if (!on) continue;
            EventRow e = s.recent().get(i);
            evTime[i].setText(Fmt.clockSeconds(e.timeMs()));
            evWhat[i].setText((e.instance().isEmpty() ? "" : e.instance() + " ") + e.change() + (e.detail().isEmpty() ? "" : " \u00b7 " + e.detail()));
            evWhat[i].pseudoClassStateChanged(BAD, e.bad());
        }
        show(recentEmpty, s.recent().isEmpty());
    }
}
