package io.sabot.ui.kit;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The bottom line: what runs now ("Restarting 12 instances…" with a spinner), the last outcome,
 * and facts about the engine. Several operations may run at once; the newest label shows.
 */
public final class StatusBar extends HBox {
    private final ProgressIndicator spinner = new ProgressIndicator();
    private final Label activity = new Label();
    private final Label right = new Label();
    private final Label store = new Label();
    private int running;

    public StatusBar() {
        getStyleClass().add("status-bar");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(8);
        setPadding(new Insets(4, 12, 4, 12));
        spinner.setPrefSize(14, 14);
        spinner.setMaxSize(14, 14);
        spinner.setVisible(false);
        spinner.setManaged(false);
        activity.setId("status-activity");
        activity.getStyleClass().add(Styles.TEXT_SMALL);
        right.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.TEXT_MUTED);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        store.setId("status-store");
        store.getStyleClass().addAll(Styles.TEXT_SMALL, Styles.DANGER);
        store.setVisible(false);
        store.setManaged(false);
        store.setMaxWidth(640);
        getChildren().addAll(spinner, activity, spacer, store, right);
        activity.setText("Ready");
    }

    /** An operation began; returns a handle to call when it ends. */
    public Runnable begin(String text) {
        running++;
        spinner.setVisible(true);
        spinner.setManaged(true);
        activity.setText(text);
        boolean[] done = {false};
        return () -> {
            if (done[0]) return;
            done[0] = true;
            running--;
            if (running <= 0) {
                running = 0;
                spinner.setVisible(false);
                spinner.setManaged(false);
            }
        };
    }

    public void say(String text) { activity.setText(text); }

    public boolean busy() { return running > 0; }

    public String activityText() { return activity.getText(); }

    public void setRight(String text) { right.setText(text); }

    /**
     * The store's trouble ("not recording: the disk holding ... is full"), shown until it is gone; null
     * hides it. {@code detail}, the whole story (what is held, where it is safe), is the tooltip.
     */
    public void setStoreWarning(String message, String detail) {
        boolean show = message != null;
        if (show) {
            String text = "\u26a0 Store " + message;
            if (!text.equals(store.getText())) {
                store.setText(text);
                store.setTooltip(new javafx.scene.control.Tooltip(detail == null ? message : detail));
            }
        }
        if (store.isVisible() != show) {
            store.setVisible(show);
            store.setManaged(show);
        }
    }

    public String storeWarningText() { return store.isVisible() ? store.getText() : null; }
}
