package io.sabot.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test hook, not shipped: {@code sabot daemon} plus a thread that, once the file
 * {@code <home>/.test-oom-now} appears, allocates until the heap is exhausted. With {@code swallow}
 * in that file it catches the error and carries on, the worst case for a guard (the error is
 * never seen by anyone); otherwise the error ends the thread.
 */
public final class OomDaemonMain {
    private OomDaemonMain() {}

    public static void main(String[] args) {
        Path home = null;
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals("--home")) home = Path.of(args[i + 1]);
        Path trigger = home.resolve(".test-oom-now");
        Thread t = new Thread(() -> {
            try {
                while (!Files.exists(trigger)) Thread.sleep(20);
                boolean swallow = Files.readString(trigger).contains("swallow");
                List<byte[]> hog = new ArrayList<>();
                try {
                    while (true) hog.add(new byte[64 * 1024]);
                } catch (OutOfMemoryError e) {
                    hog.clear();
                    if (!swallow) throw e;
                }
                while (true) Thread.sleep(1000); // as if nothing happened
            } catch (InterruptedException | java.io.IOException e) {
                // ends with the JVM
            }
        }, "test-oom-hog");
        t.setDaemon(true);
        t.start();
        io.sabot.Main.main(args);
    }
}
