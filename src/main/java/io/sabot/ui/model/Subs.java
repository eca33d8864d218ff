package io.sabot.ui.model;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.InvalidationListener;
import javafx.beans.Observable;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

/**
 * The listeners a view adds in {@code activate()}, removed together in {@code deactivate()}: a
 * hidden view keeps no listener on a model, so it costs nothing and leaks nothing (Bisq 2's
 * onActivate/onDeactivate). {@code javafx.beans} only: no toolkit needed.
 */
public final class Subs {
    private final List<Runnable> undo = new ArrayList<>();

    public void on(Observable o, InvalidationListener l) {
        o.addListener(l);
        undo.add(() -> o.removeListener(l));
    }

    public <T> void on(ObservableValue<T> v, ChangeListener<? super T> l) {
        v.addListener(l);
        undo.add(() -> v.removeListener(l));
    }

    public <E> void onList(ObservableList<E> list, ListChangeListener<? super E> l) {
        list.addListener(l);
        undo.add(() -> list.removeListener(l));
    }

    /** Anything else to undo on deactivate (a subscription, a timer). */
    public void add(Runnable r) { undo.add(r); }

    /** Removes everything added, newest first. */
    public void clear() {
        for (int i = undo.size() - 1; i >= 0; i--) undo.get(i).run();
        undo.clear();
    }

    public int size() { return undo.size(); }
}
