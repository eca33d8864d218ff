package io.sabot.launch;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Asks the system through JNA (which comes with OSHI): dlopen a library as JavaFX will, and
 * XOpenDisplay/XCloseDisplay to see whether the X server named by DISPLAY answers.
 */
public final class JnaProbe implements NativeProbe {
    private interface X11 extends Library {
        Pointer XOpenDisplay(String name);

        int XCloseDisplay(Pointer display);
    }

    @Override
    public String load(String library) {
        try {
            NativeLibrary.getInstance(library);
            return null;
        } catch (UnsatisfiedLinkError e) {
            String m = String.valueOf(e.getMessage());
            return m.lines().findFirst().orElse(m);
        }
    }

    @Override
    public Boolean xServerAnswers(String display) {
        X11 x;
        try {
            x = Native.load("X11", X11.class);
        } catch (UnsatisfiedLinkError e) {
            return null;
        }
        // a remote DISPLAY may take a TCP timeout to fail: do not wait for it
        CompletableFuture<Boolean> answer = CompletableFuture.supplyAsync(() -> {
            Pointer d = x.XOpenDisplay(display);
            if (d == null) return false;
            x.XCloseDisplay(d);
            return true;
        });
        try {
            return answer.get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            return null;
        }
    }
}
