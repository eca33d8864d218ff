package io.sabot.ui;

import atlantafx.base.controls.Notification;
import atlantafx.base.theme.Styles;
import atlantafx.base.util.Animations;
import java.util.List;
import javafx.animation.PauseTransition;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.controlsfx.glyphfont.FontAwesome;

/**
 * In-window notifications (AtlantaFX {@link Notification}) stacked at the bottom right of the
 * content: operation outcomes and instance failures. They stay inside the window, so they
 * follow it, show in screenshots and in headless tests.
 */
public final class Toasts extends VBox {
    public enum Kind { INFO, SUCCESS, WARNING, DANGER }

    private static final int MAX = 4;

    public Toasts() {
        setSpacing(10);
        setPadding(new Insets(16));
        setAlignment(Pos.BOTTOM_RIGHT);
        setPickOnBounds(false);
        setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
        setFillWidth(false);
        getStyleClass().add("toasts");
    }

    public Notification show(Kind kind, String message, List<Button> actions, double seconds) {
        FontAwesome.Glyph g;
        String style;
        switch (kind) {
            case SUCCESS: g = FontAwesome.Glyph.CHECK_CIRCLE; style = Styles.SUCCESS; break;
            case WARNING: g = FontAwesome.Glyph.EXCLAMATION_TRIANGLE; style = Styles.WARNING; break;
            case DANGER: g = FontAwesome.Glyph.TIMES_CIRCLE; style = Styles.DANGER; break;
            default: g = FontAwesome.Glyph.INFO_CIRCLE; style = Styles.ACCENT; break;
        }
        Node icon = Icons.of(g, 18);
        Notification n = new Notification(message, icon);
        n.getStyleClass().addAll(style, Styles.ELEVATED_2, "toast");
        n.setPrefWidth(420);
        n.setMaxWidth(420);
        n.setMaxHeight(Region.USE_PREF_SIZE);
        if (actions != null && !actions.isEmpty()) n.setPrimaryActions(actions.toArray(new Button[0]));
        n.setOnClose(e -> dismiss(n));
        ObservableList<Node> kids = getChildren();
        kids.add(n);
        while (kids.size() > MAX) kids.remove(0);
        Animations.fadeIn(n, Duration.millis(200)).playFromStart();
        if (seconds > 0) {
            PauseTransition p = new PauseTransition(Duration.seconds(seconds));
            p.setOnFinished(e -> dismiss(n));
            p.play();
        }
        return n;
    }

    public void dismiss(Notification n) { getChildren().remove(n); }

    /** Messages showing now (tests read them). */
    public List<String> messages() {
        return getChildren().stream().filter(c -> c instanceof Notification).map(c -> ((Notification) c).getMessage()).toList();
    }
}
