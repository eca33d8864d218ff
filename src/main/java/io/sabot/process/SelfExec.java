package io.sabot.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replaces this JVM by a new one with extra JVM flags, in the same process ({@code execve}: same
 * pid, same parent, same open stdin/stdout/stderr). A {@code java -jar sabot.jar daemon} cannot
 * carry JVM options in the jar's manifest, so the daemon restarts itself once, early in main, with
 * the flags a small long-lived daemon wants; whoever started it (a service manager, a benchmark,
 * a test holding its pid) sees the same process throughout.
 *
 * <p>Only where it is safe: Linux with the native layer, the running binary is a {@code java}
 * launcher (not a jpackage launcher, which carries its options in its own config), and the
 * command line can be read back from {@code /proc/self/cmdline}. Descriptors above 2 are marked
 * close-on-exec first (the old JVM's jar and library handles), and the signal mask is cleared.
 */
public final class SelfExec {
    private SelfExec() {}

    /**
     * Execs {@code <this java> <flags> <original arguments>} (the original JVM options come after
     * ours, so an operator's own -Xmx or GC choice wins). Returns only if it could not: then this
     * JVM just goes on as it is, and the reason is returned.
     */
    public static String reexec(List<String> flags) {
        if (!NativeLayer.available()) return LinuxNative.problem();
        try {
            Path exe = Path.of("/proc/self/exe").toRealPath();
            if (!exe.getFileName().toString().equals("java")) return "not started by a java launcher (" + exe + ")";
            byte[] raw = Files.readAllBytes(Path.of("/proc/self/cmdline"));
            List<String> original = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    original.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            if (original.size() < 2) return "cannot read this JVM's command line";
            List<String> argv = new ArrayList<>();
            argv.add(original.get(0));
            boolean ownGc = original.stream().anyMatch(SelfExec::isGcChoice);
            for (String f : flags) if (!(ownGc && isGcChoice(f))) argv.add(f); // two collectors would be an error
            argv.addAll(original.subList(1, original.size()));
            List<String> env = new ArrayList<>();
            for (Map.Entry<String, String> e : System.getenv().entrySet()) env.add(e.getKey() + "=" + e.getValue());
            closeOnExecAbove2();
            NativeBuf empty = LinuxNative.emptySignals();
            LinuxNative.sigprocmask(LinuxNative.SIG_SETMASK, empty, null);
            NativeBuf av = CStrings.of(argv);
            NativeBuf ev = CStrings.of(env);
            LinuxNative.execve(exe.toString(), av, ev);
            return "execve " + exe + ": " + LinuxNative.describe(LinuxNative.errno());
        } catch (IOException | RuntimeException e) {
            return "cannot re-exec: " + e.getMessage();
        }
    }

    private static boolean isGcChoice(String arg) { return arg.startsWith("-XX:+Use") && arg.endsWith("GC"); }

    private static void closeOnExecAbove2() throws IOException {
        try (var fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path p : fds) {
                int fd;
                try {
                    fd = Integer.parseInt(p.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (fd > 2) LinuxNative.fcntl(fd, LinuxNative.F_SETFD, LinuxNative.FD_CLOEXEC);
            }
        }
    }
}
