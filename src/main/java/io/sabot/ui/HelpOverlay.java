package io.sabot.ui;

import atlantafx.base.theme.Styles;
import io.sabot.ui.kit.Icons;
import java.util.List;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.controlsfx.glyphfont.FontAwesome;

/**
 * The shortcuts card shown over the window by {@code ?} (or F1) and hidden by Escape, {@code ?}
 * or its close button. Its list is the one the window registers its accelerators from, so it
 * cannot drift from what the keys do.
 */
public final class HelpOverlay extends StackPane {
    /** A key (as people write it) and what it does. */
    public record Entry(String keys, String what) { }

    private final Button close = new Button(null, Icons.of(FontAwesome.Glyph.TIMES));

    public HelpOverlay(List<Entry> entries) {
        setId("help-overlay");
        getStyleClass().add("help-overlay");
        setVisible(false);
        Label title = new Label("Keyboard shortcuts");
        title.getStyleClass().add(Styles.TITLE_3);
        close.setId("help-close");
        close.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        close.setTooltip(new javafx.scene.control.Tooltip("Close (Escape)"));
        close.setAccessibleText("Close the shortcuts");
        close.setOnAction(e -> hide());
        Region sp = new Region();
        HBox.setHgrow(sp, Priority.ALWAYS);
        HBox head = new HBox(8, title, sp, close);
        head.setAlignment(Pos.CENTER_LEFT);
        GridPane grid = new GridPane();
        grid.setHgap(18);
        grid.setVgap(6);
        int r = 0;
        for (Entry e : entries) {
            HBox keys = new HBox(4);
            keys.setAlignment(Pos.CENTER_LEFT);
            for (String k : e.keys().split(" or ")) {
                if (!keys.getChildren().isEmpty()) keys.getChildren().add(new Label("or"));
                Label key = new Label(k);
                key.getStyleClass().add("help-key");
                key.setMinWidth(Region.USE_PREF_SIZE);
                keys.getChildren().add(key);
            }
            keys.setMinWidth(Region.USE_PREF_SIZE);
            Label what = new Label(e.what());
            what.setWrapText(true);
            what.setMinWidth(160);
            grid.addRow(r++, keys, what);
        }
        ScrollPane scroll = new ScrollPane(grid);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("edge-to-edge");
        VBox card = new VBox(12, head, scroll);
        card.getStyleClass().add("help-card");
        card.setPadding(new Insets(16, 18, 16, 18));
        card.setMaxWidth(640);
        card.setMaxHeight(Region.USE_PREF_SIZE);
        card.setAccessibleText("Keyboard shortcuts");
        StackPane.setMargin(card, new Insets(24));
        getChildren().add(card);
        // a click beside the card closes it; clicks on the card stay there
        setOnMouseClicked(e -> {
            if (e.getTarget() == this) hide();
        });
    }

    public boolean showing() { return isVisible(); }

    public void show() {
        setVisible(true);
        close.requestFocus();
    }

    public void hide() { setVisible(false); }

    public void toggle() {
        if (showing()) hide();
        else show();
    }
}
