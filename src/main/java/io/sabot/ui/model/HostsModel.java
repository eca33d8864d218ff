package io.sabot.ui.model;

import io.sabot.multihost.HostNames;
import io.sabot.multihost.HostView;
import io.sabot.multihost.HostsEngine;
import io.sabot.multihost.HostsFile;
import io.sabot.ssh.SshAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Hosts list: every host the console shows (the one it was opened on first), its connection
 * state with the reason, engine version and load; adding and removing hosts, remembered in
 * {@code console-hosts.json} beside the console's preferences; and the host filter the other
 * views follow. Engine threads only mark it dirty; {@link #apply} (the pulse) reads the list.
 * Held by {@code HostsModelTest}.
 */
public final class HostsModel {
    private final HostsEngine engine;
    private final Background bg;
    private final ObservableList<HostRow> rows = FXCollections.observableArrayList();
    private final Map<String, HostRow> byLabel = new HashMap<>();
    private final AtomicBoolean dirty = new AtomicBoolean(true);
    private final ObservableList<String> labels = FXCollections.observableArrayList();
    /** More than one host in the list: host columns and the host filter show. */
    public final BooleanProperty multiHost = new SimpleBooleanProperty(this, "multiHost");
    /** The one host the views show, or null for every host. */
    public final ObjectProperty<String> filter = new SimpleObjectProperty<>(this, "filter");
    private Path file;
    private final java.util.Set<String> connected = new java.util.HashSet<>();
    private Runnable onConnected = () -> { };

    /** Called (UI thread) when a host became connected: what was read before it did lacks its part. */
    public void setOnConnected(Runnable r) { onConnected = r == null ? () -> { } : r; }

    HostsModel(HostsEngine engine, Background bg) {
        this.engine = engine;
        this.bg = bg;
        engine.watchHosts(() -> dirty.set(true));
    }

    public ObservableList<HostRow> rows() { return rows; }

    /** Host labels, the primary first (the filter's choices). */
    public ObservableList<String> labels() { return labels; }

    public String primaryLabel() { return engine.primaryLabel(); }

    /** Where the list is kept; the hosts in it are added now (they connect in the background). */
    public void useFile(Path f, Consumer<String> problem) {
        file = f;
        List<HostsFile.Entry> saved = HostsFile.read(f);
        if (saved.isEmpty()) return;
        bg.run(() -> {
            for (HostsFile.Entry e : saved) {
                try {
                    engine.addHost(e.name(), e.url());
                } catch (RuntimeException ex) {
                    bg.ui(() -> problem.accept("Host " + e.name() + " from " + f.getFileName() + ": " + ex.getMessage()));
                }
            }
        });
    }

    /**
     * Checks what a person typed (a name, an ssh:// URL) and adds the host; the error, naming the
     * field, goes to {@code error} (UI thread) and nothing is added.
     */
    public void add(String name, String url, Consumer<String> error) {
        String label;
        SshAddress a;
        try {
            a = SshAddress.parse(url == null ? "" : url.strip());
        } catch (IllegalArgumentException e) {
            error.accept("Address: " + e.getMessage().replaceFirst("^--host: ", ""));
            return;
        }
        try {
            label = HostNames.checkLabel(name == null || name.isBlank() ? a.label() : name);
        } catch (IllegalArgumentException e) {
            error.accept("Name: " + e.getMessage());
            return;
        }
        if (byLabel.containsKey(label)) {
            error.accept("Name: a host named \"" + label + "\" is already in the list");
            return;
        }
        bg.op(() -> {
            engine.addHost(label, a.url());
            save();
            return label;
        }, l -> dirty.set(true), e -> error.accept(e.getMessage()));
    }

    /** Removes a host (not the primary). */
    public void remove(String label) {
        if (label == null || label.equals(engine.primaryLabel())) return;
        if (label.equals(filter.get())) filter.set(null);
        bg.op(() -> {
            engine.removeHost(label);
            save();
            return label;
        }, l -> dirty.set(true), e -> { });
    }

    private void save() { if (file != null) HostsFile.write(file, engine.remembered()); }

    /** The pulse: the list and its figures, when something changed. Returns whether it did. */
    public boolean apply() {
        if (!dirty.getAndSet(false)) return false;
        List<HostView> now = engine.hosts();
        List<HostRow> want = new ArrayList<>();
        for (HostView v : now) {
            HostRow r = byLabel.computeIfAbsent(v.label(), l -> new HostRow(l, v.url(), v.primary()));
            r.apply(v);
            want.add(r);
        }
        byLabel.values().retainAll(want);
        if (!rows.equals(want)) rows.setAll(want);
        List<String> ls = want.stream().map(HostRow::label).toList();
        if (!labels.equals(ls)) labels.setAll(ls);
        multiHost.set(want.size() > 1);
        boolean newly = false;
        for (HostView v : now) {
            if (v.state().connected()) newly |= connected.add(v.label());
            else connected.remove(v.label());
        }
        connected.retainAll(ls);
        if (newly) onConnected.run();
        if (filter.get() != null && !ls.contains(filter.get())) filter.set(null);
        return true;
    }

    public HostRow row(String label) { return byLabel.get(label); }

    /** Whether a host's state, version or load changed since the last {@link #apply} (the pulse wakes for it). */
    public boolean pending() { return dirty.get(); }
}
