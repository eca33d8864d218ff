package io.sabot.ui.kit;

/**
 * A view or pane with a lifecycle (Bisq 2's onActivate/onDeactivate). Its owner activates it when
 * it shows and deactivates it when it hides; in between, the pulse calls {@link #tick} once per
 * frame. A view adds its listeners to view models in {@code activate} and removes them in
 * {@code deactivate} (a {@link io.sabot.ui.model.Subs} does both), so a hidden view does no work.
 */
public interface Activatable {
    void activate();

    void deactivate();

    /** Once per pulse while active: redraw what changed (canvases, drained queues). */
    default void tick(long nowNanos) { }
}
