package io.sabot.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Which of JavaFX's drawing pipelines the console's JVM gets. JavaFX tries OpenGL (es2) first and
 * falls back to its own software renderer when the GL it finds fails its hardware check. Without
 * a GPU device (no {@code /dev/dri} render node, no {@code /dev/nvidia*}: a server, a container,
 * Xvfb), the only GL is Mesa's llvmpipe, which that check always refuses, so the console ended in
 * software anyway, but only after GTK and the es2 probe had loaded Mesa and LLVM: about 60 MB of
 * resident memory for nothing (docs/benchmarks.md, issue 19). There the console asks for the
 * software pipeline at once ({@code -Dprism.order=sw}) and GTK skips its GL visual probe
 * ({@code GDK_GL=disable}). With a GPU device nothing is added, and a user's own
 * {@code -Dprism.order} or {@code GDK_GL} always wins.
 *
 * <p>Guarantees (test: {@code RenderPipelineTest}): no option and no variable when a GPU device
 * exists or the user chose a pipeline; both when none exists.
 */
public final class RenderPipeline {
    private RenderPipeline() {}

    /** Whether {@code dev} (normally /dev) holds a GPU device JavaFX's es2 pipeline could use. */
    static boolean gpuDevice(Path dev) {
        try (Stream<Path> dri = Files.list(dev.resolve("dri"))) {
            if (dri.anyMatch(p -> p.getFileName().toString().startsWith("renderD") || p.getFileName().toString().startsWith("card"))) return true;
        } catch (IOException | RuntimeException none) {
            // no /dev/dri
        }
        return Files.exists(dev.resolve("nvidia0"));
    }

    /** Whether the console should draw in software from the start: no GPU device and no pipeline chosen by the user. */
    public static boolean softwareOnly(List<String> userJvmArgs, Path dev) {
        for (String a : userJvmArgs) if (a.startsWith("-Dprism.order=")) return false;
        // options the child JVM reads from its environment come before its command line, which would override them
        for (String v : new String[] {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS"}) {
            String o = System.getenv(v);
            if (o != null && o.contains("-Dprism.order=")) return false;
        }
        return !gpuDevice(dev);
    }

    /** The JVM options for the console's JVM (empty, or {@code -Dprism.order=sw}). */
    public static List<String> jvmOptions(List<String> userJvmArgs, Path dev) {
        return softwareOnly(userJvmArgs, dev) ? List.of("-Dprism.order=sw") : List.of();
    }

    /** Sets what the console's JVM needs in its environment for the pipeline chosen by {@link #jvmOptions}. */
    public static void environment(List<String> jvmOptions, Map<String, String> env) {
        if (jvmOptions.contains("-Dprism.order=sw")) env.putIfAbsent("GDK_GL", "disable");
    }
}
