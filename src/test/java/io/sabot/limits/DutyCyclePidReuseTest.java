package io.sabot.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.process.ProcStat;
import io.sabot.testing.Await;
import io.sabot.testing.Procs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The CPU duty cycle never pauses a process that took over the pid of the one it was asked to cap. */
class DutyCyclePidReuseTest {
    @Test
    void aReusedPidIsNeverPaused() throws Exception {
        // a busy group leader: the duty cycle would pause it at once if it took it for the capped agent
        Process busy = new ProcessBuilder("setsid", "sh", "-c", "while :; do :; done").start();
        DutyCycleCpuCap cap = new DutyCycleCpuCap();
        try {
            Await.until(Duration.ofSeconds(5), () -> ProcStat.startTicks(busy.pid()) > 0, "started");
            long realStart = ProcStat.startTicks(busy.pid());
            // the capped agent had this pid but started earlier: it is gone, and the number is someone else's
            cap.attach("w-0", busy.pid(), 5, realStart - 500);
            Await.until(Duration.ofSeconds(5), () -> !cap.slotsForTest().contains("w-0"), "the stale slot dropped");
            String stat = Files.readString(Path.of("/proc", Long.toString(busy.pid()), "stat"));
            assertThat(stat.charAt(stat.lastIndexOf(')') + 2)).as("not stopped").isNotEqualTo('T');
            // the same process with its own start time is capped: the guard is not what keeps it running
            cap.attach("w-1", busy.pid(), 5, realStart);
            Await.until(Duration.ofSeconds(5), () -> {
                try {
                    String s = Files.readString(Path.of("/proc", Long.toString(busy.pid()), "stat"));
                    return s.charAt(s.lastIndexOf(')') + 2) == 'T';
                } catch (Exception e) {
                    return false;
                }
            }, "the real agent paused by the duty cycle");
        } finally {
            cap.close();
            Procs.kill(busy.pid());
        }
    }
}
