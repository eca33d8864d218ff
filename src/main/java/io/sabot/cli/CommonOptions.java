package io.sabot.cli;

import io.sabot.control.RemoteEngine;
import io.sabot.host.Homes;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command takes. */
public final class CommonOptions {
    @Option(names = "--home", paramLabel = "DIR", description = "Sabot home (default: $SABOT_HOME, else $XDG_DATA_HOME/sabot, else ~/.local/share/sabot)")
    String home;

    Path home() { return Homes.resolve(home); }

    /** The engine of this home over its control socket (NoEngineException, exit 3, when none runs). */
    RemoteEngine connect() { return new RemoteEngine(Homes.socket(home())); }
}
