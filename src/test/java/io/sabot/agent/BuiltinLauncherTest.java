package io.sabot.agent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BuiltinLauncherTest {
    @TempDir
    Path dir;

    @Test
    void argvShape() {
        Path home = Path.of(System.getProperty("java.home"));
        List<String> argv = BuiltinLauncher.argv(home, List.of("/a/sabot.jar"), "enricher", 256, null);
        assertThat(argv.get(0)).isEqualTo(home.resolve("bin/java").toString());
        assertThat(argv).containsSequence("-cp", "/a/sabot.jar", BuiltinLauncher.MAIN_CLASS, "enricher");
        assertThat(argv.subList(argv.size() - 4, argv.size())).containsExactly("-cp", "/a/sabot.jar", BuiltinLauncher.MAIN_CLASS, "enricher");
        assertThat(argv).contains("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx192m", "-Xms8m");
        assertThat(BuiltinLauncher.argv("alerter", 0)).contains("-Xmx" + BuiltinLauncher.DEFAULT_HEAP_MB + "m");
        for (String e : BuiltinLauncher.currentClasspath()) assertThat(Path.of(e)).isAbsolute();
    }

    @Test
    void heapFollowsTheLimit() {
        assertThat(BuiltinLauncher.heapMb(512)).isEqualTo(384);
        assertThat(BuiltinLauncher.heapMb(256)).isEqualTo(192);
        assertThat(BuiltinLauncher.heapMb(128)).isEqualTo(88);
        assertThat(BuiltinLauncher.heapMb(64)).isEqualTo(24);
        assertThat(BuiltinLauncher.heapMb(32)).isEqualTo(16);
        assertThat(BuiltinLauncher.heapMb(-1)).isEqualTo(BuiltinLauncher.DEFAULT_HEAP_MB);
        for (int l = 48; l < 4096; l++) assertThat(BuiltinLauncher.heapMb(l)).isLessThan(l);
    }

    @Test
    void javaVersionFromReleaseFile() throws Exception {
        Path jdk = dir.resolve("jdk");
        Files.createDirectories(jdk);
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"21.0.2\"\n");
        assertThat(BuiltinLauncher.javaFeatureVersion(jdk)).isEqualTo(21);
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"1.8.0_392\"\n");
        assertThat(BuiltinLauncher.javaFeatureVersion(jdk)).isEqualTo(8);
        assertThat(BuiltinLauncher.javaFeatureVersion(Path.of(System.getProperty("java.home")))).isEqualTo(Runtime.version().feature());
    }

    @Test
    void appCdsIsCreatedByExactlyOneAgentThenShared() throws Exception {
        Path home = Path.of(System.getProperty("java.home"));
        Path jar = Files.write(dir.resolve("app.jar"), new byte[] {1, 2, 3});
        Path cds = dir.resolve("cds");
        List<String> first = BuiltinLauncher.cdsFlags(home, List.of(jar.toString()), cds);
        assertThat(first).hasSize(1);
        assertThat(first.get(0)).startsWith("-XX:ArchiveClassesAtExit=").endsWith(".jsa.tmp");
        assertThat(BuiltinLauncher.cdsFlags(home, List.of(jar.toString()), cds)).as("claimed: nobody else writes").isEmpty();
        // the training agent wrote its archive at exit; once it is 2 s old it is published
        Path tmp = Path.of(first.get(0).substring("-XX:ArchiveClassesAtExit=".length()));
        Files.write(tmp, new byte[] {9});
        assertThat(BuiltinLauncher.cdsFlags(home, List.of(jar.toString()), cds)).as("still being written?").isEmpty();
        Files.setLastModifiedTime(tmp, FileTime.fromMillis(System.currentTimeMillis() - 5_000));
        List<String> shared = BuiltinLauncher.cdsFlags(home, List.of(jar.toString()), cds);
        assertThat(shared).hasSize(1);
        assertThat(shared.get(0)).startsWith("-XX:SharedArchiveFile=").endsWith(".jsa");
        assertThat(BuiltinLauncher.cdsFlags(home, List.of(jar.toString()), cds)).isEqualTo(shared);
        // a rebuilt jar gets another archive
        Files.write(jar, new byte[] {1, 2, 3, 4});
        assertThat(BuiltinLauncher.cdsFlags(home, List.of(jar.toString()), cds).get(0)).startsWith("-XX:ArchiveClassesAtExit=");
        // directories on the class path: no app CDS
        assertThat(BuiltinLauncher.cdsFlags(home, List.of(dir.toString()), cds)).isEmpty();
    }
}
