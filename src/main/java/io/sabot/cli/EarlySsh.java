package io.sabot.cli;

import io.sabot.control.EarlyProcess;
import io.sabot.ssh.SshAddress;
import io.sabot.ssh.SshCommand;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * For a command that will talk to another host ({@code --host ssh://...} or {@code SABOT_HOST}),
 * starts {@code ssh HOST sabot bridge} before the CLI loads its command model, so the ssh handshake
 * and the remote JVM's start run while this JVM starts ({@link EarlyProcess}). A cheap guess over
 * the raw arguments, with the same rules as {@link CommonOptions#remote} (--host, else SABOT_HOST;
 * {@code --home} names the remote home); when the CLI then connects with another command line, or
 * not at all (bad input, help), the early ssh is ended. Commands that run here (daemon, bridge)
 * and help or version never start one.
 */
final class EarlySsh {
    private static final Set<String> NEVER = Set.of("daemon", "bridge", "help", "--help", "-h", "--version", "-V");

    private EarlySsh() {}

    static void start(String[] args, Map<String, String> env) {
        List<String> argv = argv(args, env);
        if (argv != null) EarlyProcess.start(argv);
    }

    /** The ssh command line the CLI will run for {@code args}, or null when it will run none (or the guess is unsure). */
    static List<String> argv(String[] args, Map<String, String> env) {
        String host = null, home = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (NEVER.contains(a)) return null;
            if (a.equals("--host") && i + 1 < args.length) host = host == null ? args[++i] : null;
            else if (a.startsWith("--host=")) host = host == null ? a.substring(7) : null;
            else if (a.equals("--home") && i + 1 < args.length) home = home == null ? args[++i] : null;
            else if (a.startsWith("--home=")) home = home == null ? a.substring(7) : null;
        }
        if (host == null) host = env.get(CommonOptions.HOST_ENV);
        if (host == null || host.isBlank() || host.trim().equals("local")) return null;
        try {
            SshAddress a = SshAddress.parse(host);
            if (home != null) {
                if (a.home() != null && !a.home().equals(home)) return null; // the CLI explains
                a = a.withHome(home);
            }
            return SshCommand.argv(a, env, System.console() == null);
        } catch (RuntimeException e) {
            return null; // bad input: the CLI names it
        }
    }
}
