package io.sabot.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sabot.control.ControlClient;
import io.sabot.control.RemoteEngine;
import io.sabot.engine.DeployResult;
import io.sabot.engine.Subscription;
import io.sabot.spec.FleetSpec;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon's security promises, checked on a real daemon process running real agents:
 * owner-only socket, home and files; no TCP or UDP socket; argv never through a shell; secrets
 * in agent environments never shown by anything the engine outputs.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, String> SECRETS = Map.of(
            "API_TOKEN", "tok-XYZ-123",
            "db_password", "hunter2-pw",
            "aws_secret_access_key", "sek-987-abc",
            "SshKey", "key-555-def");

    @TempDir
    static Path tmp;
    static Daemon d;
    static Path home;

    @BeforeAll
    static void daemonWithAFleet() throws Exception {
        home = tmp.resolve("home"); // created by the daemon
        d = new Daemon(home);
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("MODE", "live");
        env.putAll(SECRETS);
        List<Object> agents = List.of(
                Map.of("name", "s", "command", List.of("sleep", "100000"), "env", env),
                Map.of("name", "fd", "builtin", "fraud-detector", "topic", "tx", "env", env),
                Map.of("name", "argv", "command", List.of("printf", "[%s]\\n", "a;b", "$(id)", "*", "`whoami`", "x y", "'q'", "&&", "|", ">out", "$HOME", "\\"),
                        "restart", Map.of("policy", "temporary")),
                Map.of("name", "py", "command", List.of("python3", "-c", "import time; time.sleep(100000)", "a;b", "$(id)", "*", "")));
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, JSON.writeValueAsString(Map.of("topics", List.of(Map.of("name", "tx", "partitions", 4)), "agents", agents)));
        Daemon.Result r = d.run("agents", "deploy", spec.toString());
        assertThat(r.code).as(r.toString()).isZero();
        r = d.run("agents", "start", "--all");
        assertThat(r.code).as(r.toString()).isZero();
        for (JsonNode s : status()) if (!s.path("pid").isNull()) d.remember(s.path("pid").asLong());
    }

    @AfterAll
    static void stop() throws Exception {
        if (d != null) d.close();
    }

    static JsonNode status() throws Exception {
        Daemon.Result r = d.run("agents", "status", "--json");
        assertThat(r.code).as(r.toString()).isZero();
        return JSON.readTree(r.out);
    }

    static long pidOf(String id) throws Exception {
        for (JsonNode s : status()) if (s.path("id").asText().equals(id)) return s.path("pid").asLong(-1);
        throw new AssertionError("no " + id);
    }

    static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    @Order(1)
    void controlSocketIsOwnerOnlyInAnOwnerOnlyHome() throws Exception {
        assertThat(mode(home.resolve("control.sock"))).isEqualTo("rw-------");
        assertThat(Files.readAttributes(home.resolve("control.sock"), java.nio.file.attribute.BasicFileAttributes.class).isOther()).as("a socket").isTrue();
        assertThat(mode(home)).isEqualTo("rwx------");
    }

    @Test
    @Order(2)
    void theDaemonHasNoTcpOrUdpSocket() throws Exception {
        long pid = d.process.pid();
        // sanity: the /proc reading works (the daemon does hold sockets: the control socket, agents' pipes are not sockets)
        assertThat(ProcFacts.socketInodes(pid)).as("the daemon's sockets (unix)").isNotEmpty();
        assertThat(ProcFacts.inetSockets()).as("/proc/net/tcp* and udp* are readable").isNotNull();
        List<ProcFacts.InetSocket> inet = ProcFacts.inetSocketsOf(pid);
        assertThat(inet).as("TCP/UDP sockets of the daemon (pid %d)", pid).isEmpty();
        // nor the orphan watchdog it started
        for (ProcessHandle child : d.process.children().toList()) {
            if (child.info().command().map(c -> c.endsWith("/sh")).orElse(false)) {
                assertThat(ProcFacts.inetSocketsOf(child.pid())).as("watchdog %d", child.pid()).isEmpty();
            }
        }
    }

    @Test
    @Order(3)
    void argvIsPassedLiterallyNeverThroughAShell() throws Exception {
        Await.until(Duration.ofSeconds(10), () -> d.run("agents", "logs", "argv", "--lines", "20").out.contains("[\\]"), "printf ran");
        List<String> printed = d.run("agents", "logs", "argv", "--lines", "20").out.lines().filter(l -> l.startsWith("[") && !l.startsWith("[sabot]")).toList();
        assertThat(printed).containsExactly("[a;b]", "[$(id)]", "[*]", "[`whoami`]", "[x y]", "['q']", "[&&]", "[|]", "[>out]", "[$HOME]", "[\\]");
        assertThat(Files.exists(home.resolve("out"))).as("no redirection happened").isFalse();
        // the process's own argv, as the kernel holds it: exactly the spec's command (setsid execs in place)
        long pid = pidOf("py-0");
        byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
        List<String> argv = new ArrayList<>(List.of(new String(cmdline, StandardCharsets.UTF_8).split("\0", -1)));
        argv.remove(argv.size() - 1); // after the last NUL
        assertThat(argv.subList(1, argv.size())).containsExactly("-c", "import time; time.sleep(100000)", "a;b", "$(id)", "*", "");
        assertThat(argv.get(0)).contains("python");
    }

    @Test
    @Order(4)
    void storeLogAndLockFilesAreOwnerOnly() throws Exception {
        assertOwnerOnlyTree();
    }

    /** Every file under the home is readable and writable by its owner only; every folder is the owner's only. */
    static void assertOwnerOnlyTree() throws IOException {
        List<String> loose = new ArrayList<>();
        try (Stream<Path> all = Files.walk(home)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                boolean groupOrOther = perms.stream().anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"));
                if (groupOrOther) loose.add(home.relativize(p) + " " + PosixFilePermissions.toString(perms));
            }
        }
        assertThat(loose).as("files and folders others could read under the home").isEmpty();
        assertThat(mode(home.resolve("sabot.mv.db"))).isEqualTo("rw-------");
        assertThat(mode(home.resolve("engine.lock"))).isEqualTo("rw-------");
    }

    @Test
    @Order(5)
    void secretsAreMaskedInEverythingTheEngineShows() throws Exception {
        List<String> shown = new ArrayList<>();
        shown.add(d.run("agents", "status", "--json").out);
        shown.add(d.run("agents", "status").out);
        for (String id : List.of("s-0", "fd-0", "py-0")) shown.add(d.run("agents", "logs", id, "--lines", "1000").out);
        shown.add(d.run("partitions", "show", "--json").out);
        shown.add(d.run("telemetry", "traces", "--limit", "200", "--json").out);
        shown.add(d.run("telemetry", "traces", "--limit", "200").out);
        // the spec as a remote client gets it: masked, unless it asks to reveal
        try (ControlClient c = ControlClient.connect(home.resolve("control.sock"))) {
            JsonNode spec = c.call("spec", null);
            shown.add(spec.toString());
            JsonNode env = null;
            for (JsonNode a : spec.path("agents")) if (a.path("name").asText().equals("s")) env = a.path("env");
            assertThat(env.path("MODE").asText()).isEqualTo("live");
            for (String k : SECRETS.keySet()) assertThat(env.path(k).asText()).as(k).isEqualTo("****");
            ObjectNode reveal = JSON.createObjectNode().put("reveal", true);
            assertThat(c.call("spec", reveal).toString()).contains("tok-XYZ-123");
            shown.add(c.call("info", null).toString());
            shown.add(c.call("history", JSON.createObjectNode().put("instance", "s-0")).toString());
        }
        // a subscriber sees the spec events of a deploy masked, and a client that sends the masked
        // spec back (an edit form) changes nothing: the secret stays what it was
        List<String> events = new CopyOnWriteArrayList<>();
        try (RemoteEngine e = new RemoteEngine(home.resolve("control.sock"))) {
            Subscription sub = new ControlClientStream(home).subscribe(events);
            try {
                FleetSpec masked = e.spec();
                DeployResult r = e.deploy(masked);
                assertThat(r.changed()).as("masked secrets sent back are not a change").isEmpty();
                Await.until(Duration.ofSeconds(5), () -> events.stream().anyMatch(l -> l.contains("\"type\":\"spec\"")), "spec event");
            } finally {
                sub.close();
            }
        }
        shown.addAll(events);
        String env = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pidOf("s-0")), "environ")), StandardCharsets.UTF_8);
        assertThat(env).as("the agent itself still gets the real secret").contains("API_TOKEN=tok-XYZ-123");
        // an error about a secret's value never echoes it
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"agents\":[{\"name\":\"b\",\"command\":[\"sleep\"],\"env\":{\"API_TOKEN\":987654321}}]}");
        Daemon.Result r = d.run("agents", "deploy", bad.toString());
        assertThat(r.code).isEqualTo(2);
        shown.add(r.err);
        // and the daemon's own output
        shown.add(Files.readString(home.resolveSibling(home.getFileName() + "-daemon.log")));
        for (String out : shown) {
            for (String secret : SECRETS.values()) assertThat(out).as("output mentions a secret").doesNotContain(secret);
            assertThat(out).doesNotContain("987654321");
        }
    }

    @Test
    @Order(100)
    void afterShutdownEveryFileIsStillOwnerOnly() throws Exception {
        d.process.destroy();
        assertThat(d.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertOwnerOnlyTree();
    }

    /** A raw subscriber collecting the event lines as sent on the wire. */
    static final class ControlClientStream {
        private final Path home;

        ControlClientStream(Path home) { this.home = home; }

        Subscription subscribe(List<String> into) {
            ControlClient c = ControlClient.connect(home.resolve("control.sock"));
            Subscription s = c.stream("subscribe", null, n -> into.add(n.toString()), null);
            return () -> {
                s.close();
                c.close();
            };
        }
    }
}
