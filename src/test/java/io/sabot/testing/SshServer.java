package io.sabot.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway OpenSSH server on a loopback port, for tests of {@code --host}: generated host key,
 * one generated user key per "login" (each with its own remote PATH through authorized_keys'
 * {@code environment=}, so one login finds this build's {@code sabot} and another finds a fake or
 * none), {@code StrictModes no}, its own PidFile, a free port. The client side is
 * {@code SABOT_SSH_COMMAND="ssh -F CONFIG -i KEY -o UserKnownHostsFile=... -o StrictHostKeyChecking=accept-new -p PORT"}:
 * ssh reads ~/.ssh from the passwd entry, not $HOME, so nothing of the real user's is used or written.
 * {@link #close} ends sshd and every process under it (sessions, bridges) by PID.
 */
public final class SshServer implements AutoCloseable {
    public static final String SSHD = "/usr/sbin/sshd";
    public final Path dir;
    public final int port;
    public final String user = System.getProperty("user.name");
    private final Process sshd;
    private final Map<String, Path> keys = new LinkedHashMap<>();
    private final Path clientConfig;
    private final Path knownHosts;

    /** Whether this machine can run the fixture (openssh-server and -client installed; .ci/run installs them). */
    public static boolean available() {
        return Files.isExecutable(Path.of(SSHD)) && onPath("ssh") && onPath("ssh-keygen");
    }

    private static boolean onPath(String prog) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) if (Files.isExecutable(Path.of(d, prog))) return true;
        return false;
    }

    /**
     * @param logins login name to the remote PATH's first directory (null: a PATH without sabot)
     */
    public SshServer(Path dir, Map<String, Path> logins) throws Exception {
        this.dir = Files.createDirectories(dir);
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sabot-test-host", "-f", dir.resolve("host_key").toString());
        StringBuilder auth = new StringBuilder();
        for (Map.Entry<String, Path> l : logins.entrySet()) {
            Path key = dir.resolve("key_" + l.getKey());
            run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sabot-test-" + l.getKey(), "-f", key.toString());
            keys.put(l.getKey(), key);
            String path = (l.getValue() == null ? "" : l.getValue() + ":") + "/usr/local/bin:/usr/bin:/bin";
            auth.append("environment=\"PATH=").append(path).append("\" ").append(Files.readString(key.resolveSibling(key.getFileName() + ".pub")).strip()).append('\n');
        }
        // a key that sshd does not know (authentication must fail)
        Path stranger = dir.resolve("key_stranger");
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sabot-test-stranger", "-f", stranger.toString());
        keys.put("stranger", stranger);
        Files.writeString(dir.resolve("authorized_keys"), auth.toString());
        Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege separation folder
        knownHosts = dir.resolve("known_hosts");
        clientConfig = dir.resolve("ssh_config");
        Files.writeString(clientConfig, "Host *\n  IdentitiesOnly yes\n  GlobalKnownHostsFile /dev/null\n");
        Process p = null;
        int chosen = -1;
        for (int attempt = 0; attempt < 5 && p == null; attempt++) {
            chosen = freePort();
            Path cfg = dir.resolve("sshd_config");
            Files.writeString(cfg, String.join("\n",
                    "Port " + chosen,
                    "ListenAddress 127.0.0.1",
                    "HostKey " + dir.resolve("host_key"),
                    "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                    "StrictModes no",
                    "PidFile " + dir.resolve("sshd.pid"),
                    "PermitUserEnvironment yes",
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "UsePAM no",
                    "PermitRootLogin prohibit-password",
                    "MaxStartups 200",
                    "MaxSessions 100",
                    "LogLevel VERBOSE", ""));
            Process q = new ProcessBuilder(SSHD, "-D", "-e", "-f", cfg.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.log").toFile())).start();
            if (listening(q, chosen)) p = q;
            else {
                q.destroyForcibly();
                q.waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (p == null) throw new IllegalStateException("sshd did not start; its log:\n" + Files.readString(dir.resolve("sshd.log")));
        this.sshd = p;
        this.port = chosen;
    }

    private static boolean listening(Process q, int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!q.isAlive()) return false; // e.g. the port was taken meanwhile
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        return false;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
    }

    /** The SABOT_SSH_COMMAND value for a login (its key), or {@code "stranger"} for a key sshd refuses. */
    public String sshCommand(String login) {
        return sshCommand(login, knownHosts, "accept-new");
    }

    /** As {@link #sshCommand(String)} with another known_hosts file and StrictHostKeyChecking value. */
    public String sshCommand(String login, Path knownHostsFile, String strict) {
        Path key = keys.get(login);
        if (key == null) throw new IllegalArgumentException("no login " + login);
        return "ssh -F '" + clientConfig + "' -i '" + key + "' -o UserKnownHostsFile='" + knownHostsFile + "' -o StrictHostKeyChecking=" + strict
                + " -p " + port;
    }

    public Map<String, String> env(String login) { return Map.of("SABOT_SSH_COMMAND", sshCommand(login)); }

    /** {@code ssh://USER@127.0.0.1:PORT?home=HOME}. */
    public String url(Path home) { return "ssh://" + user + "@127.0.0.1:" + port + (home == null ? "" : "?home=" + home); }

    public long pid() { return sshd.pid(); }

    /** What sshd logged (for assertion messages). */
    public String log() {
        try {
            return Files.readString(dir.resolve("sshd.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * A {@code sabot} for the remote PATH that runs this build (the test class path) in a fresh JVM.
     * Returns its folder.
     */
    public static Path sabotOfThisBuild(Path dir) throws IOException {
        String java = ProcessHandle.current().info().command().orElseThrow();
        return script(dir, "#!/bin/sh\nexec '" + java + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -cp '"
                + System.getProperty("java.class.path") + "' io.sabot.Main \"$@\"\n");
    }

    /** A folder with an executable {@code sabot} holding {@code body}. */
    public static Path script(Path dir, String body) throws IOException {
        Files.createDirectories(dir);
        Path f = dir.resolve("sabot");
        Files.writeString(f, body);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** Session processes under sshd (one per open ssh connection), for tests that cut a connection. */
    public List<ProcessHandle> sessions() {
        List<ProcessHandle> out = new ArrayList<>();
        sshd.toHandle().children().forEach(out::add);
        return out;
    }

    @Override
    public void close() throws Exception {
        List<ProcessHandle> under = new ArrayList<>();
        sshd.toHandle().descendants().forEach(under::add);
        sshd.destroy();
        if (!sshd.waitFor(10, TimeUnit.SECONDS)) sshd.destroyForcibly();
        for (ProcessHandle h : under) h.destroyForcibly(); // sessions and the bridges under them
        for (ProcessHandle h : under) h.onExit().get(10, TimeUnit.SECONDS);
    }
}
