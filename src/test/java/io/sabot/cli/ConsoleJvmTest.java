package io.sabot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The console's JVM flags start a JVM on this JDK, with a collector that marks the old generation concurrently. */
class ConsoleJvmTest {
    @Test
    void theConsoleFlagsStartAJvmWithAConcurrentCollector() throws Exception {
        assertThat(ConsoleJvm.FLAGS).contains("-XX:+UseG1GC").doesNotContain("-XX:+UseSerialGC", "-XX:+UseParallelGC");
        List<String> cmd = new ArrayList<>(List.of(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java"));
        cmd.addAll(ConsoleJvm.FLAGS);
        cmd.add("-version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
        } finally {
            p.destroyForcibly();
        }
    }
}
