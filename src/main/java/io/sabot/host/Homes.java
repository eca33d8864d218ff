package io.sabot.host;

import java.nio.file.Path;

/** Where the home is: --home, else SABOT_HOME, else $XDG_DATA_HOME/sabot, else ~/.local/share/sabot. */
public final class Homes {
    private Homes() {}

    public static Path resolve(String override) {
        if (override != null && !override.isBlank()) return Path.of(override).toAbsolutePath().normalize();
        String env = System.getenv("SABOT_HOME");
        if (env != null && !env.isBlank()) return Path.of(env).toAbsolutePath().normalize();
        String xdg = System.getenv("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg, "sabot").toAbsolutePath().normalize();
        return Path.of(System.getProperty("user.home"), ".local", "share", "sabot");
    }

    public static Path socket(Path home) { return home.resolve("control.sock"); }
}
