package io.sabot.ui.partitions;

import io.sabot.spec.InstanceIds;
import javafx.scene.paint.Color;

/**
 * A stable colour per instance id: the same instance gets the same colour in every session and
 * every view; instances of one agent take neighbouring, distinct entries.
 */
public final class Palette {
    private static final Color[] COLORS = {
        Color.web("#4e79a7"), Color.web("#f28e2b"), Color.web("#59a14f"), Color.web("#e15759"),
        Color.web("#76b7b2"), Color.web("#edc948"), Color.web("#b07aa1"), Color.web("#ff9da7"),
        Color.web("#9c755f"), Color.web("#6b8fd6"), Color.web("#8cd17d"), Color.web("#d4a6c8"),
        Color.web("#499894"), Color.web("#e6a23c"), Color.web("#86bcb6"), Color.web("#c9a227"),
    };
    public static final Color UNASSIGNED = Color.web("#afb8c1");

    private Palette() {}

    public static Color of(String instanceId) {
        if (instanceId == null) return UNASSIGNED;
        String agent = InstanceIds.agentOf(instanceId);
        if (agent == null) return COLORS[Math.floorMod(instanceId.hashCode(), COLORS.length)];
        int base = Math.floorMod(agent.hashCode(), COLORS.length);
        int idx = InstanceIds.indexOf(instanceId);
        return COLORS[Math.floorMod(base + idx * 5, COLORS.length)];
    }

    static int size() { return COLORS.length; }

    /** The palette's entry {@code i} (taken modulo its size). */
    static Color at(int i) { return COLORS[Math.floorMod(i, COLORS.length)]; }

    /** Black or white, whichever reads on the colour. */
    public static Color textOn(Color c) {
        double l = 0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue();
        return l > 0.6 ? Color.web("#1f2328") : Color.WHITE;
    }
}
