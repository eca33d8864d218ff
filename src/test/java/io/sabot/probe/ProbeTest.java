package io.sabot.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.engine.Cause;
import io.sabot.engine.InstanceState;
import io.sabot.engine.InstanceStatus;
import io.sabot.engine.LifecycleResult;
import io.sabot.engine.Selection;
import io.sabot.engine.Transition;
import io.sabot.testing.Await;
import io.sabot.testing.EngineFixture;
import io.sabot.testing.Procs;
import io.sabot.testing.Specs;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness and liveness probes with real processes: HTTP, TCP, exec and log; readiness gating
 * RUNNING (and so dependsOn and rolling restarts); liveness killing and restarting with its reason.
 */
class ProbeTest {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path home;

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean answers(int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(500);
            int code = c.getResponseCode();
            c.disconnect();
            return code == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static long firstTime(List<Transition> h, InstanceState to, int nth) {
        return h.stream().filter(t -> t.to() == to).skip(nth).findFirst().orElseThrow(() -> new AssertionError("no " + to + " #" + nth + " in " + h)).timeMs();
    }

    /** An engine with its probe runner, as the daemon has it. */
    private static final class Probed implements AutoCloseable {
        final EngineFixture f;
        final ProbeRunner probes;

        Probed(Path home) {
            this.f = new EngineFixture(home);
            this.probes = new ProbeRunner(new EngineProbes(f.engine));
        }

        @Override
        public void close() {
            probes.close();
            f.close();
        }
    }

    @Test
    void anHttpServerIsRunningOnlyOnceItAnswers() throws Exception {
        int port = freePort();
        String server = "{\"name\":\"web\",\"command\":[\"sh\",\"-c\",\"sleep 1.5; exec python3 -m http.server " + port + " --bind 127.0.0.1\"],"
                + "\"startTimeoutMs\":20000,\"health\":{\"readiness\":{\"http\":{\"url\":\"http://127.0.0.1:" + port + "/\",\"status\":\"200-399\"},"
                + "\"periodMs\":100,\"timeoutMs\":500}}}";
        try (Probed p = new Probed(home)) {
            p.f.engine.deploy(Specs.parse(Specs.fleet(server), home));
            Thread starter = new Thread(() -> p.f.engine.start(Selection.of("web"), null, null));
            starter.start();
            Await.until(T, () -> p.f.status("web-0").state() == InstanceState.STARTING && p.f.status("web-0").pid() != null, "web starting");
            // while the server is not up, the instance stays STARTING
            Await.until(T, () -> !answers(port) && p.f.status("web-0").state() == InstanceState.STARTING || p.f.status("web-0").state() == InstanceState.RUNNING,
                    "observed");
            assertThat(answers(port) || p.f.status("web-0").state() == InstanceState.STARTING).isTrue();
            starter.join(30_000);
            InstanceStatus s = p.f.status("web-0");
            assertThat(s.state()).isEqualTo(InstanceState.RUNNING);
            assertThat(answers(port)).as("RUNNING means it answers").isTrue();
            List<Transition> h = p.f.engine.history("web-0");
            assertThat(firstTime(h, InstanceState.RUNNING, 0) - firstTime(h, InstanceState.STARTING, 0))
                    .as("RUNNING came after the server's 1.5 s warm-up, not at spawn").isGreaterThanOrEqualTo(1400);
            assertThat(p.f.engine.logs("web-0", 50)).anyMatch(l -> l.contains("readiness probe: GET http://127.0.0.1:" + port + "/: connection refused"))
                    .anyMatch(l -> l.contains("readiness probe passed"));
        }
    }

    @Test
    void aHungServerIsRestartedByItsLivenessProbe() throws Exception {
        int port = freePort();
        String server = "{\"name\":\"web\",\"command\":[\"python3\",\"-m\",\"http.server\",\"" + port + "\",\"--bind\",\"127.0.0.1\"],"
                + "\"restart\":{\"backoff\":{\"initialMs\":0,\"maxMs\":0}},"
                + "\"health\":{\"readiness\":{\"tcp\":{\"port\":" + port + "},\"periodMs\":100},"
                + "\"liveness\":{\"http\":{\"url\":\"http://127.0.0.1:" + port + "/\"},\"initialDelayMs\":0,\"periodMs\":200,\"timeoutMs\":300,\"failureThreshold\":2}}}";
        try (Probed p = new Probed(home)) {
            p.f.engine.deploy(Specs.parse(Specs.fleet(server), home));
            assertThat(p.f.engine.start(Selection.of("web"), null, null)).allMatch(LifecycleResult::success);
            long pid = p.f.status("web-0").pid();
            assertThat(answers(port)).isTrue();
            new ProcessBuilder("kill", "-STOP", Long.toString(pid)).start().waitFor(); // hung: the process is there, it answers nothing
            Await.until(T, () -> {
                InstanceStatus s = p.f.status("web-0");
                return s.state() == InstanceState.RUNNING && s.pid() != null && s.pid() != pid && answers(port);
            }, () -> "web restarted with a new pid: " + p.f.status("web-0"));
            InstanceStatus s = p.f.status("web-0");
            assertThat(s.restarts()).isEqualTo(1);
            assertThat(s.lastExit().reason()).startsWith("liveness probe failed: GET http://127.0.0.1:" + port + "/: no answer within 300 ms");
            assertThat(p.f.engine.history("web-0")).anyMatch(t -> t.to() == InstanceState.BACKOFF && Cause.HEALTH.equals(t.cause()));
            assertThat(Procs.alive(pid)).as("the hung process is gone").isFalse();
        }
    }

    @Test
    void aLogProbeGatesReadinessAndDependentsWaitForIt() throws Exception {
        String db = "{\"name\":\"db\",\"command\":[\"sh\",\"-c\",\"echo warming up; sleep 1; echo 'db ready to accept connections' >&2; exec sleep 600\"],"
                + "\"health\":{\"readiness\":{\"log\":{\"pattern\":\"ready to accept\"},\"periodMs\":100}}}";
        String api = Specs.sleeper("api", 1, "\"dependsOn\":[\"db\"]");
        try (Probed p = new Probed(home)) {
            p.f.engine.deploy(Specs.parse(Specs.fleet(db, api), home));
            assertThat(p.f.engine.start(Selection.of("api"), null, null)).allMatch(LifecycleResult::success);
            List<Transition> dbh = p.f.engine.history("db-0"), apih = p.f.engine.history("api-0");
            long dbRunning = firstTime(dbh, InstanceState.RUNNING, 0);
            assertThat(dbRunning - firstTime(dbh, InstanceState.STARTING, 0)).as("RUNNING once the line was written (stderr)").isGreaterThanOrEqualTo(900);
            assertThat(firstTime(apih, InstanceState.STARTING, 0)).as("the dependent started after").isGreaterThanOrEqualTo(dbRunning);
        }
    }

    @Test
    void aRollingRestartWaitsForEachInstancesReadiness() throws Exception {
        String slow = "{\"name\":\"slow\",\"concurrency\":2,\"command\":[\"sh\",\"-c\",\"sleep 0.8; echo ready; exec sleep 600\"],\"stopGraceMs\":2000,"
                + "\"health\":{\"readiness\":{\"log\":{\"pattern\":\"^ready$\"},\"periodMs\":100}}}";
        try (Probed p = new Probed(home)) {
            p.f.engine.deploy(Specs.parse(Specs.fleet(slow), home));
            assertThat(p.f.engine.start(Selection.everything(), null, null)).allMatch(LifecycleResult::success);
            assertThat(p.f.engine.restart(Selection.of("slow"), true, null)).allMatch(LifecycleResult::success);
            long zeroReadyAgain = firstTime(p.f.engine.history("slow-0"), InstanceState.RUNNING, 1);
            long oneStopping = firstTime(p.f.engine.history("slow-1"), InstanceState.STOPPING, 0);
            assertThat(oneStopping).as("slow-1 went down only after slow-0 was ready again").isGreaterThanOrEqualTo(zeroReadyAgain);
        }
    }

    @Test
    void aFailingExecLivenessProbeRestartsWithItsReasonAndAReadinessThatNeverPassesTimesOut() throws Exception {
        Path flag = home.resolve("alive");
        java.nio.file.Files.writeString(flag, "yes");
        String checked = Specs.sleeper("checked", 1, "\"restart\":{\"backoff\":{\"initialMs\":0,\"maxMs\":0}},"
                + "\"health\":{\"liveness\":{\"exec\":[\"test\",\"-f\",\"" + flag + "\"],\"periodMs\":100,\"failureThreshold\":3}}");
        int port = freePort(); // nobody listens there
        String never = Specs.sleeper("never", 1, "\"startTimeoutMs\":1500,\"health\":{\"readiness\":{\"tcp\":{\"port\":" + port + "},\"periodMs\":100}}");
        try (Probed p = new Probed(home)) {
            p.f.engine.deploy(Specs.parse(Specs.fleet(checked, never), home));
            assertThat(p.f.engine.start(Selection.of("checked"), null, null)).allMatch(LifecycleResult::success);
            long pid = p.f.status("checked-0").pid();
            java.nio.file.Files.delete(flag);
            Await.until(T, () -> p.f.status("checked-0").restarts() >= 1, () -> "restarted: " + p.f.status("checked-0"));
            assertThat(p.f.status("checked-0").lastExit().reason()).isEqualTo("liveness probe failed: exec test -f " + flag + " exited with code 1");
            assertThat(Procs.alive(pid)).isFalse();

            LifecycleResult r = p.f.engine.start(Selection.of("never"), null, null).get(0);
            assertThat(r.success()).isFalse();
            assertThat(r.error()).contains("start timeout after 1500 ms");
            assertThat(p.f.status("never-0").state()).isEqualTo(InstanceState.FAILED);
            assertThat(p.f.engine.logs("never-0", 20)).anyMatch(l -> l.contains("readiness probe: tcp 127.0.0.1:" + port + ": connection refused"));
        }
    }
}
