package io.sabot.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each way a window cannot open, with the fix for Debian/Ubuntu and Fedora; OpenGL only as a note. */
class DisplayCheckTest {
    /** A system with these libraries missing and this X server answer. */
    private static NativeProbe system(Map<String, String> missing, Boolean xAnswers) {
        return new NativeProbe() {
            @Override
            public String load(String library) { return missing.get(library); }

            @Override
            public Boolean xServerAnswers(String display) { return xAnswers; }
        };
    }

    private static final NativeProbe HEALTHY = system(Map.of(), true);

    @Test
    void noDisplayNamesItAndTheVirtualDisplayPackages() {
        assertThatThrownBy(() -> DisplayCheck.check(Map.of(), HEALTHY)).isInstanceOf(ConsoleUnavailable.class)
                .hasMessageContaining("neither DISPLAY nor WAYLAND_DISPLAY is set")
                .hasMessageContaining("sudo apt install xvfb libgtk-3-0").hasMessageContaining("sudo dnf install xorg-x11-server-Xvfb gtk3")
                .hasMessageContaining("xvfb-run -a sabot console").hasMessageContaining("sabot daemon");
    }

    @Test
    void waylandWithoutXWaylandSaysSo() {
        assertThatThrownBy(() -> DisplayCheck.check(Map.of("WAYLAND_DISPLAY", "wayland-0"), HEALTHY))
                .hasMessageContaining("WAYLAND_DISPLAY is set but DISPLAY is not").hasMessageContaining("XWayland")
                .hasMessageContaining("sudo apt install xvfb");
    }

    @Test
    void missingGtkNamesTheLibraryAndItsPackages() {
        NativeProbe noGtk = system(Map.of(DisplayCheck.GTK, "libgtk-3.so.0: cannot open shared object file: No such file or directory"), true);
        assertThatThrownBy(() -> DisplayCheck.check(Map.of("DISPLAY", ":0"), noGtk))
                .hasMessageContaining("GTK 3 is missing").hasMessageContaining("cannot open shared object file")
                .hasMessageContaining("sudo apt install libgtk-3-0").hasMessageContaining("sudo dnf install gtk3");
    }

    @Test
    void aDisplayNobodyAnswersOn() {
        assertThatThrownBy(() -> DisplayCheck.check(Map.of("DISPLAY", ":42"), system(Map.of(), false)))
                .hasMessageContaining("cannot open display \":42\"").hasMessageContaining("no X server answers there");
    }

    @Test
    void missingOpenGlIsOnlyANote() {
        String note = DisplayCheck.check(Map.of("DISPLAY", ":0"), system(Map.of(DisplayCheck.GL, "libGL.so.1: cannot open"), true));
        assertThat(note).contains("drawing in software").contains("sudo apt install libgl1").contains("sudo dnf install mesa-libGL");
        assertThat(DisplayCheck.check(Map.of("DISPLAY", ":0"), HEALTHY)).isEmpty();
        // an X server that cannot be asked (no libX11 answer in time) does not stop the launch
        assertThat(DisplayCheck.check(Map.of("DISPLAY", ":0"), system(Map.of(), null))).isEmpty();
    }

    @Test
    void theToolkitsOwnFailuresAreTranslated() {
        Map<String, String> env = new HashMap<>(Map.of("DISPLAY", ":7"));
        assertThat(DisplayCheck.fromToolkitFailure(new UnsupportedOperationException("Unable to load glass GTK library."), env).getMessage())
                .contains("GTK 3 is missing").contains("sudo apt install libgtk-3-0");
        assertThat(DisplayCheck.fromToolkitFailure(new RuntimeException("wrapped", new UnsupportedOperationException("Unable to open DISPLAY")), env)
                .getMessage()).contains("cannot open display \":7\"");
        assertThat(DisplayCheck.fromToolkitFailure(new RuntimeException("Error initializing QuantumRenderer: no suitable pipeline found"), env)
                .getMessage()).contains("no graphics pipeline").contains("-Dprism.order=sw");
        assertThat(DisplayCheck.fromToolkitFailure(new UnsatisfiedLinkError("libXtst.so.6: cannot open"), env).getMessage())
                .contains("libXtst.so.6").contains("sudo dnf install gtk3");
        assertThat(DisplayCheck.fromToolkitFailure(new IllegalStateException("something else"), env)).isNull();
    }
}
