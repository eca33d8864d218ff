package io.sabot.multihost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sabot.control.NoEngineException;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.Selection;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reconnecting to a real daemon that dies and comes back (the local socket; SshRemoteTest does it over ssh). */
class HostConnectionTest {
    @TempDir
    Path tmp;

    @Test
    void reportsReconnectingThenUnreachableThenConnectedAgain() throws Exception {
        Path home = tmp.resolve("home");
        List<HostState> states = new CopyOnWriteArrayList<>();
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        Daemon d = new Daemon(home);
        try (HostConnection c = HostConnection.local("web1", home.resolve("control.sock"))) {
            c.watch(states::add);
            assertThat(c.connect()).isTrue();
            assertThat(c.state().version()).isNotBlank();
            c.subscribe(events::add);
            d.close(); // the daemon stops: the event stream ends
            Await.until(Duration.ofSeconds(30), () -> c.state().state() == HostState.Kind.UNREACHABLE, () -> "unreachable, got " + states);
            List<HostState.Kind> kinds = states.stream().map(HostState::state).distinct().toList();
            assertThat(kinds).containsSubsequence(HostState.Kind.CONNECTED, HostState.Kind.RECONNECTING, HostState.Kind.UNREACHABLE);
            assertThat(c.state().reason()).contains("no engine running on home " + home);
            assertThatThrownBy(() -> c.status(Selection.everything())).isInstanceOf(NoEngineException.class)
                    .hasMessageStartingWith("web1 is unreachable: no engine running on home");
            assertThat(events).anyMatch(e -> e instanceof EngineEvent.NoticeEvent n && n.text().startsWith("web1: connection lost"));
            d = new Daemon(home);
            Await.until(Duration.ofSeconds(30), () -> c.state().connected(), () -> "connected again, got " + states);
            assertThat(c.status(Selection.everything())).isEmpty();
            Await.until(Duration.ofSeconds(10), () -> events.stream().anyMatch(e -> e instanceof EngineEvent.NoticeEvent n
                    && n.text().equals("web1: connected again")), "a notice for the reconnect");
        } finally {
            d.close();
        }
    }

    @Test
    void aHostThatIsDownAtFirstIsUnreachableAndRetried() throws Exception {
        Path home = tmp.resolve("later");
        try (HostConnection c = HostConnection.local("later", home.resolve("control.sock"))) {
            assertThat(c.connect()).isFalse();
            assertThat(c.state().describe()).startsWith("unreachable: no engine running on home " + home);
            try (Daemon d = new Daemon(home)) {
                Await.until(Duration.ofSeconds(30), () -> c.state().connected(), () -> "connected once the daemon runs, " + c.state());
            }
        }
    }
}
