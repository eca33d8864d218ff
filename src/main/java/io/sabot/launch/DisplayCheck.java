package io.sabot.launch;

import java.util.Locale;
import java.util.Map;

/**
 * Whether the console can open a window here, decided before JavaFX starts (and, for what only
 * the toolkit can tell, from its failure): a display (DISPLAY; a Wayland session needs XWayland,
 * since JavaFX draws through X11), an X server answering on it, and GTK 3. Each problem comes
 * with the packages that fix it on Debian/Ubuntu and Fedora. OpenGL is not required: without it
 * JavaFX draws in software, and the check only says so.
 *
 * <p>Guarantees (tests: {@code DisplayCheckTest}, {@code ConsoleLaunchTest}): no display, a
 * display nobody answers on, and a missing GTK each give a message naming what is missing and
 * the install command for both families, and the console exits 4.
 */
public final class DisplayCheck {
    static final String GTK = "libgtk-3.so.0";
    static final String GL = "libGL.so.1";
    static final String SERVER_FIX = "  On a server, give it a virtual display:\n"
            + "    Debian/Ubuntu: sudo apt install xvfb libgtk-3-0 && xvfb-run -a sabot console\n"
            + "    Fedora:        sudo dnf install xorg-x11-server-Xvfb gtk3 && xvfb-run -a sabot console\n"
            + "  The engine needs no window: sabot daemon, then sabot agents ... from any shell.";

    private DisplayCheck() {}

    /** Throws {@link ConsoleUnavailable} when no window can be opened; returns notes (possibly empty) otherwise. */
    public static String check(Map<String, String> env, NativeProbe probe) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) return "";
        String display = blankToNull(env.get("DISPLAY"));
        String wayland = blankToNull(env.get("WAYLAND_DISPLAY"));
        if (display == null && wayland == null) {
            throw new ConsoleUnavailable("no display to open a window on: neither DISPLAY nor WAYLAND_DISPLAY is set.\n" + SERVER_FIX);
        }
        if (display == null) {
            throw new ConsoleUnavailable("WAYLAND_DISPLAY is set but DISPLAY is not: the console draws through X11, so it needs XWayland.\n"
                    + "  Enable XWayland in your desktop session (most do by default), or run it under a virtual display:\n"
                    + SERVER_FIX.lines().skip(1).map(l -> l + "\n").reduce("", String::concat).stripTrailing());
        }
        String gtk = probe.load(GTK);
        if (gtk != null) throw gtkMissing(gtk);
        Boolean answers = probe.xServerAnswers(display);
        if (Boolean.FALSE.equals(answers)) {
            throw new ConsoleUnavailable("cannot open display \"" + display + "\": no X server answers there (is it running, and is DISPLAY right?).\n"
                    + "  On a desktop, start the console from the graphical session (or ssh -X for a remote one).\n" + SERVER_FIX);
        }
        String gl = probe.load(GL);
        if (gl != null) {
            return "sabot console: OpenGL (" + GL + ") is not installed: drawing in software. For hardware drawing:\n"
                    + "  Debian/Ubuntu: sudo apt install libgl1 libxxf86vm1\n  Fedora:        sudo dnf install mesa-libGL libXxf86vm";
        }
        return "";
    }

    static ConsoleUnavailable gtkMissing(String why) {
        return new ConsoleUnavailable("GTK 3 is missing (" + GTK + " cannot be loaded" + (why.isBlank() ? "" : ": " + why)
                + "); the console needs it to open a window.\n"
                + "  Debian/Ubuntu: sudo apt install libgtk-3-0\n"
                + "  Fedora:        sudo dnf install gtk3");
    }

    /**
     * What the toolkit's own failure means, when it got past the checks above (JavaFX throws
     * these from {@code Application.launch} and {@code Platform.startup}); null if it is not a
     * failure to open a window.
     */
    public static ConsoleUnavailable fromToolkitFailure(Throwable t, Map<String, String> env) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (m.contains("Unable to load glass GTK library") || m.contains("Unable to load GTK")) return gtkMissing("");
            if (m.contains("Unable to open DISPLAY") || m.contains("cannot open display")) {
                return new ConsoleUnavailable("cannot open display \"" + env.getOrDefault("DISPLAY", "") + "\" (the window toolkit said: " + m.strip() + ").\n" + SERVER_FIX);
            }
            if (m.contains("no suitable pipeline") || m.contains("Graphics Device initialization failed")) {
                return new ConsoleUnavailable("no graphics pipeline could start (neither OpenGL nor software drawing).\n"
                        + "  Debian/Ubuntu: sudo apt install libgl1 libxxf86vm1 libgtk-3-0\n"
                        + "  Fedora:        sudo dnf install mesa-libGL libXxf86vm gtk3\n"
                        + "  Or force software drawing: JAVA_TOOL_OPTIONS=-Dprism.order=sw sabot console");
            }
            if (c instanceof UnsatisfiedLinkError) {
                return new ConsoleUnavailable("a native library of the window toolkit is missing: " + m.strip() + "\n"
                        + "  Debian/Ubuntu: sudo apt install libgtk-3-0 libgl1 libxxf86vm1\n"
                        + "  Fedora:        sudo dnf install gtk3 mesa-libGL libXxf86vm");
            }
        }
        return null;
    }

    private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s; }
}
