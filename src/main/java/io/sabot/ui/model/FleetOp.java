package io.sabot.ui.model;

/** The lifecycle actions the console offers on a selection, with the words it uses for them. */
public enum FleetOp {
    START("Start", "Starting", "started", false),
    STOP("Stop", "Stopping", "stopped", true),
    FORCE_STOP("Force stop", "Force-stopping", "force-stopped", true),
    RESTART("Restart", "Restarting", "restarted", true),
    ROLLING_RESTART("Rolling restart", "Restarting one by one", "restarted", true);

    public final String title, doing, done;
    /** Asks first: it ends processes. */
    public final boolean destructive;

    FleetOp(String title, String doing, String done, boolean destructive) {
        this.title = title;
        this.doing = doing;
        this.done = done;
        this.destructive = destructive;
    }
}
