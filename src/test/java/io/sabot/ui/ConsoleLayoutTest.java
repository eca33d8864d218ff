package io.sabot.ui;

import static io.sabot.ui.ConsoleHarness.fx;
import static io.sabot.ui.ConsoleHarness.fxRun;
import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.Selection;
import io.sabot.testing.Await;
import io.sabot.testing.Specs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ComboBoxBase;
import javafx.scene.control.Control;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TableView;
import javafx.scene.control.TreeTableView;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Every view, form and dialog from 1280x800 to 2560x1440, and with the detail pane at its
 * narrowest: each visible control lies inside the window and inside every clip around it (a
 * vertical scroll may hold it below the fold, a horizontal one may not), and no label is cut to
 * an ellipsis. Tables, lists and trees are checked as a whole (their cells scroll inside them), and
 * a table's column headers are whole.
 */
class ConsoleLayoutTest {
    static final int[][] SIZES = {{1280, 800}, {1600, 1000}, {1920, 1080}, {2560, 1440}};
    @TempDir
    Path home;

    /** Why each visible control of the scene is misplaced or cut; empty when all is well. */
    static List<String> violations(Scene scene, String where) {
        List<String> out = new ArrayList<>();
        walk(scene.getRoot(), scene, where, out);
        return out;
    }

    private static void walk(Node n, Scene scene, String where, List<String> out) {
        if (!n.isVisible() || n.getOpacity() == 0) return;
        if (n instanceof Control c) check(c, scene, where, out);
        if (n instanceof TableView || n instanceof TreeTableView) headers((Control) n, where, out);
        if (n instanceof TableView || n instanceof TreeTableView || n instanceof ListView) return; // cells scroll inside
        if (n instanceof Parent p) for (Node k : p.getChildrenUnmodifiable()) walk(k, scene, where, out);
    }

    private static String name(Control c) {
        String t = c instanceof Labeled l && l.getText() != null && !l.getText().isEmpty() ? " \"" + l.getText() + "\"" : "";
        return c.getClass().getSimpleName() + (c.getId() != null ? "#" + c.getId() : "") + t;
    }

    private static void check(Control c, Scene scene, String where, List<String> out) {
        Bounds b = c.localToScene(c.getLayoutBounds());
        if (b.getWidth() < 1 || b.getHeight() < 1) return; // collapsed, not shown
        double e = 0.5;
        boolean vScroll = false; // below the fold of a vertical scroll is fine (the scroll pane itself is checked whole)
        for (Node a = c.getParent(); a != null; a = a.getParent()) {
            if (a instanceof ScrollPane sp && sp.getVbarPolicy() != ScrollPane.ScrollBarPolicy.NEVER) vScroll = true;
            if (a.getClip() == null) continue;
            Bounds clip = a.localToScene(a.getClip().getBoundsInLocal());
            if (a.getStyleClass().contains("viewport") || a.getParent() instanceof ScrollPane) vScroll = true;
            if (b.getMinX() < clip.getMinX() - e || b.getMaxX() > clip.getMaxX() + e
                    || (!vScroll && (b.getMinY() < clip.getMinY() - e || b.getMaxY() > clip.getMaxY() + e))) {
                out.add(where + ": " + name(c) + " " + fmt(b) + " is cut by the clip of " + a.getClass().getSimpleName() + " " + fmt(clip));
                return;
            }
        }
        if (b.getMinX() < -e || b.getMaxX() > scene.getWidth() + e || (!vScroll && (b.getMinY() < -e || b.getMaxY() > scene.getHeight() + e))) {
            out.add(where + ": " + name(c) + " " + fmt(b) + " lies outside the window " + (int) scene.getWidth() + "x" + (int) scene.getHeight());
            return;
        }
        if (c instanceof Labeled l && !l.isWrapText() && l.getText() != null && !l.getText().isEmpty() && !(c.getParent() instanceof ComboBoxBase)) {
            Node text = l.lookup(".text");
            if (text instanceof Text t && t.getText() != null && !t.getText().equals(l.getText()) && t.getText().endsWith("\u2026")) {
                out.add(where + ": label cut: \"" + l.getText() + "\" shows as \"" + t.getText() + "\" (" + name(c) + ")");
            }
        }
    }

    /** A table's column headers are whole (a narrow table scrolls sideways instead). */
    private static void headers(Control table, String where, List<String> out) {
        for (Node h : table.lookupAll(".column-header .label")) {
            if (!(h instanceof Labeled l) || !h.isVisible() || l.getText() == null || l.getText().isEmpty()) continue;
            Node text = l.lookup(".text");
            if (text instanceof Text t && t.getText() != null && !t.getText().equals(l.getText()) && t.getText().endsWith("\u2026")) {
                out.add(where + ": column header cut: \"" + l.getText() + "\" shows as \"" + t.getText() + "\" (" + name(table) + ")");
            }
        }
    }

