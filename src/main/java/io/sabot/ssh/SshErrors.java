package io.sabot.ssh;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What ssh (and the remote side) said, as one line for people. ssh exits 255 for its own errors
 * and passes the remote command's exit code through otherwise: 127 is the remote shell's "command
 * not found". Every message names the host. Held by {@code SshErrorsTest} (messages of the OpenSSH
 * client as printed here) and {@code SshRemoteTest} (a real sshd refusing, a real missing sabot).
 */
public final class SshErrors {
    private SshErrors() {}

    /**
     * @param connected the session was up and then ended (else it never came up)
     * @param exit      ssh's exit code, or null when it was still running (no answer in time)
     */
    public static String explain(SshAddress a, boolean connected, Integer exit, String stderr, List<String> stdout) {
        String who = a.display();
        List<String> lines = meaningful(stderr);
        String all = String.join("\n", lines).toLowerCase(Locale.ROOT);
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        String lost = connected ? "lost the connection to " + who + ": " : "cannot reach " + who + ": ";
        if (exit == null) {
            return "no answer from " + who + " in time (ssh was still connecting" + (last.isEmpty() ? "" : ": " + last)
                    + "); check the network, and that ssh needs no prompt (use a key or an agent)";
        }
        if (all.contains("remote host identification has changed")) {
            return lost + "its host key has CHANGED since it was saved in known_hosts, and ssh refused it"
                    + " (if the change is expected, remove the old key with ssh-keygen -R " + a.host() + ")";
        }
        if (all.contains("host key verification failed") || all.contains("no matching host key")) {
            return lost + "its host key was refused (" + last + "); check the key's fingerprint and your known_hosts";
        }
        if (all.contains("permission denied")) {
            return lost + "authentication failed (" + trimPrefix(find(lines, "permission denied")) + "); check your ssh key, agent or ~/.ssh/config";
        }
        if (all.contains("too many authentication failures")) return lost + "authentication failed (too many authentication failures)";
        if (all.contains("connection refused")) {
            return lost + "connection refused" + (a.port() == null ? "" : " on port " + a.port()) + " (is sshd running there?)";
        }
        if (all.contains("could not resolve hostname") || all.contains("name or service not known")) return lost + "unknown host name \"" + a.host() + "\"";
        if (all.contains("no route to host") || all.contains("network is unreachable")) return lost + "no route to host (" + last + ")";
        if (all.contains("timed out")) return lost + "connection timed out (" + last + ")";
        if (all.contains("not responding")) return lost + "the ssh server stopped answering (" + last + ")";
        if (exit == 127) {
            if (lines.isEmpty() || all.contains(SshCommand.REMOTE_PROGRAM + ": command not found") || all.contains(SshCommand.REMOTE_PROGRAM + ": not found")
                    || all.contains("sabot: no such file")) {
                return SshCommand.REMOTE_PROGRAM + " is not on the PATH of " + who
                        + " (install it there, or put its bin directory on the PATH of non-interactive ssh sessions)";
            }
            return "sabot on " + who + " cannot run: " + last;
        }
        if (exit == 2 && all.contains("bridge") && (all.contains("unmatched argument") || all.contains("unknown"))) {
            return "the sabot on " + who + " is too old for --host (it has no `bridge` command); install sabot "
                    + io.sabot.control.Protocol.sabotVersion() + " or newer there";
        }
        if (all.contains("connection closed") || all.contains("connection reset") || all.contains("kex_exchange_identification")
                || all.contains("broken pipe")) {
            return lost + (connected ? "" : "the server closed the connection during the ssh handshake; ") + last;
        }
        if (exit == 255) return lost + (last.isEmpty() ? "ssh failed (exit 255)" : last);
        StringBuilder m = new StringBuilder(connected ? "the sabot bridge on " + who + " ended" : "sabot on " + who + " did not answer as sabot does");
        m.append(" (exit ").append(exit).append(')');
        if (!last.isEmpty()) m.append(": ").append(last);
        if (!connected && stdout != null && !stdout.isEmpty()) {
            m.append("; it printed \"").append(stdout.get(0)).append('"');
            if (stdout.size() > 1) m.append(" and ").append(stdout.size() - 1).append(" more lines");
            m.append(" (a shell startup file that prints, or not the sabot you expect?)");
        }
        return m.toString();
    }

    /** stderr without ssh's notes that are not errors (added known hosts, post-quantum warnings, banners of blank lines). */
    static List<String> meaningful(String stderr) {
        List<String> out = new ArrayList<>();
        if (stderr == null) return out;
        for (String l : stderr.split("\r?\n")) {
            String t = l.strip();
            if (t.isEmpty()) continue;
            String lc = t.toLowerCase(Locale.ROOT);
            if (lc.startsWith("warning: permanently added") || lc.startsWith("** ") || lc.contains("post-quantum")
                    || lc.startsWith("warning: the server may need to be upgraded")) continue;
            out.add(t.length() > 300 ? t.substring(0, 300) + "\u2026" : t);
        }
        return out;
    }

    private static String find(List<String> lines, String needle) {
        for (String l : lines) if (l.toLowerCase(Locale.ROOT).contains(needle)) return l;
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** "root@127.0.0.1: Permission denied (publickey)." -> "Permission denied (publickey)" */
    private static String trimPrefix(String l) {
        int i = l.toLowerCase(Locale.ROOT).indexOf("permission denied");
        String s = i > 0 ? l.substring(i) : l;
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
