package io.sabot.ui.notifications;

import atlantafx.base.theme.Styles;
import io.sabot.ui.kit.Activatable;
import io.sabot.ui.kit.Icons;
import io.sabot.ui.model.NotificationsModel;
import io.sabot.ui.model.Subs;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.StackPane;
import org.controlsfx.glyphfont.FontAwesome;

/** The header's bell: opens the notifications; a red count of alerts not seen yet. */
public final class NotificationsBell extends StackPane implements Activatable {
    private final NotificationsModel model;
    private final Button button = new Button(null, Icons.of(FontAwesome.Glyph.BELL, 16));
    private final Label count = new Label();
    private final Subs subs = new Subs();

    public NotificationsBell(NotificationsModel model, Runnable toggle) {
        this.model = model;
        setId("notifications-bell");
        button.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        button.setTooltip(new Tooltip("Notifications: alerts raised by the spec's alert rules"));
        button.setAccessibleText("Notifications");
        button.setOnAction(e -> toggle.run());
        count.getStyleClass().add("unread-badge");
        count.setId("notifications-unread");
        count.setMouseTransparent(true);
        StackPane.setAlignment(count, Pos.TOP_RIGHT);
        getChildren().addAll(button, count);
        show(0);
    }

    private void show(int n) {
        count.setVisible(n > 0);
        count.setText(n > 99 ? "99+" : Integer.toString(n));
        button.setAccessibleText(n == 0 ? "Notifications" : "Notifications, " + n + " unread");
    }

    @Override
    public void activate() {
        subs.on(model.unread(), (o, a, b) -> show(b.intValue()));
        show(model.unread().get());
    }

    @Override
    public void deactivate() { subs.clear(); }

    public String unreadText() { return count.isVisible() ? count.getText() : ""; }
}
