package io.sabot.ui.kit;

import atlantafx.base.theme.Styles;
import atlantafx.base.util.Animations;
import java.util.List;
import javafx.animation.PauseTransition;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.controlsfx.glyphfont.FontAwesome;

/**
 * In-window notifications stacked at the bottom right of the content: operation outcomes and
 * instance failures, with action buttons ("Show trace"). They stay inside the window, so they
 * follow it, show in screenshots and in headless tests.
 */
public final class Toasts extends VBox {
    public enum Kind { INFO, SUCCESS, WARNING, DANGER }

    private static final int MAX = 4;

    /** One notification. */
    public static final class Toast extends HBox {
        private final Label message = new Label();

        Toast(Kind kind, String text, List<Button> actions, Runnable onClose) {
            FontAwesome.Glyph g;
            String css;
            switch (kind) {
                case SUCCESS: g = FontAwesome.Glyph.CHECK_CIRCLE; css = "toast-success"; break;
                case WARNING: g = FontAwesome.Glyph.EXCLAMATION_TRIANGLE; css = "toast-warning"; break;
                case DANGER: g = FontAwesome.Glyph.TIMES_CIRCLE; css = "toast-danger"; break;
                default: g = FontAwesome.Glyph.INFO_CIRCLE; css = "toast-info"; break;
            }
            getStyleClass().addAll("toast", css);
            Node icon = Icons.of(g, 17);
            icon.getStyleClass().add("toast-icon");
            message.setText(text);
            message.setWrapText(true);
            message.getStyleClass().add("toast-message");
            VBox body = new VBox(8, message);
            if (actions != null && !actions.isEmpty()) {
                HBox row = new HBox(8);
                for (Button b : actions) {
                    b.getStyleClass().addAll(Styles.SMALL);
                    b.addEventHandler(javafx.event.ActionEvent.ACTION, e -> onClose.run());
                    row.getChildren().add(b);
                }
                body.getChildren().add(row);
            }
            HBox.setHgrow(body, Priority.ALWAYS);
            Button close = new Button(null, Icons.of(FontAwesome.Glyph.TIMES, 11));
            close.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL, "toast-close");
            close.setOnAction(e -> onClose.run());
            close.setTooltip(new javafx.scene.control.Tooltip("Dismiss"));
            close.setAccessibleText("Dismiss this notification");
            setAccessibleText(text);
            setSpacing(10);
            setAlignment(Pos.TOP_LEFT);
            setPadding(new Insets(12, 8, 12, 14));
            setPrefWidth(400);
            setMaxWidth(400);
            setMaxHeight(Region.USE_PREF_SIZE);
            getChildren().addAll(icon, body, close);
        }

        public String message() { return message.getText(); }
    }

    public Toasts() {
        setSpacing(10);
        setPadding(new Insets(16));
        setAlignment(Pos.BOTTOM_RIGHT);
        setPickOnBounds(false);
        setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
        setFillWidth(false);
        getStyleClass().add("toasts");
    }

    public Toast show(Kind kind, String message, List<Button> actions, double seconds) {
        Toast[] self = new Toast[1];
        Toast t = new Toast(kind, message, actions, () -> dismiss(self[0]));
        self[0] = t;
        ObservableList<Node> kids = getChildren();
        kids.add(t);
        while (kids.size() > MAX) kids.remove(0);
        Animations.fadeIn(t, Duration.millis(180)).playFromStart();
        if (seconds > 0) {
            PauseTransition p = new PauseTransition(Duration.seconds(seconds));
            p.setOnFinished(e -> dismiss(t));
            p.play();
        }
        return t;
    }

    public void dismiss(Node n) { getChildren().remove(n); }

    /** Messages showing now (tests read them). */
    public List<String> messages() {
        return getChildren().stream().filter(c -> c instanceof Toast).map(c -> ((Toast) c).message()).toList();
    }
}
