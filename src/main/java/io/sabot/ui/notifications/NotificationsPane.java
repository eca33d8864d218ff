package io.sabot.ui.notifications;

import atlantafx.base.theme.Styles;
import io.sabot.engine.AlertView;
import io.sabot.ui.kit.Activatable;
import io.sabot.ui.kit.Icons;
import io.sabot.ui.model.Fmt;
import io.sabot.ui.model.NotificationsModel;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.glyphfont.FontAwesome;

/**
 * The notifications list: every alert the engine raised, newest first, each with its state,
 * subject, message, when, each channel's delivery outcome and a link to the trace of its cause.
 * Shown over the content at the top right (beside the toasts) when the header's bell is pressed;
 * opening it marks everything read. Binds to the {@link NotificationsModel} only while shown.
 */
public final class NotificationsPane extends VBox implements Activatable {
    private final NotificationsModel model;
    private final ListView<AlertView> list = new ListView<>();
    private final Label empty = new Label("No alerts yet. Rules are the spec's \"alerts\"; sabot alerts test NAME sends a test.");

    public NotificationsPane(NotificationsModel model, Consumer<String> showTrace, Runnable close) {
        this.model = model;
        setId("notifications");
        getStyleClass().add("notifications-pane");
        setSpacing(8);
        setPadding(new Insets(12, 12, 12, 14));
        setPrefWidth(520);
        setMaxWidth(520);
        setMaxHeight(620);
        Label title = new Label("Notifications", Icons.of(FontAwesome.Glyph.BELL, 14));
        title.getStyleClass().add(Styles.TITLE_4);
        Button read = new Button("Mark all read");
        read.setId("notifications-read");
        read.getStyleClass().addAll(Styles.SMALL, Styles.FLAT);
        read.setOnAction(e -> model.markRead());
        Button x = new Button(null, Icons.of(FontAwesome.Glyph.TIMES, 11));
        x.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
        x.setAccessibleText("Close the notifications");
        x.setOnAction(e -> close.run());
        Region sp = new Region();
        HBox.setHgrow(sp, Priority.ALWAYS);
        HBox head = new HBox(8, title, sp, read, x);
        head.setAlignment(Pos.CENTER_LEFT);
        empty.setWrapText(true);
        empty.getStyleClass().add(Styles.TEXT_MUTED);
        list.setPlaceholder(empty);
        list.setId("notifications-list");
        list.getStyleClass().add("notifications-list");
        list.setCellFactory(v -> new Cell(showTrace));
        VBox.setVgrow(list, Priority.ALWAYS);
        getChildren().addAll(head, list);
    }

    @Override
    public void activate() {
        list.setItems(model.items());
        model.markRead();
    }

    @Override
    public void deactivate() {
        list.setItems(null);
    }

    public ListView<AlertView> list() { return list; }

    /** One alert: state dot, rule and subject, message, time and deliveries, a trace link. */
    private static final class Cell extends ListCell<AlertView> {
        private final Label dot = new Label();
        private final Label head = new Label();
        private final Label message = new Label();
        private final Label meta = new Label();
        private final Button trace = new Button("Show trace");
        private final VBox box;
        private final SimpleDateFormat time = new SimpleDateFormat("MMM d HH:mm:ss");

        Cell(Consumer<String> showTrace) {
            dot.getStyleClass().add("alert-dot");
            head.getStyleClass().addAll(Styles.TEXT_BOLD);
            message.setWrapText(true);
            message.getStyleClass().add("alert-message");
            meta.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
            meta.setWrapText(true);
            trace.getStyleClass().addAll(Styles.SMALL, Styles.FLAT, Styles.ACCENT);
            trace.setOnAction(e -> {
                if (getItem() != null && getItem().traceId() != null) showTrace.accept(getItem().traceId());
            });
            Region sp = new Region();
            HBox.setHgrow(sp, Priority.ALWAYS);
            HBox top = new HBox(8, dot, head, sp, trace);
            top.setAlignment(Pos.CENTER_LEFT);
            box = new VBox(3, top, message, meta);
            box.setPadding(new Insets(6, 4, 6, 2));
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(AlertView a, boolean emptyCell) {
            super.updateItem(a, emptyCell);
            if (emptyCell || a == null) {
                setGraphic(null);
                return;
            }
            String state = a.test() ? "test" : a.state();
            dot.getStyleClass().setAll("alert-dot", "alert-" + state);
            dot.setText(state.toUpperCase(java.util.Locale.ROOT));
            String subject = a.instance() != null ? a.instance() : a.agent();
            head.setText(a.alert() + " \u00b7 " + a.on().replace('_', ' ') + (subject == null ? "" : " \u00b7 " + subject));
            message.setText(a.message());
            StringBuilder m = new StringBuilder(time.format(new Date(a.startedAtEpochMs())));
            if (a.resolvedAtEpochMs() != null) {
                m.append(" \u2192 resolved after ").append(Fmt.duration(a.resolvedAtEpochMs() - a.startedAtEpochMs()));
            }
            for (AlertView.Delivery d : a.deliveries()) {
                if (!d.state().equals(a.state()) || d.channel().equals("console")) continue;
                m.append(" \u00b7 ").append(d.channel()).append(' ').append(d.outcome());
                if (d.attempts() > 1) m.append(" (").append(d.attempts()).append(" attempts)");
            }
            meta.setText(m.toString());
            trace.setVisible(a.traceId() != null);
            setGraphic(box);
        }
    }
}
