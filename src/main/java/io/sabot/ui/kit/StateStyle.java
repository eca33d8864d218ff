package io.sabot.ui.kit;

import io.sabot.engine.InstanceState;
import java.util.Locale;
import javafx.scene.paint.Color;

/** The colour language of states, shared by badges, chips and canvases. */
public final class StateStyle {
    private StateStyle() {}

    public static String cssClass(InstanceState s) { return "state-" + s.name().toLowerCase(Locale.ROOT); }

    public static final String[] ALL_CLASSES = {"state-running", "state-starting", "state-stopping", "state-backoff", "state-failed", "state-stopped"};

    private static final javafx.css.PseudoClass[] PSEUDO = new javafx.css.PseudoClass[InstanceState.values().length];

    static {
        for (InstanceState s : InstanceState.values()) PSEUDO[s.ordinal()] = javafx.css.PseudoClass.getPseudoClass(s.name().toLowerCase(Locale.ROOT));
    }

    /**
     * Marks a badge with its state as a pseudo-class (:running, :failed...). Switching pseudo-classes
     * is much cheaper than switching style classes, which makes JavaFX look up styles anew.
     */
    public static void pseudo(javafx.scene.Node n, InstanceState s) {
        for (InstanceState x : InstanceState.values()) n.pseudoClassStateChanged(PSEUDO[x.ordinal()], x == s);
    }

    public static String label(InstanceState s) {
        String n = s.name();
        return n.charAt(0) + n.substring(1).toLowerCase(Locale.ROOT);
    }

    public static Color color(InstanceState s) {
        switch (s) {
            case RUNNING: return Color.web("#1a7f37");
            case STARTING:
            case STOPPING: return Color.web("#0969da");
            case BACKOFF: return Color.web("#bf8700");
            case FAILED: return Color.web("#cf222e");
            default: return Color.web("#6e7781");
        }
    }
}
