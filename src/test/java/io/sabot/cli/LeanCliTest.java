package io.sabot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.Daemon;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lean path prints exactly what the full CLI prints, and leaves every other form to it. */
class LeanCliTest {
    @TempDir
    Path tmp;

    private static Daemon.Result lean(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = LeanCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Daemon.Result(code, out.toString(), err.toString());
    }

    /** Figures that change from one call to the next (pids, durations, uptimes, memory) and the padding they cause. */
    private static String shape(String s) {
        return s.replaceAll("[0-9]+", "N").replaceAll("N(\\.N)? (KiB|MiB)", "MEM").replaceAll("[ ]+", " ");
    }

    private static void same(Daemon.Result lean, Daemon.Result full, boolean exact) {
        assertThat(lean.code).as("exit code\nlean: " + lean + "\nfull: " + full).isEqualTo(full.code);
        if (exact) {
            assertThat(lean.out).isEqualTo(full.out);
            assertThat(lean.err).isEqualTo(full.err);
        } else {
            assertThat(shape(lean.out)).isEqualTo(shape(full.out));
            assertThat(shape(lean.err)).isEqualTo(shape(full.err));
        }
    }

    private static String[] withHome(Path home, String... args) {
        String[] a = new String[args.length + 2];
        System.arraycopy(args, 0, a, 0, args.length);
        a[args.length] = "--home";
        a[args.length + 1] = home.toString();
        return a;
    }

    @Test
    void sameOutputAsTheFullCli() throws Exception {
        Path home = tmp.resolve("home");
        assertThat(lean("--version").out).isEqualTo(Daemon.cli("--version").out);
        // no engine yet
        same(lean(withHome(home, "agents", "status")), Daemon.cli(withHome(home, "agents", "status")), true);
        same(lean(withHome(home, "agents", "start", "--all")), Daemon.cli(withHome(home, "agents", "start", "--all")), true);
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, "{\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":3},"
                + "{\"name\":\"b\",\"command\":[\"sleep\",\"100000\"]}]}");
        try (Daemon d = new Daemon(home)) {
            same(lean(withHome(home, "agents", "status")), d.run("agents", "status"), true); // nothing deployed
            assertThat(d.run("agents", "deploy", spec.toString()).code).isZero();
            same(lean(withHome(home, "agents", "status")), d.run("agents", "status"), true); // all STOPPED: no changing figures
            Daemon.Result started = lean(withHome(home, "agents", "start", "--all"));
            Daemon.Result stopped = d.run("agents", "stop", "--all");
            same(lean(withHome(home, "agents", "stop", "--all")), stopped, false); // the same shape twice: nothing left to stop
            Daemon.Result startedFull = d.run("agents", "start", "--all");
            same(started, startedFull, false);
            // the MEMORY column reads "-" until the sampler's first look at a new process: both reads after it
            try (io.sabot.control.RemoteEngine r = new io.sabot.control.RemoteEngine(home.resolve("control.sock"))) {
                io.sabot.testing.Await.until(java.time.Duration.ofSeconds(30), () -> r.status(io.sabot.engine.Selection.everything()).stream()
                        .allMatch(i -> i.memoryBytes() > 0), "every instance has a memory figure");
            }
            same(lean(withHome(home, "agents", "status")), d.run("agents", "status"), false);
            same(lean(withHome(home, "agents", "status", "a-1", "b")), d.run("agents", "status", "a-1", "b"), false);
            same(lean(withHome(home, "agents", "restart", "a")), d.run("agents", "restart", "a"), false);
            same(lean(withHome(home, "agents", "start", "nope")), d.run("agents", "start", "nope"), true); // unknown: bad input
            // --home before the command, as the usage puts it
            Daemon.Result leading = lean("--home", home.toString(), "agents", "status", "a-1", "b");
            assertThat(leading.code).isNotEqualTo(LeanCli.NOT_HANDLED);
            same(leading, d.run("agents", "status", "a-1", "b"), false);
            same(lean("--home=" + home, "agents", "status"), d.run("agents", "status"), false);
            for (String line : d.run("agents", "status", "--json").out.split("\"pid\" : ")) {
                if (Character.isDigit(line.charAt(0))) d.remember(Long.parseLong(line.substring(0, line.indexOf(','))));
            }
        }
    }

    @Test
    void everyOtherFormIsLeftToTheFullCli() {
        for (String[] args : new String[][] {{"agents", "status", "--json"}, {"agents", "start"}, {"agents", "start", "--all", "a"},
                {"agents", "stop", "--force", "--all"}, {"agents", "restart", "--rolling", "a"}, {"agents", "status", "--help"},
                {"agents", "logs", "a"}, {"daemon"}, {"--help"}, {"agents"}, {"agents", "start", "--timeout", "5", "a"},
                {"agents", "status", "@file"}, {"--home", "h", "daemon"}, {"--home", "h", "--version"}, {"--home", "h", "agents", "status", "--home", "g"},
                {"--home", "h", "bridge"}, {"--home"}}) {
            assertThat(lean(args).code).as(String.join(" ", args)).isEqualTo(LeanCli.NOT_HANDLED);
        }
    }
}
