package io.sabot.ssh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sabot.control.RemoteEngine;
import io.sabot.control.Transport;
import io.sabot.engine.Selection;
import io.sabot.engine.Subscription;
import io.sabot.testing.CliProcess;
import io.sabot.testing.Daemon;
import io.sabot.testing.SshServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a command over SSH costs, on one machine (sshd on loopback, so no network time): the whole
 * {@code sabot --host ssh://127.0.0.1:PORT agents status --json} (a JVM here, ssh, a JVM there), the
 * same command locally, the bridge alone (ssh + the remote JVM up to the bridge's first line), ssh
 * alone ({@code ssh HOST true}), and, for the choice of multiplexing streams: a stream opened as a
 * channel of a live session versus one opened on a new session. Medians of N runs.
 * Run: {@code mvn -B -Pbench test -Dtest=RemoteCommandBench [-Dsabot.bench.runs=21]}
 */
@Tag("bench")
class RemoteCommandBench {
    @TempDir
    Path tmp;

    @Test
    void remoteCommandCost() throws Exception {
        assumeTrue(SshServer.available(), "openssh-server and -client are needed");
        int runs = Integer.getInteger("sabot.bench.runs", 15);
        Map<String, Path> logins = new LinkedHashMap<>();
        logins.put("sabot", SshServer.sabotOfThisBuild(tmp.resolve("bin")));
        Path home = tmp.resolve("home");
        try (SshServer sshd = new SshServer(tmp.resolve("sshd"), logins); Daemon d = new Daemon(home)) {
            Path spec = tmp.resolve("spec.json");
            Files.writeString(spec, "{\"agents\":[{\"name\":\"web\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":10}]}");
            d.run("agents", "deploy", spec.toString());
            d.run("agents", "start", "--all");
            Map<String, String> env = sshd.env("sabot");
            String url = sshd.url(home);
            List<Double> local = new ArrayList<>(), remote = new ArrayList<>(), bridge = new ArrayList<>(), ssh = new ArrayList<>();
            List<Double> channel = new ArrayList<>(), session = new ArrayList<>(), call = new ArrayList<>();
            List<String> sshArgv = new ArrayList<>(SshCommand.base(env));
            sshArgv.addAll(List.of("-T", "-o", "BatchMode=yes", "--", sshd.user + "@127.0.0.1"));
            for (int i = 0; i < runs + 1; i++) { // the first round warms the page cache and is dropped
                boolean keep = i > 0;
                long t0 = System.nanoTime();
                if (CliProcess.run(null, tmp, "agents", "status", "--json", "--home", home.toString()).code != 0) throw new AssertionError("local");
                if (keep) local.add(ms(t0));
                t0 = System.nanoTime();
                Daemon.Result r = CliProcess.run(env, tmp, "--host", url, "agents", "status", "--json");
                if (r.code != 0) throw new AssertionError(r.toString());
                if (keep) remote.add(ms(t0));
                t0 = System.nanoTime();
                List<String> t = new ArrayList<>(sshArgv);
                t.add("true");
                if (new ProcessBuilder(t).redirectErrorStream(true).start().waitFor() != 0) throw new AssertionError("ssh true");
                if (keep) ssh.add(ms(t0));
                t0 = System.nanoTime();
                Transport tr = Ssh.connect(SshAddress.parse(url), env, true); // returns once the bridge's banner is in
                if (keep) bridge.add(ms(t0));
                try (RemoteEngine e = new RemoteEngine(tr)) {
                    long c0 = System.nanoTime();
                    e.status(Selection.everything());
                    if (keep) call.add(ms(c0));
                    c0 = System.nanoTime();
                    try (Subscription s = e.subscribe(ev -> { })) {
                        if (keep) channel.add(ms(c0));
                    }
                }
                t0 = System.nanoTime();
                try (RemoteEngine e = new RemoteEngine(Ssh.connect(SshAddress.parse(url), env, true)); Subscription s = e.subscribe(ev -> { })) {
                    if (keep) session.add(ms(t0));
                }
            }
            double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            System.out.printf(Locale.ROOT, "%nremote command cost, median of %d (load average %.1f on %d cores)%n", runs, load,
                    Runtime.getRuntime().availableProcessors());
            row("sabot agents status --json (local, new JVM)", local);
            row("sabot --host ssh://... agents status --json", remote);
            row("ssh HOST true (ssh alone)", ssh);
            row("bridge alone: ssh + remote sabot bridge up to its banner", bridge);
            row("one status call over a live session", call);
            row("a stream as a new channel of a live session", channel);
            row("a stream on a new ssh session", session);
        }
        TimeUnit.MILLISECONDS.sleep(1);
    }

    private static double ms(long t0) { return (System.nanoTime() - t0) / 1e6; }

    private static void row(String what, List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        System.out.printf(Locale.ROOT, "  %-58s median %8.1f ms   min %8.1f   max %8.1f%n", what, s.get(s.size() / 2), s.get(0), s.get(s.size() - 1));
    }
}
