package io.sabot.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.Procs;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * A start time computed from the ticks read at a spawn equals the JDK's
 * {@code ProcessHandle.Info.startInstant()}: the store records the one, and recovery after a crash
 * compares it with the other to tell a leftover agent from a process that got its number.
 */
class ProcStatStartTest {
    @Test
    void startInstantFromTicksIsTheJdksStartInstant() throws Exception {
        Process p = new ProcessBuilder("sleep", "100000").start();
        try {
            Instant jdk = ProcessHandle.of(p.pid()).orElseThrow().info().startInstant().orElseThrow();
            assertThat(ProcStat.startInstant(ProcStat.startTicks(p.pid()))).isEqualTo(jdk);
            assertThat(ProcStat.startInstant(-1)).isNull();
        } finally {
            Procs.kill(p.pid());
        }
    }
}
