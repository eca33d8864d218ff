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
        getChildren().addAll(spinner, activity, spacer, right);
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
}
