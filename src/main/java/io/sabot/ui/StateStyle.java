package io.sabot.ui;

import io.sabot.engine.InstanceState;
import java.util.Locale;
import javafx.scene.paint.Color;

/** The colour language of states, shared by badges, chips and canvases. */
public final class StateStyle {
    private StateStyle() {}

    public static String cssClass(InstanceState s) { return "state-" + s.name().toLowerCase(Locale.ROOT); }

    public static final String[] ALL_CLASSES = {"state-running", "state-starting", "state-stopping", "state-backoff", "state-failed", "state-stopped"};

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
