package io.sabot.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.EngineEvent;
import io.sabot.engine.InstanceState;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.Selection;
import io.sabot.engine.Subscription;
import io.sabot.testing.Await;
import io.sabot.testing.EngineFixture;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bridge (what {@code --host} runs remotely) in-process, between pipes and a real control
 * server; and the mux client over a real child process ({@code sh -c 'exec java ... bridge'} is the
 * ssh of {@code SshRemoteTest}; here a plain process runs the bridge).
 */
class BridgeTest {
    @TempDir
    Path tmp;

    @Test
    void framesChannelsToTheSocketAndBack() throws Exception {
        try (Served f = new Served(tmp.resolve("home"))) {
            f.deploySleeper("s", 1);
            // OS pipes, as ssh gives the bridge (java.io's piped streams break when a writer thread ends)
            java.nio.channels.Pipe p1 = java.nio.channels.Pipe.open(), p2 = java.nio.channels.Pipe.open();
            OutputStream toBridge = java.nio.channels.Channels.newOutputStream(p1.sink());
            java.io.InputStream bridgeIn = java.nio.channels.Channels.newInputStream(p1.source());
            java.io.InputStream fromBridge = java.nio.channels.Channels.newInputStream(p2.source());
            OutputStream bridgeOut = java.nio.channels.Channels.newOutputStream(p2.sink());
            Thread b = new Thread(() -> {
                try {
                    Bridge.run(f.socket(), bridgeIn, bridgeOut);
                    bridgeOut.close();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            b.start();
            BufferedReader in = new BufferedReader(new InputStreamReader(fromBridge, StandardCharsets.UTF_8));
            OutputStream out = toBridge;
            String banner = in.readLine();
            assertThat(banner).startsWith("{\"sabotBridge\":1,\"protocol\":" + Protocol.VERSION);
            send(out, "1 !open");
            send(out, "2 !open");
            assertThat(List.of(in.readLine(), in.readLine())).containsExactlyInAnyOrder("1 !ok", "2 !ok");
            send(out, "2 {\"id\":7,\"op\":\"ping\"}");
            send(out, "1 {\"id\":8,\"op\":\"hello\"}");
            List<String> got = List.of(in.readLine(), in.readLine());
            assertThat(got).anyMatch(l -> l.startsWith("2 {\"id\":7,\"ok\":true,\"result\":\"pong\"}"));
            assertThat(got).anyMatch(l -> l.startsWith("1 {\"id\":8,\"ok\":true,\"result\":{\"protocol\":"));
            send(out, "1 !close");
            send(out, "3 !open");
            assertThat(in.readLine()).isEqualTo("3 !ok");
            send(out, "3 not json");
            assertThat(in.readLine()).startsWith("3 {\"id\":null,\"ok\":false,\"error\":{\"kind\":\"bad-input\"");
            assertThat(in.readLine()).isEqualTo("3 !eof"); // the server hangs up on a bad request
            send(out, "garbage without a channel");
            send(out, "2 {\"id\":9,\"op\":\"ping\"}");
            assertThat(in.readLine()).startsWith("2 {\"id\":9,\"ok\":true");
            out.close(); // stdin ends: the bridge closes every connection and returns
            b.join(10_000);
            assertThat(b.isAlive()).isFalse();
        }
    }

    @Test
    void aMissingEngineIsAChannelErrorNamingTheHome() throws Exception {
        java.nio.channels.Pipe p1 = java.nio.channels.Pipe.open(), p2 = java.nio.channels.Pipe.open();
        OutputStream toBridge = java.nio.channels.Channels.newOutputStream(p1.sink());
        java.io.InputStream bridgeIn = java.nio.channels.Channels.newInputStream(p1.source());
        java.io.InputStream fromBridge = java.nio.channels.Channels.newInputStream(p2.source());
        OutputStream bridgeOut = java.nio.channels.Channels.newOutputStream(p2.sink());
        Path socket = tmp.resolve("nohome").resolve("control.sock");
        Thread b = new Thread(() -> {
            try {
                Bridge.run(socket, bridgeIn, bridgeOut);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        b.start();
        BufferedReader in = new BufferedReader(new InputStreamReader(fromBridge, StandardCharsets.UTF_8));
        in.readLine();
        send(toBridge, "1 !open");
        assertThat(in.readLine()).isEqualTo("1 !error no engine running on home " + socket.getParent() + " (start one with `sabot daemon` or `sabot console`)");
        toBridge.close();
        b.join(10_000);
        assertThat(b.isAlive()).isFalse();
    }

    @Test
    void theMuxClientCarriesCallsAndStreamsOverOneChildProcess() throws Exception {
        try (Served f = new Served(tmp.resolve("home"))) {
            f.deploySleeper("s", 2);
            String java = ProcessHandle.current().info().command().orElseThrow();
            List<String> argv = List.of(java, "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "io.sabot.Main",
                    "bridge", "--home", f.socket().getParent().toString());
            MuxTransport t = MuxTransport.start(argv, null, "a child bridge", (c, code, err, out) -> "bridge ended (" + code + "): " + err,
                    Duration.ofSeconds(60));
            long bridgePid = t.process().pid();
            try (RemoteEngine e = new RemoteEngine(t)) {
                List<EngineEvent> events = new CopyOnWriteArrayList<>();
                try (Subscription s = e.subscribe(events::add)) {
                    List<LifecycleResult> rs = e.start(Selection.everything(), null, null);
                    assertThat(rs).hasSize(2).allMatch(LifecycleResult::success);
                    Await.until(Duration.ofSeconds(20), () -> events.stream().filter(ev -> ev instanceof EngineEvent.TransitionEvent te
                            && te.transition().to() == InstanceState.RUNNING).count() == 2, "two RUNNING events through the bridge");
                }
                assertThat(e.status(Selection.everything())).hasSize(2);
            }
            Await.until(Duration.ofSeconds(20), () -> ProcessHandle.of(bridgePid).map(h -> !h.isAlive()).orElse(true), "the bridge exits when closed");
        }
    }

    /** A real engine with its control socket on a temp home. */
    static final class Served implements AutoCloseable {
        final EngineFixture fixture;
        final ControlServer server;

        Served(Path home) throws Exception {
            java.nio.file.Files.createDirectories(home);
            fixture = new EngineFixture(home);
            server = ControlServer.start(fixture.engine, home.resolve("control.sock"));
        }

        Path socket() { return server.socket(); }

        void deploySleeper(String name, int n) throws Exception {
            fixture.engine.deploy(io.sabot.testing.Specs.parse(io.sabot.testing.Specs.fleet(io.sabot.testing.Specs.sleeper(name, n, "")), fixture.home));
        }

        @Override
        public void close() {
            server.close();
            fixture.close();
        }
    }

    private static void send(OutputStream out, String line) throws Exception {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
