package io.sabot.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Process facts for tests, by pid only (tests never kill by name). */
public final class Procs {
    private Procs() {}

    /** Alive and not a zombie. */
    public static boolean alive(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = s.charAt(s.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills a pid if it is still there (cleanup). */
    public static void kill(long pid) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }

    /** Children of a pid (direct), from /proc. */
    public static List<Long> children(long pid) {
        List<Long> out = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(h -> h.children().forEach(c -> out.add(c.pid())));
        return out;
    }

    /** All descendants of a pid. */
    public static List<Long> descendants(long pid) {
        List<Long> out = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(c -> out.add(c.pid())));
        return out;
    }

    /** Sends SIGKILL to one pid (a crash from outside). */
    public static void sigkill(long pid) {
        try {
            new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sends SIGTERM to one pid (asks it to exit). */
    public static void sigterm(long pid) {
        try {
            new ProcessBuilder("kill", "-TERM", Long.toString(pid)).start().waitFor();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
