package io.sabot.cli;

import io.sabot.control.RemoteEngine;
import io.sabot.host.Homes;
import io.sabot.ssh.Ssh;
import io.sabot.ssh.SshAddress;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options every command takes. They may also be given before the command ({@code sabot --host URL
 * agents status}): a command takes the nearest value, its own first, then its parents'.
 */
public final class CommonOptions {
    /** The default of {@code --host}. */
    public static final String HOST_ENV = "SABOT_HOST";

    @Option(names = "--home", paramLabel = "DIR", description = "Sabot home (default: $SABOT_HOME, else $XDG_DATA_HOME/sabot, else ~/.local/share/sabot); with --host, the home on that host")
    String home;

    @Option(names = "--host", paramLabel = "URL", description = "the engine of another host, through your ssh: ssh://[user@]host[:port][?home=/path] "
            + "(default: $SABOT_HOST; `local` for this machine; $SABOT_SSH_COMMAND replaces ssh and its options)")
    String host;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /** The local home (a command that runs the engine here). */
    Path home() { return Homes.resolve(explicitHome()); }

    /** --home as given on this command or a parent, or null. */
    String explicitHome() {
        if (home != null) return home;
        CommonOptions p = parent();
        return p == null ? null : p.explicitHome();
    }

    /** --host as given on this command or a parent, or null (SABOT_HOST not consulted). */
    String explicitHost() {
        if (host != null) return host;
        CommonOptions p = parent();
        return p == null ? null : p.explicitHost();
    }

    private CommonOptions parent() {
        CommandSpec s = mixee == null ? null : mixee.parent();
        while (s != null) {
            Object mixin = s.mixins().containsKey("common") ? s.mixins().get("common").userObject() : null;
            if (mixin instanceof CommonOptions c) return c;
            s = s.parent();
        }
        return null;
    }

    /** The remote host to talk to (--host, else $SABOT_HOST), or null for this machine. */
    SshAddress remote() {
        String h = explicitHost();
        if (h == null) h = System.getenv(HOST_ENV);
        if (h == null || h.isBlank() || h.trim().equals("local")) return null;
        SshAddress a;
        try {
            a = SshAddress.parse(h);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(explicitHost() == null ? HOST_ENV + e.getMessage().substring("--host".length()) : e.getMessage());
        }
        String hm = explicitHome();
        if (hm != null) {
            if (a.home() != null && !a.home().equals(hm)) {
                throw new IllegalArgumentException("--home " + hm + " and the home in " + a.url() + " differ; give the remote home once");
            }
            a = a.withHome(hm);
        }
        return a;
    }

    /** Refuses --host for commands that act on this machine (the engine itself, the bridge). */
    void requireLocal(String command) {
        if (explicitHost() != null && !explicitHost().trim().equals("local")) {
            throw new IllegalArgumentException(command + " runs here; --host does not apply (to run it on another host: ssh HOST sabot " + command + ")");
        }
    }

    /**
     * The engine: of this home over its control socket, or of another host through ssh.
     * NoEngineException (exit 3) when none answers, with ssh's reason when that is why.
     */
    /** The same engine for long-lived use ({@code logs --follow}): it reconnects when the connection drops. */
    io.sabot.multihost.HostConnection reconnecting() {
        SshAddress a = remote();
        return a != null ? io.sabot.multihost.HostConnection.ssh(a.display(), a)
                : io.sabot.multihost.HostConnection.local("home " + home(), Homes.socket(home()));
    }

    RemoteEngine connect() {
        SshAddress a = remote();
        if (a != null) return Ssh.engine(a);
        return new RemoteEngine(Homes.socket(home()));
    }
}
