package io.sabot.ssh;

import io.sabot.control.MuxTransport;
import io.sabot.control.RemoteEngine;
import io.sabot.control.Transport;
import java.time.Duration;
import java.util.Map;

/**
 * Reaching the engine of another host: {@code ssh [SABOT_SSH_COMMAND options] HOST sabot bridge},
 * the control protocol multiplexed over that one session. No port is opened on either side.
 */
public final class Ssh {
    /** How long to wait for the remote bridge's first line (ssh's own ConnectTimeout is 20 s). */
    public static final Duration BANNER_TIMEOUT = Duration.ofSeconds(45);

    private Ssh() {}

    /** An ssh session to the host, ready to carry channels; {@code NoEngineException} (exit 3) with a clear line when it is not. */
    public static Transport connect(SshAddress a) { return connect(a, System.getenv(), System.console() == null); }

    public static Transport connect(SshAddress a, Map<String, String> env, boolean batch) {
        return MuxTransport.start(SshCommand.argv(a, env, batch), null, a.display() + (a.home() == null ? "" : " (home " + a.home() + ")"),
                (connected, exit, stderr, stdout) -> SshErrors.explain(a, connected, exit, stderr, stdout), BANNER_TIMEOUT);
    }

    /** The engine of the host. */
    public static RemoteEngine engine(SshAddress a) { return new RemoteEngine(connect(a)); }
}
