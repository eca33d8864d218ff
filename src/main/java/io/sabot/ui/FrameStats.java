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
 * daemon thread posts a probe to the FX thread every 20 ms and measures how long it waits (any
 * frame or task that holds the FX thread longer shows as a late probe); the scene's layout-pulse
 * listeners time CSS and layout. Once a second it appends one line to FILE:
 * {@code epochMs probeMaxMs probesOver50ms layoutMaxMs pulses layoutCpuMaxMs tickCpuMaxMs} (while idle only the
 * pulses); the last two are the FX thread's CPU in the costliest layout pass and console tick. The probe itself wakes the FX
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
                Platform.runLater(done::countDown);
                try {
                    done.await();
                    long d = System.nanoTime() - t0;
                    probeMax.accumulateAndGet(d, Math::max);
                    if (d > 50_000_000L) over.incrementAndGet();
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
                if (System.nanoTime() - windowStart >= 1_000_000_000L) {
                    windowStart = System.nanoTime();
                    String line = String.format(Locale.ROOT, "%d %.1f %d %.1f %d %.1f %.1f%n", System.currentTimeMillis(), probeMax.getAndSet(0) / 1e6,
                            over.getAndSet(0), layoutMax.getAndSet(0) / 1e6, pulses.getAndSet(0), layoutCpuMax.getAndSet(0) / 1e6,
                            pulse.takeMaxWorkCpuNanos() / 1e6);
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
}
