package io.sabot.cli;

import sun.misc.Signal;

/**
 * SIGTERM/SIGINT as an orderly stop. The JDK would otherwise exit with 143/130 straight from
 * its shutdown hooks; the contract wants the daemon to stop its agents and exit 0.
 */
final class Signals {
    private Signals() {}

    static void onTermination(Runnable action) {
        for (String s : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(s), sig -> action.run());
            } catch (IllegalArgumentException e) {
                // this signal is not available here
            }
        }
    }
}
