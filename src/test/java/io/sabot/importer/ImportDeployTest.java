package io.sabot.importer;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.Selection;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.SpecParser;
import io.sabot.testing.Await;
import io.sabot.testing.EngineFixture;
import io.sabot.testing.Procs;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each import writes deploys on a real engine, and its agents run as real processes with the imported settings. */
class ImportDeployTest {
    @TempDir
    Path tmp;

    private FleetSpec importAndReadBack(Path file, Map<String, String> env) throws Exception {
        Map<String, String> e = new HashMap<>(System.getenv());
        e.putAll(env);
        ImportResult r = Importer.importFile(file, new Importer.Options(null, e));
        assertThat(r.report().problems()).isEmpty();
        Path spec = tmp.resolve("imported.yaml");
        Files.writeString(spec, Importer.render(r, false));
        return SpecParser.parseFile(spec);
    }

    private static String environ(long pid, String var) {
        try {
            for (String kv : new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"))).split("\0")) {
                if (kv.startsWith(var + "=")) return kv.substring(var.length() + 1);
            }
            return null;
        } catch (IOException e) {
            return null; // the process is gone: the caller's wait names what it expected
        }
    }

    private static void allRunning(EngineFixture f, List<String> ids) {
        Await.until(Duration.ofSeconds(20), () -> ids.stream().allMatch(id -> {
            InstanceStatus s = f.status(id);
            return s.state() == InstanceState.RUNNING && s.pid() != null && Procs.alive(s.pid());
        }), () -> "running: " + ids + ", now " + f.status());
    }

    @Test
    void pm2AppsRun() throws Exception {
        Path dir = Fixtures.copy("pm2", tmp);
        FleetSpec spec = importAndReadBack(dir.resolve("ecosystem.json"), Map.of());
        try (EngineFixture f = new EngineFixture(tmp.resolve("home"))) {
            f.engine.deploy(spec);
            List<LifecycleResult> rs = f.engine.start(Selection.everything(), null, null);
            assertThat(rs).as(rs.toString()).allMatch(LifecycleResult::success);
            allRunning(f, List.of("api_server-0", "api_server-1", "worker-0", "worker-1-0", "worker-2-0", "ticker-0"));
            // waits for the asserted value itself (seen once: the first read of environ had no PORT)
            Await.until(Duration.ofSeconds(10), () -> "9002".equals(environ(f.status("worker-2-0").pid(), "PORT")),
                    () -> "worker-2-0 has PORT=9002 in its environment");
            Await.until(Duration.ofSeconds(10), () -> "dev".equals(environ(f.status("api_server-1").pid(), "MODE")),
                    () -> "api_server-1 has MODE=dev in its environment");
            Await.until(Duration.ofSeconds(10), () -> f.engine.logs("api_server-0", 20).stream().anyMatch(l -> l.contains("server up")
                    && l.contains("'--greeting', 'hello world'")), () -> "server.py started with its args: " + f.engine.logs("api_server-0", 20));
            Await.until(Duration.ofSeconds(10), () -> f.engine.logs("ticker-0", 20).contains("tick"), "ticker ran through bash -c");
        }
    }

    @Test
    void supervisordProgramsRun() throws Exception {
        Path dir = Fixtures.copy("supervisord", tmp);
        FleetSpec spec = importAndReadBack(dir.resolve("supervisord.conf"), Map.of("APP_ROOT", tmp.toString()));
        try (EngineFixture f = new EngineFixture(tmp.resolve("home"))) {
            f.engine.deploy(spec);
            List<LifecycleResult> rs = f.engine.start(Selection.everything(), null, null);
            assertThat(rs).as(rs.toString()).allMatch(LifecycleResult::success);
            allRunning(f, List.of("web_00-0", "web_01-0", "worker-0", "worker-1", "worker-2", "legacy_app-0", "extra-0"));
            assertThat(environ(f.status("web_01-0").pid(), "PORT")).isEqualTo("8001");
            assertThat(environ(f.status("worker-1").pid(), "QUEUE")).isEqualTo("jobs,urgent");
            assertThat(Files.readSymbolicLink(Path.of("/proc", f.status("worker-0").pid().toString(), "cwd"))).isEqualTo(dir);
            // the one-shot ran once and, autorestart=false, stays stopped
            Await.until(Duration.ofSeconds(10), () -> f.status("oneshot-0").state() == InstanceState.STOPPED
                    && f.engine.logs("oneshot-0", 10).contains("done"), () -> "oneshot done: " + f.status("oneshot-0"));
        }
    }

    @Test
    void processComposeProcessesRunInDependencyOrder() throws Exception {
        Path dir = Fixtures.copy("process-compose", tmp);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        FleetSpec spec = importAndReadBack(dir.resolve("process-compose.yaml"), Map.of("API_PORT", Integer.toString(port)));
        try (EngineFixture f = new EngineFixture(tmp.resolve("home"));
             io.sabot.probe.ProbeRunner probes = new io.sabot.probe.ProbeRunner(new io.sabot.probe.EngineProbes(f.engine))) {
            f.engine.deploy(spec);
            List<LifecycleResult> rs = f.engine.start(Selection.everything(), null, null);
            assertThat(rs).as(rs.toString()).allMatch(LifecycleResult::success);
            allRunning(f, List.of("db-0", "api-0", "workers-0", "workers-1", "workers-2", "shards-0-0", "shards-1-0"));
            // api started after db printed its ready line (its readiness probe), and answers on the port from the environment
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
            c.setConnectTimeout(2000);
            assertThat(c.getResponseCode()).isEqualTo(200);
            c.disconnect();
            assertThat(f.engine.logs("db-0", 20)).contains("db ready to accept connections");
            Await.until(Duration.ofSeconds(10), () -> f.engine.logs("shards-1-0", 10).contains("shard 1"), "shard 1 knows its replica number");
            long dbRunning = f.engine.history("db-0").stream().filter(t -> t.to() == InstanceState.RUNNING).findFirst().orElseThrow().timeMs();
            long apiStarting = f.engine.history("api-0").stream().filter(t -> t.to() == InstanceState.STARTING).findFirst().orElseThrow().timeMs();
            assertThat(apiStarting).isGreaterThanOrEqualTo(dbRunning);
        }
    }
}
