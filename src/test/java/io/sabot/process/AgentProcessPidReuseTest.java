package io.sabot.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.Await;
import io.sabot.testing.Procs;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** An agent's tree is never signalled through a number that now names another process. */
class AgentProcessPidReuseTest {
    @Test
    void aGroupWhoseNumberWasTakenIsNotSignalled() throws Exception {
        Process p = new ProcessBuilder("setsid", "sleep", "100000").start();
        try {
            Await.until(Duration.ofSeconds(5), () -> ProcStat.pgid(p.pid()) == p.pid(), "own group");
            long real = ProcStat.startTicks(p.pid());
            // our agent ran earlier under this number and has been reaped; the stranger has it now
            Process gone = new ProcessBuilder("true").start();
            assertThat(gone.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            AgentProcess stale = new JdkAgentProcess(gone, p.pid(), real - 300);
            Await.until(Duration.ofSeconds(5), () -> !stale.isAlive(), "reaped");
            assertThat(stale.numberTakenByAnother()).isTrue();
            stale.signal(Signals.Sig.KILL);
            assertThat(p.waitFor(300, java.util.concurrent.TimeUnit.MILLISECONDS)).as("the stranger survives").isFalse();
            AgentProcess same = new JdkAgentProcess(p, p.pid(), real);
            assertThat(same.numberTakenByAnother()).isFalse();
            same.signal(Signals.Sig.KILL);
            assertThat(p.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).as("its own agent is killed").isTrue();
        } finally {
            Procs.kill(p.pid());
        }
    }
}
