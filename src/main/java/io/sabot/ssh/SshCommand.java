package io.sabot.ssh;

import io.sabot.shell.ShellWords;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line that reaches a remote engine: the user's own {@code ssh} (their keys, agent,
 * known_hosts and {@code ~/.ssh/config}; Sabot stores nothing), or {@code SABOT_SSH_COMMAND} with its
 * options, then Sabot's defaults (which the user's options override: ssh keeps the first value it
 * gets for an option), then the destination and the remote command {@code sabot bridge [--home H]}.
 */
public final class SshCommand {
    public static final String ENV = "SABOT_SSH_COMMAND";
    /** The program run on the remote host (from the remote user's PATH). */
    public static final String REMOTE_PROGRAM = "sabot";

    private SshCommand() {}

    /**
     * @param env   the environment to read {@code SABOT_SSH_COMMAND} from
     * @param batch no prompts (no terminal to show them on: the console, tests)
     */
    public static List<String> argv(SshAddress a, Map<String, String> env, boolean batch) {
        List<String> argv = new ArrayList<>(base(env));
        // no terminal on the far side; notice a dead network within a minute; give up connecting after 20 s
        argv.addAll(List.of("-T", "-o", "ConnectTimeout=20", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3"));
        if (batch) argv.addAll(List.of("-o", "BatchMode=yes"));
        if (a.port() != null) argv.addAll(List.of("-p", a.port().toString()));
        argv.add("--");
        argv.add((a.user() == null ? "" : a.user() + "@") + a.host());
        argv.add(remoteCommand(a));
        return argv;
    }

    /** {@code ssh}, or {@code SABOT_SSH_COMMAND} split into words as a shell would. */
    public static List<String> base(Map<String, String> env) {
        String custom = env == null ? null : env.get(ENV);
        if (custom == null || custom.isBlank()) return List.of("ssh");
        List<String> words;
        try {
            words = ShellWords.split(custom);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENV + ": " + e.getMessage());
        }
        if (words.isEmpty()) return List.of("ssh");
        return words;
    }

    /** What the remote shell runs: {@code sabot bridge}, with the home quoted for that shell ({@code ~/} left to expand). */
    public static String remoteCommand(SshAddress a) {
        StringBuilder c = new StringBuilder(REMOTE_PROGRAM).append(" bridge");
        if (a.home() != null) {
            String h = a.home();
            c.append(" --home ");
            if (h.startsWith("~/")) c.append("~/").append(h.length() > 2 ? ShellWords.quote(h.substring(2)) : "");
            else c.append(ShellWords.quote(h));
        }
        return c.toString();
    }
}
