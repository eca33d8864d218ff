package io.sabot.spec;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether an agent's command can be executed, with a message that says why not. */
public final class ExecutableCheck {
    private ExecutableCheck() {}

    /** null when {@code p} is an executable regular file, else what is wrong with it. */
    public static String problem(Path p) {
        if (!Files.exists(p)) return "command \"" + p + "\" does not exist";
        if (Files.isDirectory(p)) return "command \"" + p + "\" is a directory, not an executable";
        if (!Files.isExecutable(p)) return "command \"" + p + "\" is not executable (chmod +x?)";
        return null;
    }

    /** The PATH entry holding an executable {@code name}, or null. */
    public static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }
}
