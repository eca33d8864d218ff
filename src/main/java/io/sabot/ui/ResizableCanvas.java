package io.sabot.ui;

import javafx.scene.canvas.Canvas;
import javafx.scene.layout.Region;

/**
 * A Canvas that fills its region and asks for a redraw when resized. Drawing happens in
 * {@link #draw}; callers mark it dirty and the pulse redraws at most once per frame.
 */
public abstract class ResizableCanvas extends Region {
    protected final Canvas canvas = new Canvas();
    private boolean dirty = true;
    static final double MAX = 8192;

    protected ResizableCanvas() {
        getChildren().add(canvas);
        widthProperty().addListener(o -> dirty = true);
        heightProperty().addListener(o -> dirty = true);
    }

    @Override
    protected void layoutChildren() {
        // a canvas is a texture: keep it within what every pipeline can allocate
        double w = Math.min(MAX, Math.max(1, getWidth())), h = Math.min(MAX, Math.max(1, getHeight()));
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            dirty = true;
        }
    }

    public void markDirty() { dirty = true; }

    /** Called by the pulse: redraws when something changed. */
    public void redrawIfDirty() {
        if (!dirty || getScene() == null) return;
        dirty = false;
        draw(canvas.getWidth(), canvas.getHeight());
    }

    public Canvas canvas() { return canvas; }

    protected abstract void draw(double w, double h);
}
