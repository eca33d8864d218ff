package io.sabot.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Facts about processes and sockets read from /proc, by pid only (never by name). */
final class ProcFacts {
    private ProcFacts() {}

    /**
     * Every live process whose environment says {@code SABOT_HOME=<home>}: the engine sets it for
     * each agent, and an agent's children inherit it, so these are exactly the agent processes
     * (and their descendants) of that home, wherever they were reparented to.
     */
    static List<Long> agentProcessesOf(Path home) {
        byte[] needle = ("SABOT_HOME=" + home.toString() + "\0").getBytes(StandardCharsets.UTF_8);
        List<Long> out = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                long pid = Long.parseLong(name);
                if (pid == self) continue;
                byte[] env;
                try {
                    env = Files.readAllBytes(p.resolve("environ"));
                } catch (IOException | SecurityException e) {
                    continue; // gone, or not ours
                }
                if (contains(env, needle) && io.sabot.testing.Procs.alive(pid)) out.add(pid);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc: " + e, e);
        }
        return out;
    }

    private static boolean contains(byte[] hay, byte[] needle) {
        // environ entries are NUL-separated: match at the start or right after a NUL
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (i > 0 && hay[i - 1] != 0) continue;
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return true;
        }
        return false;
    }

    /** A one-line description of a process for failure messages: pid, parent, group, state, argv, SABOT_INSTANCE. */
    static String describe(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            String cmd = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
            String inst = "";
            try {
                for (String e : new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")), StandardCharsets.UTF_8).split("\0")) {
                    if (e.startsWith("SABOT_INSTANCE=")) inst = e;
                }
            } catch (IOException e) {
                // not readable
            }
            return pid + "(ppid " + f[1] + " pgid " + f[2] + " state " + f[0] + " " + inst + " " + (cmd.length() > 120 ? cmd.substring(0, 120) + "..." : cmd) + ")";
        } catch (IOException | RuntimeException e) {
            return pid + "(gone)";
        }
    }

    /** Whether a pid is an engine's orphan watchdog (its sh script). */
    static boolean isWatchdog(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8).contains("trap '' INT TERM HUP");
        } catch (IOException e) {
            return false;
        }
    }

    /** Socket inodes held open by a process (its /proc/PID/fd links of the form socket:[N]). */
    static Set<Long> socketInodes(long pid) {
        Set<Long> out = new HashSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : ds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) out.add(Long.parseLong(target.substring(8, target.length() - 1)));
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot read fds of " + pid + ": " + e, e);
        }
        return out;
    }

    /** One row of /proc/net/{tcp,tcp6,udp,udp6}: which table, local address (hex), state (hex), inode. */
    record InetSocket(String table, String local, String state, long inode) {
        boolean listening() { return table.startsWith("tcp") && state.equals("0A"); }
    }

    /** Every IPv4/IPv6 TCP and UDP socket of this network namespace. */
    static List<InetSocket> inetSockets() {
        List<InetSocket> out = new ArrayList<>();
        for (String t : List.of("tcp", "tcp6", "udp", "udp6")) {
            Path f = Path.of("/proc/net", t);
            if (!Files.exists(f)) continue;
            try {
                List<String> lines = Files.readAllLines(f);
                for (String line : lines.subList(1, lines.size())) {
                    String[] c = line.trim().split("\\s+");
                    if (c.length < 10) continue;
                    out.add(new InetSocket(t, c[1], c[3], Long.parseLong(c[9])));
                }
            } catch (IOException e) {
                throw new AssertionError("cannot read " + f + ": " + e, e);
            }
        }
        return out;
    }

    /** The inet sockets (TCP or UDP, any state) that a process holds open. */
    static List<InetSocket> inetSocketsOf(long pid) {
        Set<Long> mine = socketInodes(pid);
        List<InetSocket> out = new ArrayList<>();
        for (InetSocket s : inetSockets()) if (s.inode() != 0 && mine.contains(s.inode())) out.add(s);
        return out;
    }

    /** Names of a process's threads (/proc/PID/task/T/comm; the JVM sets them from Java thread names, cut to 15 bytes). */
    static List<String> threadNames(long pid) {
        List<String> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path t : ds) {
                try {
                    out.add(Files.readString(t.resolve("comm")).trim());
                } catch (IOException e) {
                    // ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list threads of " + pid + ": " + e, e);
        }
        return out;
    }

    /** Sends a signal to one pid with kill(1); false when it is gone. */
    static boolean signal(long pid, String sig) {
        try {
            return new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The process's state letter from /proc/PID/stat ('T' when stopped), or 0 when gone. */
    static char state(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return s.charAt(s.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The load average line, for benchmark output. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
