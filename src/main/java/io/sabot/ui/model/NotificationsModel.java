package io.sabot.ui.model;

import io.sabot.engine.AlertView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The console's notifications: the alerts the engine raised, newest first (at most
 * {@value #LIMIT}), one row per alert updated in place as it resolves and its deliveries report,
 * and how many changes the operator has not seen yet. Fed from the console model's pulse
 * (alert events) and seeded with the stored alerts when the window opens.
 */
public final class NotificationsModel {
    public static final int LIMIT = 200;
    private final ObservableList<AlertView> items = FXCollections.observableArrayList();
    private final IntegerProperty unread = new SimpleIntegerProperty(this, "unread");
    /** (id, state) pairs already counted, so delivery updates do not count again. */
    private final Set<String> counted = new HashSet<>();
    private Consumer<List<AlertView>> onNew = l -> { };

    public ObservableList<AlertView> items() { return items; }

    public IntegerProperty unread() { return unread; }

    /** Fired and resolved alerts new in one application (for a toast). */
    public void setOnNew(Consumer<List<AlertView>> c) { onNew = c == null ? l -> { } : c; }

    /** The stored alerts when the window opens: listed, counted as read. */
    public void seed(List<AlertView> stored) {
        for (AlertView a : stored) counted.add(a.id() + "/" + a.state());
        List<AlertView> merged = new ArrayList<>(stored);
        for (AlertView a : items) if (merged.stream().noneMatch(x -> x.id() == a.id())) merged.add(a);
        merged.sort((x, y) -> Long.compare(y.id(), x.id()));
        items.setAll(merged.size() > LIMIT ? merged.subList(0, LIMIT) : merged);
    }

    /** Alert events of one application, oldest first. */
    public void apply(List<AlertView> updates) {
        List<AlertView> fresh = new ArrayList<>();
        for (AlertView a : updates) {
            int at = -1;
            for (int i = 0; i < items.size(); i++) if (items.get(i).id() == a.id()) { at = i; break; }
            if (at >= 0) items.set(at, a);
            else items.add(0, a);
            if (counted.add(a.id() + "/" + a.state())) fresh.add(a);
        }
        while (items.size() > LIMIT) items.remove(items.size() - 1);
        if (!fresh.isEmpty()) {
            unread.set(unread.get() + fresh.size());
            onNew.accept(fresh);
        }
    }

    public void markRead() { unread.set(0); }

    /** Alerts firing now (not tests). */
    public long firing() {
        return items.stream().filter(a -> !a.test() && AlertView.FIRING.equals(a.state())).count();
    }
}
