package io.sabot.launch;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs {@code io.sabot.Main} again with this JVM's java, options and class
 * path: a {@code java -jar sabot.jar} run, a relaunched one and the app image ({@code lib/runtime/
 * bin/java -cp lib/app/sabot.jar}, with the launcher's options) alike.
 */
public final class JvmCommand {
    private JvmCommand() {}

    /** {@code java <this JVM's options> -cp <class path> io.sabot.Main args...}, without JavaFX's module options. */
    public static List<String> sabot(List<String> args) {
        return sabot(args, ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /**
     * The same from the given JVM options. Heap, stack and -XX tuning are left out: they are the
     * console's (a console started its engine), and the daemon tunes its own JVM ({@code DaemonJvm}
     * re-executes itself with its flags, which options after them would override: a console-started
     * engine ran with the console's 768 MB heap limit and 48 MB initial heap).
     */
    static List<String> sabot(List<String> args, List<String> in) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (int i = 0; i < in.size(); i++) {
            String a = in.get(i);
            if (a.startsWith("-Xms") || a.startsWith("-Xmx") || a.startsWith("-Xss") || a.startsWith("-XX:")
                    || a.startsWith("-Dsabot.console.jvm") || a.startsWith("-Dsabot.jvm=")) continue;
            // JavaFX's module options (a relaunched console) are no business of an engine; nor are debug agents
            if (a.equals("--module-path") || a.equals("--add-modules") || a.equals("-p")) { i++; continue; }
            if (a.startsWith("--module-path=") || a.startsWith("--add-modules=") || a.startsWith("--add-exports") || a.startsWith("--add-opens")
                    || a.startsWith("-agentlib:jdwp") || a.startsWith("-Djava.class.path")) continue;
            cmd.add(a);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.sabot.Main");
        cmd.addAll(args);
        return cmd;
    }
}
