package io.sabot.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.sabot.engine.InstanceState;
import io.sabot.engine.Selection;
import io.sabot.testing.Await;
import io.sabot.testing.EngineFixture;
import io.sabot.testing.Specs;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What probes cost at 100 agents: 100 {@code sleep} agents, each with a TCP readiness probe and an
 * HTTP liveness probe every second (200 checks a second against loopback servers in this JVM),
 * then tcp only, http only, and a log readiness probe. Measured: CPU time of the probe threads
 * ({@code sabot-probes}, {@code sabot-probe-io-*}, the HTTP client's selector) per second of wall
 * time, and the engine's own threads ({@code sabot-*}) with probes and without. Prints figures,
 * asserts nothing about time. Run:
 * {@code mvn -q -B -Pbench test -Dtest=ProbeBench -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("bench")
class ProbeBench {
    private static final int AGENTS = 100;
    private static final Duration WINDOW = Duration.ofSeconds(Long.getLong("probeBench.seconds", 30));
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

    @TempDir
    Path home;

    private static boolean probeThread(String n) {
        return n.startsWith("sabot-probe") || n.startsWith("HttpClient-");
    }

    private static boolean engineThread(String n) {
        return n.startsWith("sabot-") && !n.startsWith("sabot-probe");
    }

    /** CPU ns of the probe threads and of the engine's threads, summed over live threads. */
    private static long[] cpu() {
        long probes = 0, engine = 0;
        for (ThreadInfo ti : MX.getThreadInfo(MX.getAllThreadIds())) {
            if (ti == null) continue;
            long c = MX.getThreadCpuTime(ti.getThreadId());
            if (c < 0) continue;
            if (probeThread(ti.getThreadName())) probes += c;
            else if (engineThread(ti.getThreadName())) engine += c;
        }
        return new long[] {probes, engine};
    }

    private String measure(String what, String health) throws Exception {
        Path h = home.resolve(what.replaceAll("\\W+", "-"));
        List<String> agents = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            agents.add("{\"name\":\"a" + i + "\",\"command\":[\"sh\",\"-c\",\"echo listening; exec sleep 600\"],\"startTimeoutMs\":60000"
                    + (health == null ? "" : ",\"health\":" + health) + "}");
        }
        EngineFixture f = new EngineFixture(h);
        ProbeRunner runner = health == null ? null : new ProbeRunner(new EngineProbes(f.engine));
        try {
            f.engine.deploy(Specs.parse(Specs.fleet(agents.toArray(String[]::new)), h));
            f.engine.start(Selection.everything(), null, null);
            Await.until(Duration.ofSeconds(120), () -> f.status().stream().filter(s -> s.state() == InstanceState.RUNNING).count() == AGENTS,
                    () -> "all RUNNING: " + f.status().stream().filter(s -> s.state() != InstanceState.RUNNING).limit(3).toList());
            Thread.sleep(2_000); // past the start's own work
            long[] c0 = cpu();
            long w0 = System.nanoTime();
            Thread.sleep(WINDOW.toMillis());
            long[] c1 = cpu();
            double secs = (System.nanoTime() - w0) / 1e9;
            assertThat(f.status()).allMatch(s -> s.state() == InstanceState.RUNNING && s.restarts() == 0);
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            return String.format(Locale.ROOT, "%-44s probe threads %6.2f ms CPU/s (%5.2f%% of a core)   engine threads %6.2f ms CPU/s   load %.1f",
                    what, (c1[0] - c0[0]) / 1e6 / secs, (c1[0] - c0[0]) / 1e7 / secs, (c1[1] - c0[1]) / 1e6 / secs, load);
        } finally {
            if (runner != null) runner.close();
            f.close();
        }
    }

    @Test
    void hundredAgents() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
        http.createContext("/", ex -> {
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        http.start();
        ServerSocket tcp = new ServerSocket(0, 200, java.net.InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!tcp.isClosed()) {
                try (Socket s = tcp.accept()) {
                    // a connect is all the probe asks
                } catch (Exception e) {
                    return;
                }
            }
        }, "bench-tcp-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        try {
            String tcpHttp = "{\"readiness\":{\"tcp\":{\"port\":" + tcp.getLocalPort() + "},\"periodMs\":1000},"
                    + "\"liveness\":{\"http\":{\"url\":\"http://127.0.0.1:" + http.getAddress().getPort() + "/\"},\"periodMs\":1000}}";
            String log = "{\"readiness\":{\"log\":{\"pattern\":\"listening\"},\"periodMs\":1000}}";
            List<String> lines = new ArrayList<>();
            lines.add(measure("100 agents, no probes", null));
            String tcpOnly = "{\"readiness\":{\"tcp\":{\"port\":" + tcp.getLocalPort() + "},\"periodMs\":1000},"
                    + "\"liveness\":{\"tcp\":{\"port\":" + tcp.getLocalPort() + "},\"periodMs\":1000}}";
            String httpOnly = "{\"readiness\":{\"http\":{\"url\":\"http://127.0.0.1:" + http.getAddress().getPort() + "/\"},\"periodMs\":1000},"
                    + "\"liveness\":{\"http\":{\"url\":\"http://127.0.0.1:" + http.getAddress().getPort() + "/\"},\"periodMs\":1000}}";
            lines.add(measure("100 agents, tcp readiness + tcp liveness, 1 s", tcpOnly));
            lines.add(measure("100 agents, http readiness + http liveness, 1 s", httpOnly));
            lines.add(measure("100 agents, tcp readiness + http liveness, 1 s", tcpHttp));
            lines.add(measure("100 agents, log readiness, 1 s", log));
            System.out.println("ProbeBench (" + WINDOW.toSeconds() + " s windows, " + Runtime.getRuntime().availableProcessors() + " cores):");
            lines.forEach(l -> System.out.println("  " + l));
        } finally {
            http.stop(0);
            tcp.close();
        }
    }
}
