package io.sabot.process;

/**
 * Whether the calling thread is the reaper handing over an exit it found alone (the only one of
 * its wake-up). The engine then handles that death right there, decision and respawn included,
 * instead of waking a supervision thread for it: a thread hand-off cost the crash path ~0.13 ms
 * (issue 13). Exits that come several at once (a crash storm) still go to the supervision pool,
 * so a storm is handled in parallel and the reaper is never held for long.
 * Held by {@code NativeProcessTest.aLoneExitIsHandedOverOnTheReaperThread}.
 */
public final class LoneExit {
    private static final ThreadLocal<boolean[]> NOW = ThreadLocal.withInitial(() -> new boolean[1]);

    private LoneExit() {}

    /** True on the reaper while it hands over a lone exit. */
    public static boolean now() { return NOW.get()[0]; }

    static void handOver(Runnable r) {
        boolean[] now = NOW.get();
        now[0] = true;
        try {
            r.run();
        } finally {
            now[0] = false;
        }
    }
}
