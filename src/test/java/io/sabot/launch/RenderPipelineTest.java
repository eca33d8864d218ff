package io.sabot.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderPipelineTest {
    @TempDir
    Path dev;

    @Test
    void noGpuDeviceMeansSoftwareAtOnceAndNoGtkGlProbe() {
        List<String> opts = RenderPipeline.jvmOptions(List.of("-Xmx1g"), dev);
        assertEquals(List.of("-Dprism.order=sw"), opts);
        Map<String, String> env = new HashMap<>();
        RenderPipeline.environment(opts, env);
        assertEquals("disable", env.get("GDK_GL"));
    }

    @Test
    void aRenderNodeOrAnNvidiaDeviceLeavesJavaFxToChoose() throws Exception {
        Files.createDirectories(dev.resolve("dri"));
        Files.createFile(dev.resolve("dri/renderD128"));
        assertEquals(List.of(), RenderPipeline.jvmOptions(List.of(), dev));
        Files.delete(dev.resolve("dri/renderD128"));
        assertEquals(List.of("-Dprism.order=sw"), RenderPipeline.jvmOptions(List.of(), dev), "an empty /dev/dri is no GPU");
        Files.createFile(dev.resolve("nvidia0"));
        assertEquals(List.of(), RenderPipeline.jvmOptions(List.of(), dev));
    }

    @Test
    void theUsersChoiceWins() {
        assertEquals(List.of(), RenderPipeline.jvmOptions(List.of("-Dprism.order=es2"), dev));
        Map<String, String> env = new HashMap<>(Map.of("GDK_GL", "always"));
        RenderPipeline.environment(List.of("-Dprism.order=sw"), env);
        assertEquals("always", env.get("GDK_GL"));
        Map<String, String> none = new HashMap<>();
        RenderPipeline.environment(List.of(), none);
        assertEquals(Map.of(), none);
    }
}
