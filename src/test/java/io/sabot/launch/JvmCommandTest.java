package io.sabot.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class JvmCommandTest {
    @Test
    void anEngineStartedByTheConsoleGetsNoneOfTheConsolesJvmTuning() {
        List<String> consoleJvm = new java.util.ArrayList<>(io.sabot.cli.ConsoleJvm.FLAGS);
        consoleJvm.addAll(List.of("--module-path", "/opt/javafx/lib", "--add-modules=javafx.controls", "-Dsabot.home.hint=x", "-Duser.language=en"));
        List<String> cmd = JvmCommand.sabot(List.of("daemon", "--home", "/h"), consoleJvm);
        assertThat(cmd).doesNotContainAnyElementsOf(io.sabot.cli.ConsoleJvm.FLAGS);
        assertThat(cmd).doesNotContain("--module-path", "/opt/javafx/lib", "--add-modules=javafx.controls");
        assertThat(cmd).contains("-Dsabot.home.hint=x", "-Duser.language=en", "-cp", "io.sabot.Main");
        assertThat(cmd.subList(cmd.size() - 3, cmd.size())).containsExactly("daemon", "--home", "/h");
    }
}
