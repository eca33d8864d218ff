package io.sabot.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.store.DesiredStateRecord;
import io.sabot.store.InstanceRecord;
import io.sabot.store.SpecRecord;
import io.sabot.store.Store;
import io.sabot.testing.Await;
import io.sabot.testing.Procs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pid recorded before a crash that now belongs to another process is never signalled: the new
 * engine checks the pid and its start time. The stranger here is a real process, a group leader
 * (so a group signal would reach it), that records every signal it can catch.
 */
class PidReuseTest {
    @TempDir
    Path tmp;

    /** A session leader that writes the name of every catchable signal it gets to {@code log}. */
    static Process stranger(Path log) throws Exception {
        Process p = new ProcessBuilder("setsid", "sh", "-c",
                "trap 'echo TERM >> \"$0\"' TERM; trap 'echo INT >> \"$0\"' INT; trap 'echo HUP >> \"$0\"' HUP; "
                        + "trap 'echo CONT >> \"$0\"' CONT; while :; do sleep 0.05; done", log.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Await.until(Duration.ofSeconds(5), () -> io.sabot.process.ProcStat.pgid(p.pid()) == p.pid(), "the stranger leads its own group");
        return p;
    }

    static char state(long pid) throws Exception {
        String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return s.charAt(s.lastIndexOf(')') + 2);
    }

    @Test
    void aRecordedPidThatNowBelongsToAnotherProcessIsNeverSignalled() throws Exception {
        Path home = tmp.resolve("home");
        Path log = tmp.resolve("signals.log");
        Files.writeString(log, "");
        Process strangerProc = stranger(log);
        Process leftover = new ProcessBuilder("setsid", "sleep", "100000").start(); // a real leftover of the crashed engine
        try {
            Instant strangerStart = strangerProc.info().startInstant().orElseThrow();
            Instant leftoverStart = leftover.info().startInstant().orElseThrow();
            Instant t = Instant.now();
            // stored as the engine stores it: the parsed spec with every default filled in
            String spec = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(io.sabot.testing.Specs.parse(
                    io.sabot.testing.Specs.fleet("{\"name\":\"w\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":2}"), tmp).agents().get(0));
            try (Store s = Store.open(home)) {
                s.journal().commitAll(List.of(
                        new SpecRecord("w", spec, t),
                        new DesiredStateRecord("w", false, 2, t),
                        // w-0 ran as this pid before the crash; the pid now belongs to the stranger, started later
                        new InstanceRecord("w-0", "w", 0, strangerProc.pid(), strangerStart.minusSeconds(60), "RUNNING", t),
                        // w-1 is still the very process the old engine started
                        new InstanceRecord("w-1", "w", 1, leftover.pid(), leftoverStart, "RUNNING", t)));
            }
            try (EngineHost host = EngineHost.open(home, "test")) {
                Await.until(Duration.ofSeconds(10), () -> !leftover.isAlive(), "the real leftover is stopped");
                assertThat(host.engine().status(io.sabot.engine.Selection.everything())).hasSize(2);
            }
            // the stranger: alive, running, and it heard nothing
            assertThat(strangerProc.isAlive()).isTrue();
            assertThat(state(strangerProc.pid())).isNotEqualTo('T');
            assertThat(Files.readString(log)).as("signals the stranger caught").isEmpty();
        } finally {
            Procs.kill(strangerProc.pid());
            Procs.kill(leftover.pid());
            for (long d : Procs.descendants(strangerProc.pid())) Procs.kill(d);
        }
    }
}
