package io.sabot.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A process started early is taken for exactly its command line, and ended when another one is asked for. */
class EarlyProcessTest {
    @Test
    void takenForTheSameCommandLineEndedForAnother() throws Exception {
        List<String> sleep = List.of("sleep", "60");
        EarlyProcess.start(sleep);
        Process p = EarlyProcess.take(sleep);
        try {
            assertThat(p).isNotNull();
            assertThat(p.isAlive()).isTrue();
            assertThat(EarlyProcess.take(sleep)).as("taken once").isNull();
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        EarlyProcess.start(List.of("sleep", "61"));
        ProcessHandle early = ProcessHandle.current().children().filter(h -> h.info().arguments().map(a -> a.length > 0 && a[0].equals("61")).orElse(false))
                .findFirst().orElseThrow();
        try {
            assertThat(EarlyProcess.take(sleep)).as("another command line").isNull();
            assertThat(early.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        } finally {
            early.destroyForcibly();
        }
    }
}
