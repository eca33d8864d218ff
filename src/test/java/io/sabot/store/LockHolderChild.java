package io.sabot.store;

import java.nio.file.Path;

/** Child JVM that opens a store (holding the home) and waits until stdin closes or it is killed. */
public final class LockHolderChild {
    private LockHolderChild() { }

    public static void main(String[] args) throws Exception {
        try (Store store = Store.open(Path.of(args[0]), StoreOptions.defaults().withScheduledRetention(false))) {
            System.out.println("HOLDING " + ProcessHandle.current().pid());
            while (System.in.read() >= 0) {
                // wait for EOF
            }
        }
    }
}
