package io.sabot.agent;

import io.sabot.protocol.ProtocolCodec;
import io.sabot.protocol.ProtocolMessages.Assign;
import io.sabot.protocol.ProtocolMessages.Drain;
import io.sabot.protocol.ProtocolMessages.Drained;
import io.sabot.protocol.ProtocolMessages.Heartbeat;
import io.sabot.protocol.ProtocolMessages.PartitionOffset;
import io.sabot.protocol.ProtocolMessages.Ready;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Start->ready time and memory of a built-in agent under several JVM flag sets (figures in
 * docs/benchmarks.md). Uses target/sabot.jar (build it first: {@code mvn -q -B package -DskipTests})
 * so application CDS can be tried. Rounds are interleaved across flag sets to spread machine noise.
 * Run: {@code mvn -q -B -Pbench test -Dtest=BuiltinFlagsBench}; optional second JDK:
 * {@code -Dsabot.bench.java2=/usr/lib/jvm/temurin-25-jdk-amd64}.
 */
@Tag("bench")
class BuiltinFlagsBench {
    static final int ROUNDS = Integer.getInteger("sabot.bench.rounds", 7);
    static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path home;

    record Config(String name, List<String> argv) {}

    record Result(double readyMs, double rssReadyMb, double rssWorkMb, double pssWorkMb, int threads) {}

    @Test
    void flagSets() throws Exception {
        Path jar = Path.of(System.getProperty("sabot.jar", "target/sabot.jar")).toAbsolutePath();
        List<String> cp = Files.isRegularFile(jar) ? List.of(jar.toString()) : BuiltinLauncher.currentClasspath();
        String cps = String.join(java.io.File.pathSeparator, cp);
        Path javaHome = Path.of(System.getProperty("java.home"));
        String java = javaHome.resolve("bin/java").toString();
        List<Config> configs = new ArrayList<>();
        configs.add(new Config("JVM defaults", List.of(java, "-cp", cps, BuiltinLauncher.MAIN_CLASS, "fraud-detector")));
        configs.add(new Config("C1 + SerialGC", List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", cps,
                BuiltinLauncher.MAIN_CLASS, "fraud-detector")));
        configs.add(new Config("BuiltinLauncher (256 MB limit), no app CDS",
                BuiltinLauncher.argv(javaHome, cp, "fraud-detector", 256, null)));
        if (cp.size() == 1) {
            configs.add(new Config("BuiltinLauncher (256 MB limit) + app CDS", cdsArgv(javaHome, cp, "jdk" + Runtime.version().feature())));
        }
        String java2 = System.getProperty("sabot.bench.java2");
        if (java2 != null && Files.isDirectory(Path.of(java2))) {
            int v = BuiltinLauncher.javaFeatureVersion(Path.of(java2));
            configs.add(new Config("JDK " + v + ": BuiltinLauncher (256 MB limit), no app CDS",
                    BuiltinLauncher.argv(Path.of(java2), cp, "fraud-detector", 256, null)));
            if (cp.size() == 1) {
                configs.add(new Config("JDK " + v + ": BuiltinLauncher (256 MB limit) + app CDS", cdsArgv(Path.of(java2), cp, "jdk" + v)));
            }
        }
        Map<Config, List<Result>> results = new LinkedHashMap<>();
        for (Config c : configs) results.put(c, new ArrayList<>());
        for (int r = 0; r < ROUNDS; r++) {
            for (Config c : configs) results.get(c).add(once(c.argv()));
        }
        System.out.println("class path: " + cps + "; " + ROUNDS + " rounds; java " + Runtime.version());
        System.out.println("| flags | start->ready min / median | RSS at ready | after 6 s of work: RSS / PSS | threads |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (Map.Entry<Config, List<Result>> e : results.entrySet()) {
            List<Result> rs = e.getValue();
            double[] ready = rs.stream().mapToDouble(Result::readyMs).sorted().toArray();
            System.out.printf("| %s | %.0f / %.0f ms | %.1f MB | %.1f / %.1f MB | %d |%n", e.getKey().name(), ready[0], median(ready),
                    median(rs.stream().mapToDouble(Result::rssReadyMb).toArray()),
                    median(rs.stream().mapToDouble(Result::rssWorkMb).toArray()),
                    median(rs.stream().mapToDouble(Result::pssWorkMb).toArray()),
                    (int) median(rs.stream().mapToDouble(Result::threads).toArray()));
        }
        for (Config c : configs) System.out.println(c.name() + ": " + String.join(" ", c.argv()));
    }

    /** Lets the launcher create the app CDS archive with one training run, then returns the argv that uses it. */
    private List<String> cdsArgv(Path javaHome, List<String> cp, String tag) throws Exception {
        Path cds = home.resolve("cds-" + tag);
        List<String> training = BuiltinLauncher.argv(javaHome, cp, "fraud-detector", 256, cds);
        if (training.stream().noneMatch(a -> a.startsWith("-XX:ArchiveClassesAtExit="))) {
            throw new AssertionError("expected a training run: " + training);
        }
        once(training); // drains and exits: the archive is written at exit
        long deadline = System.nanoTime() + T.toNanos();
        while (true) {
            List<String> argv = BuiltinLauncher.argv(javaHome, cp, "fraud-detector", 256, cds);
            if (argv.stream().anyMatch(a -> a.startsWith("-XX:SharedArchiveFile="))) return argv;
            if (System.nanoTime() > deadline) throw new AssertionError("archive never appeared in " + cds);
            Thread.sleep(250); // the launcher waits for the archive to be 2 s old
        }
    }

    private Result once(List<String> argv) throws Exception {
        try (AgentProcess p = AgentProcess.startArgv(argv, home, Map.of("SABOT_HEARTBEAT_MS", "200"))) {
            AgentProcess.Msg ready = p.awaitMsg(Ready.class, x -> true, 0, T);
            double readyMs = (ready.nanos() - p.startNanos) / 1e6;
            double rssReady = p.rssBytes() / 1048576.0;
            List<PartitionOffset> parts = new ArrayList<>();
            for (int i = 0; i < 4; i++) parts.add(new PartitionOffset(i, 0));
            p.send(ProtocolCodec.encode(new Assign(1, "transactions", 500, System.currentTimeMillis() - 20_000, parts)));
            int from = p.messageCount();
            for (int i = 0; i < 30; i++) from = p.messages().indexOf(p.awaitMsg(Heartbeat.class, h -> true, from, T)) + 1; // 6 s
            double rss = p.rssBytes() / 1048576.0;
            double pss = pssBytes(p.pid) / 1048576.0;
            int threads = threads(p.pid);
            p.send(ProtocolCodec.encode(new Drain()));
            p.await(Drained.class, T);
            p.awaitExit(T);
            return new Result(readyMs, rssReady, rss, pss, threads);
        }
    }

    private static long pssBytes(long pid) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/smaps_rollup"))) {
            if (l.startsWith("Pss:")) return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
        return -1;
    }

    private static int threads(long pid) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("Threads:")) return Integer.parseInt(l.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
