package io.sabot.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import javafx.scene.Scene;

/**
 * Frame figures for the console benchmark, on only with {@code -Dsabot.console.stats=FILE}. A
 * daemon thread posts a probe to the FX thread every 20 ms and the FX thread stamps when it runs it (any
 * frame or task that holds the FX thread longer shows as a late probe); the scene's layout-pulse
 * listeners time CSS and layout. Once a second it appends one line to FILE:
 * {@code epochMs probeMaxMs probesOver50ms layoutMaxMs pulses layoutCpuMaxMs tickCpuMaxMs gcPauseMaxMs} (while idle only the
 * pulses); then the FX thread's CPU in the costliest layout pass and console tick, and the longest
 * stop-the-world collection (it stops the FX thread as well). The probe itself wakes the FX
 * thread 50 times a second, so it runs only while {@code FILE.run} exists (the benchmark creates
 * it around the bulk restart and removes it for the idle measurements).
 */
final class FrameStats {
    private FrameStats() {}

    static void install(Scene scene, Pulse pulse) {
        String file = System.getProperty("sabot.console.stats");
        if (file == null || file.isBlank()) return;
        Path out = Path.of(file);
        Path run = Path.of(file + ".run");
        AtomicLong probeMax = new AtomicLong(), over = new AtomicLong(), layoutMax = new AtomicLong(), pulses = new AtomicLong(), layoutCpuMax = new AtomicLong();
        AtomicLong gcPauseMax = gcPauses();
        long[] pre = {0, 0};
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        scene.addPreLayoutPulseListener(() -> {
            pre[0] = System.nanoTime();
            pre[1] = cpu.getCurrentThreadCpuTime();
        });
        scene.addPostLayoutPulseListener(() -> {
            pulses.incrementAndGet();
            long d = System.nanoTime() - pre[0];
            layoutMax.accumulateAndGet(d, Math::max);
            // the FX thread's own CPU in the pass: what the console costs, apart from waiting for a core on a busy machine
            layoutCpuMax.accumulateAndGet(cpu.getCurrentThreadCpuTime() - pre[1], Math::max);
        });
        Thread t = new Thread(() -> {
            long windowStart = System.nanoTime();
            while (true) {
                if (!Files.exists(run)) {
                    try {
                        // idle: only the count of layout pulses (each is a CSS + layout pass and a repaint of what changed)
                        layoutMax.set(0);
                        layoutCpuMax.set(0);
                        gcPauseMax.set(0);
                        pulse.takeMaxWorkCpuNanos();
                        Files.writeString(out, System.currentTimeMillis() + " 0 0 0 " + pulses.getAndSet(0) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                        Thread.sleep(1000);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                    windowStart = System.nanoTime();
                    continue;
                }
                long t0 = System.nanoTime();
                java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
                long[] ran = {0};
                // the FX thread stamps the time it ran the probe: how long this thread then waits
                // for a core to wake on the latch is not the FX thread's delay
                Platform.runLater(() -> {
                    ran[0] = System.nanoTime();
                    done.countDown();
                });
                try {
                    done.await();
                    long d = ran[0] - t0;
                    probeMax.accumulateAndGet(d, Math::max);
                    if (d > 50_000_000L) over.incrementAndGet();
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
                if (System.nanoTime() - windowStart >= 1_000_000_000L) {
                    windowStart = System.nanoTime();
                    String line = String.format(Locale.ROOT, "%d %.1f %d %.1f %d %.1f %.1f %d%n", System.currentTimeMillis(), probeMax.getAndSet(0) / 1e6,
                            over.getAndSet(0), layoutMax.getAndSet(0) / 1e6, pulses.getAndSet(0), layoutCpuMax.getAndSet(0) / 1e6,
                            pulse.takeMaxWorkCpuNanos() / 1e6, gcPauseMax.getAndSet(0));
                    try {
                        Files.writeString(out, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                    } catch (IOException e) {
                        return;
                    }
                }
            }
        }, "sabot-ui-frame-stats");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The longest stop-the-world collection since the last read, in ms. A pause stops the probe
     * thread too, so a probe sees it only when one was in flight; the collector's own report
     * sees every one. Concurrent cycles (they do not stop the FX thread) are left out.
     */
    private static AtomicLong gcPauses() {
        AtomicLong max = new AtomicLong();
        for (java.lang.management.GarbageCollectorMXBean gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof javax.management.NotificationEmitter emitter)) continue;
            emitter.addNotificationListener((n, hb) -> {
                if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) return;
                var info = com.sun.management.GarbageCollectionNotificationInfo.from((javax.management.openmbean.CompositeData) n.getUserData());
                if (info.getGcName().contains("Concurrent") || info.getGcName().contains("Cycles")) return;
                max.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
            }, null, null);
        }
        return max;
    }
}
