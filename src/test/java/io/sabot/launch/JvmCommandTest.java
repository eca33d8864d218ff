package io.sabot.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmCommandTest {
    @Test
    void anEngineStartedByTheConsoleGetsNoneOfTheConsolesJvmTuning() {
        List<String> consoleJvm = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xms48m", "-Xmx768m", "-XX:MinHeapFreeRatio=20",
                "-Xss512k", "-Dsabot.console.jvm=tuned", "--module-path", "/opt/javafx/lib", "--add-modules=javafx.controls",
                "-Dsabot.home.hint=x", "-Duser.language=en");
        List<String> cmd = JvmCommand.sabot(List.of("daemon", "--home", "/h"), consoleJvm);
        assertThat(cmd).doesNotContain("-Xms48m", "-Xmx768m", "-Xss512k", "-XX:MinHeapFreeRatio=20", "-XX:+UseSerialGC",
                "-Dsabot.console.jvm=tuned", "--module-path", "/opt/javafx/lib", "--add-modules=javafx.controls");
        assertThat(cmd).contains("-Dsabot.home.hint=x", "-Duser.language=en", "-cp", "io.sabot.Main");
        assertThat(cmd.subList(cmd.size() - 3, cmd.size())).containsExactly("daemon", "--home", "/h");
    }
}
