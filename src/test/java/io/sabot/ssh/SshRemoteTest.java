package io.sabot.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.sabot.control.NoEngineException;
import io.sabot.control.RemoteEngine;
import io.sabot.control.Transport;
import io.sabot.engine.EngineEvent;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.Selection;
import io.sabot.engine.Subscription;
import io.sabot.multihost.HostConnection;
import io.sabot.multihost.HostState;
import io.sabot.telemetry.SpanView;
import io.sabot.telemetry.TraceView;
import io.sabot.testing.Await;
import io.sabot.testing.CliProcess;
import io.sabot.testing.Daemon;
import io.sabot.testing.SshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --host} against a real OpenSSH server on a loopback port and real daemons: the remote
 * answers like the local command, streams and concurrent calls over one session, the version
 * handshake, ssh's failures as one clear line each, reconnects, and W3C trace context across.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SshRemoteTest {
    Path tmp;
    SshServer sshd;
    Daemon daemon;
    Path home;

    @BeforeAll
    void up(@TempDir Path dir) throws Exception {
        tmp = dir;
        assumeTrue(SshServer.available(), "openssh-server and openssh-client are needed (.ci/run installs them)");
        Map<String, Path> logins = new LinkedHashMap<>();
        logins.put("sabot", SshServer.sabotOfThisBuild(tmp.resolve("bin-sabot")));
        logins.put("nosabot", null);
        logins.put("old", SshServer.script(tmp.resolve("bin-old"),
                "#!/bin/sh\necho \"Unmatched argument at index 0: '$1'\" >&2\necho \"Usage: sabot [-hV] [--home=DIR] [COMMAND]\" >&2\nexit 2\n"));
        logins.put("new", SshServer.script(tmp.resolve("bin-new"),
                "#!/bin/sh\necho '{\"sabotBridge\":2,\"protocol\":7,\"minProtocol\":5,\"version\":\"9.0.0\"}'\ncat >/dev/null\n"));
        logins.put("chatty", SshServer.script(tmp.resolve("bin-chatty"), "#!/bin/sh\necho 'Welcome to web1!'\nexit 0\n"));
        sshd = new SshServer(tmp.resolve("sshd"), logins);
        home = tmp.resolve("home");
        daemon = new Daemon(home);
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"agents\":[{\"name\":\"web\",\"command\":[\"sh\",\"-c\",\"echo hello from $SABOT_INSTANCE; exec sleep 100000\"],\"concurrency\":2,"
                + "\"stopGraceMs\":2000},{\"name\":\"worker\",\"command\":[\"sleep\",\"100000\"],\"dependsOn\":[\"web\"]}]}");
        assertThat(daemon.run("agents", "deploy", spec.toString()).code).isZero();
        Daemon.Result r = daemon.run("agents", "start", "--all");
        assertThat(r.code).as(r.toString()).isZero();
    }

    @AfterAll
    void down() throws Exception {
        if (daemon != null) daemon.close();
        if (sshd != null) sshd.close();
    }

    private SshAddress addr(Path h) { return SshAddress.parse(sshd.url(h)); }

    private Transport connect(String login, Path h) { return Ssh.connect(addr(h), sshd.env(login), true); }

    /** Timing figures move between two calls; everything else must be the same bytes. */
    private static String withoutTimings(String json) {
        return json.replaceAll("\"(uptimeMs|cpuPercent|memoryBytes|threads|messagesPerSec|lag)\" : [0-9.E-]+", "\"$1\" : _");
    }

    @Test
    void statusOverSshAnswersLikeTheLocalCommand() throws Exception {
        Daemon.Result local = CliProcess.run(null, tmp, "agents", "status", "--json", "--home", home.toString());
        Daemon.Result remote = CliProcess.run(sshd.env("sabot"), tmp, "--host", sshd.url(home), "agents", "status", "--json");
        assertThat(remote.code).as(remote.toString()).isZero();
        assertThat(local.code).as(local.toString()).isZero();
        assertThat(remote.err).as("stderr of the remote command").isEmpty();
        assertThat(local.out).contains("\"state\" : \"RUNNING\"");
        assertThat(withoutTimings(remote.out)).isEqualTo(withoutTimings(local.out));
        // SABOT_HOST is the default; --home after the command names the remote home
        Map<String, String> env = new LinkedHashMap<>(sshd.env("sabot"));
        env.put("SABOT_HOST", sshd.url(null));
        Daemon.Result viaEnv = CliProcess.run(env, tmp, "agents", "status", "--json", "--home", home.toString());
        assertThat(viaEnv.code).as(viaEnv.toString()).isZero();
        assertThat(withoutTimings(viaEnv.out)).isEqualTo(withoutTimings(local.out));
    }

    @Test
    void noEngineOnTheRemoteHomeIsExit3NamingHostAndHome() throws Exception {
        Path empty = tmp.resolve("no-engine-here");
        Daemon.Result r = CliProcess.run(sshd.env("sabot"), tmp, "--host", sshd.url(empty), "agents", "status");
        assertThat(r.code).as(r.toString()).isEqualTo(3);
        assertThat(r.err).contains("127.0.0.1:" + sshd.port).contains("no engine running on home " + empty);
        assertThat(r.err.strip().lines().count()).as(r.err).isEqualTo(1);
    }

    @Test
    void sabotMissingFromTheRemotePathIsNamed() throws Exception {
        Daemon.Result r = CliProcess.run(sshd.env("nosabot"), tmp, "--host", sshd.url(home), "agents", "status");
        assertThat(r.code).as(r.toString()).isEqualTo(3);
        assertThat(r.err).contains("sabot is not on the PATH of " + sshd.user + "@127.0.0.1:" + sshd.port);
        assertThat(r.err).doesNotContain("Exception");
    }

    @Test
    void sshFailuresAreOneClearLineEach() throws Exception {
        // a key sshd does not know
        assertThatThrownBy(() -> connect("stranger", home)).isInstanceOf(NoEngineException.class)
                .hasMessageContaining("authentication failed").hasMessageContaining("Permission denied");
        // a host key that does not match what known_hosts says, with strict checking
        Path wrongKnown = tmp.resolve("wrong_known_hosts");
        Path other = tmp.resolve("other_host_key");
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", other.toString()).start().waitFor();
        Files.writeString(wrongKnown, "[127.0.0.1]:" + sshd.port + " " + Files.readString(Path.of(other + ".pub")).strip() + "\n");
        Map<String, String> env = Map.of("SABOT_SSH_COMMAND", sshd.sshCommand("sabot", wrongKnown, "yes"));
        assertThatThrownBy(() -> Ssh.connect(addr(home), env, true)).isInstanceOf(NoEngineException.class)
                .hasMessageContaining("host key has CHANGED").hasMessageContaining("ssh-keygen -R");
        // an unknown host key with strict checking
        Map<String, String> strict = Map.of("SABOT_SSH_COMMAND", sshd.sshCommand("sabot", tmp.resolve("empty_known_hosts"), "yes"));
        assertThatThrownBy(() -> Ssh.connect(addr(home), strict, true)).isInstanceOf(NoEngineException.class)
                .hasMessageContaining("host key was refused");
        // nothing listening on the port
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Map<String, String> refused = Map.of("SABOT_SSH_COMMAND", sshd.sshCommand("sabot").replace("-p " + sshd.port, "-p " + closedPort));
        assertThatThrownBy(() -> Ssh.connect(SshAddress.parse("ssh://127.0.0.1:" + closedPort), refused, true))
                .isInstanceOf(NoEngineException.class).hasMessageContaining("connection refused on port " + closedPort);
        // a shell that prints instead of running sabot
        assertThatThrownBy(() -> connect("chatty", home)).isInstanceOf(NoEngineException.class)
                .hasMessageContaining("Welcome to web1!");
    }

    @Test
    void aRemoteSabotTooNewOrTooOldIsNamed() {
        assertThatThrownBy(() -> connect("old", home)).isInstanceOf(NoEngineException.class)
                .hasMessageContaining("too old for --host").hasMessageContaining("no `bridge` command");
        assertThatThrownBy(() -> connect("new", home)).isInstanceOf(NoEngineException.class)
                .hasMessageContaining("sabot 9.0.0, control protocol 7").hasMessageContaining("too new");
    }

    @Test
    void streamsAndConcurrentCallsShareOneSession() throws Exception {
        Transport t = connect("sabot", home);
        try (RemoteEngine e = new RemoteEngine(t)) {
            assertThat(e.info().home()).isEqualTo(home.toString());
            List<EngineEvent> events = new CopyOnWriteArrayList<>();
            List<String> lines = new CopyOnWriteArrayList<>();
            try (Subscription s = e.subscribe(events::add); Subscription f = e.followLogs("web-1", lines::add)) {
                long statusCalls = 0;
                // a restart (stop grace, start) runs while status answers on other channels of the same session
                java.util.concurrent.CompletableFuture<List<LifecycleResult>> restart =
                        java.util.concurrent.CompletableFuture.supplyAsync(() -> e.restart(Selection.of("web-1"), false, null));
                while (!restart.isDone()) {
                    assertThat(e.status(Selection.everything())).hasSize(3);
                    statusCalls++;
                }
                assertThat(restart.get()).allMatch(LifecycleResult::success);
                Await.until(Duration.ofSeconds(30), () -> events.stream().anyMatch(ev -> ev instanceof EngineEvent.TransitionEvent te
                        && te.transition().instance().equals("web-1") && te.transition().to() == InstanceState.RUNNING), "web-1 RUNNING event over ssh");
                Await.until(Duration.ofSeconds(30), () -> lines.contains("hello from web-1"), () -> "followed line over ssh, got " + lines);
                assertThat(statusCalls).isPositive();
            }
            assertThat(sshd.sessions()).as("one ssh session carries it all").hasSize(1);
        }
        Await.until(Duration.ofSeconds(20), () -> sshd.sessions().isEmpty(), "the session ends when the engine is closed");
    }

    @Test
    void anOperationJoinsTheCallersTraceOverSsh() throws Exception {
        SpanContext caller = SpanContext.createFromRemoteParent("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7",
                TraceFlags.getSampled(), TraceState.getDefault());
        try (RemoteEngine e = new RemoteEngine(connect("sabot", home))) {
            List<LifecycleResult> rs;
            try (Scope s = Context.root().with(Span.wrap(caller)).makeCurrent()) {
                rs = e.restart(Selection.of("worker"), false, null);
            }
            assertThat(rs).allMatch(LifecycleResult::success);
            assertThat(rs.get(0).traceId()).isEqualTo(caller.getTraceId());
            TraceView trace = e.traces(50).stream().filter(tv -> tv.traceId().equals(caller.getTraceId())).findFirst().orElseThrow();
            SpanView root = trace.root();
            assertThat(root.parentSpanId()).isEqualTo(caller.getSpanId());
            assertThat(root.name()).startsWith("restart");
        }
    }

    @Test
    void aDroppedSessionIsReconnected() throws Exception {
        List<HostState> states = new CopyOnWriteArrayList<>();
        List<EngineEvent> events = new CopyOnWriteArrayList<>();
        try (HostConnection c = new HostConnection("web1", () -> connect("sabot", home))) {
            c.watch(states::add);
            assertThat(c.connect()).as(String.valueOf(c.state())).isTrue();
            c.subscribe(events::add);
            assertThat(sshd.sessions()).hasSize(1);
            long before = sshd.sessions().get(0).pid();
            // cut the connection from the server side: the session's sshd process dies
            sshd.sessions().get(0).destroyForcibly();
            Await.until(Duration.ofSeconds(30), () -> states.stream().anyMatch(s -> s.state() == HostState.Kind.RECONNECTING), () -> "reconnecting, got " + states);
            Await.until(Duration.ofSeconds(60), () -> c.state().connected(), () -> "connected again, got " + states);
            assertThat(sshd.sessions()).extracting(ProcessHandle::pid).doesNotContain(before);
            HostState reconnecting = states.stream().filter(s -> s.state() == HostState.Kind.RECONNECTING).findFirst().orElseThrow();
            assertThat(reconnecting.reason()).contains("127.0.0.1:" + sshd.port);
            // the subscription was opened again: a new transition arrives
            events.clear();
            assertThat(c.restart(Selection.of("worker"), false, null)).allMatch(LifecycleResult::success);
            Await.until(Duration.ofSeconds(30), () -> events.stream().anyMatch(ev -> ev instanceof EngineEvent.TransitionEvent), "events after the reconnect");
            assertThat(c.status(Selection.everything())).extracting(InstanceStatus::state).containsOnly(InstanceState.RUNNING);
        }
        Await.until(Duration.ofSeconds(20), () -> sshd.sessions().isEmpty(), "no session left after close");
    }

    @Test
    void hostFlagRefusedWhereItCannotApply() throws Exception {
        Daemon.Result r = Daemon.cli("--host", sshd.url(home), "daemon");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("daemon runs here; --host does not apply");
        r = Daemon.cli("--host", "http://web1", "agents", "status");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("is not an ssh:// URL");
        r = Daemon.cli("--host", "ssh://web1?home=relative/path", "agents", "status");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("must be an absolute path");
    }
}
