package io.sabot.ui.kit;

import javafx.scene.canvas.Canvas;
import javafx.scene.layout.Region;

/**
 * A Canvas that fills its region and asks for a redraw when resized. Drawing happens in
 * {@link #draw}; callers mark it dirty and it redraws at most once per frame: in the showing view's
 * tick when one runs, otherwise in one coalesced {@code runLater} (a resize, a hover, a zoom).
 */
public abstract class ResizableCanvas extends Region {
    protected final Canvas canvas = new Canvas();
    private boolean dirty = true;
    static final double MAX = 8192;

    protected ResizableCanvas() {
        getChildren().add(canvas);
        widthProperty().addListener(o -> markDirty());
        heightProperty().addListener(o -> markDirty());
    }

    @Override
    protected void layoutChildren() {
        // a canvas is a texture: keep it within what every pipeline can allocate
        double w = Math.min(MAX, Math.max(1, getWidth())), h = Math.min(MAX, Math.max(1, getHeight()));
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            markDirty();
        }
    }

    private boolean scheduled;

    public void markDirty() {
        dirty = true;
        if (scheduled) return;
        scheduled = true;
        javafx.application.Platform.runLater(() -> {
            scheduled = false;
            redrawIfDirty();
        });
    }

    /** Called by the pulse: redraws when something changed. */
    public void redrawIfDirty() {
        if (!dirty || getScene() == null) return;
        dirty = false;
        draw(canvas.getWidth(), canvas.getHeight());
    }

    public Canvas canvas() { return canvas; }

    protected abstract void draw(double w, double h);
}