    private static String fmt(Bounds b) {
        return String.format(java.util.Locale.ROOT, "[%.0f,%.0f %.0fx%.0f]", b.getMinX(), b.getMinY(), b.getWidth(), b.getHeight());
    }

    private static void settle() throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Thread.sleep(150); // a pulse or two: CSS and layout of what just changed
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static List<String> checkNow(ConsoleHarness h, String where) throws Exception {
        settle();
        return fx(() -> {
            h.window.toasts().getChildren().clear(); // notifications come and go; they are not the layout
            h.stage.getScene().getRoot().applyCss();
            h.stage.getScene().getRoot().layout();
            return violations(h.stage.getScene(), where);
        });
    }

    @Test
    void everyViewFormAndDialogFitsFrom1280x800To2560x1440() throws Exception {
        try (ConsoleHarness h = new ConsoleHarness(home, false)) {
            String spec = "{\"agents\":[" + Specs.sleeper("fraud_detector", 3, "\"topic\":\"transactions\",\"limits\":{\"memoryMb\":256,\"cpuPercent\":50}")
                    + "," + Specs.sleeper("enricher", 2, null) + "],\"topics\":[{\"name\":\"transactions\",\"partitions\":24}]}";
            h.engine.deploy(Specs.parse(spec, home));
            h.engine.start(Selection.everything(), null, null);
            DemoEngine demo = new DemoEngine(h.engine, null);
            demo.consumer("transactions", "fraud_detector");
            h.open(demo, ConsolePrefs.DEFAULT);
            Await.until(Duration.ofSeconds(15), () -> fx(() -> h.window.model().instances().size() == 5 && h.window.model().specOf("enricher") != null), "rows and spec");
            List<String> problems = new ArrayList<>();
            for (int[] size : SIZES) {
                String at = size[0] + "x" + size[1];
                fxRun(() -> {
                    h.stage.setWidth(size[0]);
                    h.stage.setHeight(size[1]);
                    h.window.select(View.AGENTS);
                    h.window.agents().table().getSelectionModel().clearSelection();
                });
                Await.until(Duration.ofSeconds(5), () -> fx(() -> Math.abs(h.stage.getScene().getWidth() - size[0]) < 1), "window at " + at);
                problems.addAll(checkNow(h, at + " agents, nothing selected (fleet overview)"));
                fxRun(() -> h.window.agents().select(h.window.model().instance("fraud_detector-1")));
                for (String tab : new String[]{"tab-metrics", "tab-history", "tab-logs", "tab-spec"}) {
                    fxRun(() -> h.window.agents().detail().selectTab(tab));
                    problems.addAll(checkNow(h, at + " agents, " + tab));
                }
                // the detail pane at its narrowest
                fxRun(() -> h.window.agents().split().setDividerPositions(1.0));
                for (String tab : new String[]{"tab-metrics", "tab-logs", "tab-spec"}) {
                    fxRun(() -> h.window.agents().detail().selectTab(tab));
                    problems.addAll(checkNow(h, at + " agents, narrowest detail pane, " + tab));
                }
                if (size[0] == 1280) assertThat(fx(() -> h.window.agents().detail().spec().columns())).as("spec form at the narrowest").isEqualTo(1);
                fxRun(() -> {
                    h.window.agents().split().setDividerPositions(0.58);
                    h.window.agents().table().getSelectionModel().clearSelection();
                });
                for (View v : new View[]{View.PARTITIONS, View.TRACES, View.EVENTS}) {
                    fxRun(() -> h.window.select(v));
                    problems.addAll(checkNow(h, at + " " + v.id()));
                }
                fxRun(() -> {
                    h.window.select(View.AGENTS);
                    h.window.help().show();
                });
                problems.addAll(checkNow(h, at + " shortcuts overlay"));
                fxRun(() -> h.window.help().hide());
            }
            // the dialogs (at the smallest window)
            fxRun(() -> {
                h.stage.setWidth(1280);
                h.stage.setHeight(800);
                h.window.agents().select(h.window.model().agent("fraud_detector"));
            });
            problems.addAll(dialog(h, () -> h.window.agents().actions().scale(), "scale dialog"));
            problems.addAll(dialog(h, () -> h.window.agents().actions().run(io.sabot.ui.model.FleetOp.RESTART), "confirmation dialog"));
            assertThat(problems).as("controls cut off or outside their area").isEmpty();
            demo.close();
        }
    }

    /** Opens a dialog (it waits in its own event loop), checks its scene, cancels it. */
    private static List<String> dialog(ConsoleHarness h, Runnable open, String what) throws Exception {
        javafx.application.Platform.runLater(open);
        Await.until(Duration.ofSeconds(10), () -> fx(() -> Window.getWindows().stream().anyMatch(w -> w.isShowing() && w != h.stage)), what + " shown");
        settle();
        return fx(() -> {
            Stage d = (Stage) Window.getWindows().stream().filter(w -> w.isShowing() && w != h.stage).findFirst().orElseThrow();
            List<String> v = violations(d.getScene(), "1280x800 " + what);
            d.close();
            return v;
        });
    }
}
