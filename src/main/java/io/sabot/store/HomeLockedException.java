package io.sabot.store;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The home is held by another live engine. The message is one line naming the home and the
 * holding process (pid, command, start time) as recorded in {@code engine.lock}; the daemon maps
 * this exception to exit code 3.
 */
public final class HomeLockedException extends StoreException {
    private static final long serialVersionUID = 1L;

    private final transient Path home;
    private final long holderPid;
    private final String holder;

    public HomeLockedException(Path home, long holderPid, String holder) {
        super("home " + home + " is in use by another Sabot engine: " + holder);
        this.home = home;
        this.holderPid = holderPid;
        this.holder = holder;
    }

    public Path home() { return home; }

    /** The holder's pid when the lock file names one. */
    public OptionalLong holderPid() { return holderPid > 0 ? OptionalLong.of(holderPid) : OptionalLong.empty(); }

    /** Human description of the holder, e.g. {@code pid 4242 (java -jar sabot.jar daemon), started 2025-01-01T10:00:00Z}. */
    public String holder() { return holder; }
}
