package io.sabot.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relaunch command and the extraction of the carried JavaFX jars (extracted once per content). */
class JavaFxModulesTest {
    @TempDir
    Path tmp;

    private Path jarWith(String... entries) throws Exception {
        Path jar = tmp.resolve("sabot-" + entries.length + "-" + System.nanoTime() + ".jar");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (String e : entries) {
                z.putNextEntry(new ZipEntry(e));
                z.write(("content of " + e).getBytes());
                z.closeEntry();
            }
        }
        return jar;
    }

    @Test
    void extractsOnceAndReusesWhileTheContentIsTheSame() throws Exception {
        Path jar = jarWith("io/sabot/Main.class", "javafx-modules/javafx-base.jar", "javafx-modules/javafx-graphics.jar");
        Path cache = tmp.resolve("cache");
        Path dir = JavaFxModules.extract(jar, cache);
        assertThat(dir.getParent()).isEqualTo(cache);
        assertThat(Files.readString(dir.resolve("javafx-base.jar"))).isEqualTo("content of javafx-modules/javafx-base.jar");
        assertThat(Files.exists(dir.resolve("Main.class"))).isFalse();
        long before = Files.getLastModifiedTime(dir.resolve("javafx-graphics.jar")).toMillis();
        assertThat(JavaFxModules.extract(jar, cache)).isEqualTo(dir);
        assertThat(Files.getLastModifiedTime(dir.resolve("javafx-graphics.jar")).toMillis()).isEqualTo(before);
        try (var s = Files.list(cache)) {
            assertThat(s.filter(p -> p.getFileName().toString().startsWith(".javafx-"))).as("no temp folders left").isEmpty();
        }
        // other jars (another JavaFX version) go to another folder
        Path other = JavaFxModules.extract(jarWith("javafx-modules/javafx-base-22.jar"), cache);
        assertThat(other).isNotEqualTo(dir);
    }

    @Test
    void theRelaunchPutsJavaFxOnTheModulePathAndKeepsTheArguments() {
        List<String> cmd = JavaFxModules.command(Path.of("/jdk/bin/java"), List.of("-Xmx256m", "-agentlib:jdwp=transport=dt_socket"),
                Path.of("/cache/javafx-1"), Path.of("/opt/sabot.jar"), List.of("console", "--demo"));
        assertThat(cmd).startsWith("/jdk/bin/java", "-Xmx256m").doesNotContain("-agentlib:jdwp=transport=dt_socket")
                .containsSequence("--module-path", "/cache/javafx-1", "--add-modules", "javafx.controls,javafx.swing")
                .containsAll(JavaFxModules.ACCESS).endsWith("-cp", "/opt/sabot.jar", "io.sabot.Main", "console", "--demo");
    }

    @Test
    void runningFromClassFoldersNeedsNoRelaunch() {
        // the tests run from target/classes: nothing carried, so the console runs in this JVM
        assertThat(JavaFxModules.carryingJar()).isNull();
        assertThat(JavaFxModules.relaunchIfNeeded(List.of("console"), java.util.Map.of())).isEqualTo(-1);
    }
}
