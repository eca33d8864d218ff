package io.sabot.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.sabot.testing.Daemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Misused command lines: exit 2 and a message on stderr that names the flag, argument or value
 * at fault. No engine runs on the home, so each must be caught before connecting (a check done
 * after connecting would show up as exit 3, "no engine"). DaemonCliTest checks several exit codes
 * against a daemon; this checks the messages, and the cases it lacks.
 */
class CliMisuseTest {
    @TempDir
    static Path tmp;

    static Stream<Arguments> misuse() {
        return Stream.of(
                Arguments.of("frobnicate", "'frobnicate'"),
                Arguments.of("agents frobnicate", "'frobnicate'"),
                Arguments.of("agents stop w --bogus-flag", "--bogus-flag"),
                Arguments.of("agents start", "NAME"),
                Arguments.of("agents stop", "NAME"),
                Arguments.of("agents start --all w", "not both"),
                Arguments.of("agents restart w --all", "not both"),
                Arguments.of("agents logs", "NAME"),
                Arguments.of("agents deploy", "FILE"),
                Arguments.of("agents remove", "NAME"),
                Arguments.of("agents start w --concurrency 0", "--concurrency must be between 1 and 1000, was 0"),
                Arguments.of("agents start w --concurrency 100000", "--concurrency must be between 1 and 1000, was 100000"),
                Arguments.of("agents start w --concurrency -4", "--concurrency must be between 1 and 1000, was -4"),
                Arguments.of("agents start w --concurrency many", "--concurrency: 'many' is not a whole number"),
                Arguments.of("agents start w --concurrency", "--concurrency"),
                Arguments.of("agents start w --timeout -1", "--timeout"),
                Arguments.of("agents stop w --timeout -1", "--timeout"),
                Arguments.of("agents restart w --timeout 0", "--timeout"),
                Arguments.of("agents restart w --timeout NaN", "--timeout"),
                Arguments.of("agents stop w --timeout 1e12", "--timeout"),
                Arguments.of("agents stop w --timeout soon", "--timeout: 'soon' is not a number"),
                Arguments.of("agents logs w --lines -5", "--lines must be >= 0, was -5"),
                Arguments.of("agents logs w --lines 99999999999", "--lines: '99999999999' is too large"),
                Arguments.of("daemon --log-budget-mb x", "--log-budget-mb: 'x' is not a whole number"),
                Arguments.of("daemon --log-budget-mb 1.5", "--log-budget-mb: '1.5' is not a whole number"),
                Arguments.of("telemetry traces --limit ten", "--limit: 'ten' is not a whole number"),
                Arguments.of("agents logs w --instance -1", "--instance"),
                Arguments.of("agents status --json --json", "--json"),
                Arguments.of("telemetry traces --limit 0", "--limit must be between 1 and 10000, was 0"),
                Arguments.of("partitions rebalance --strategy random", "--strategy: unknown strategy \"random\""),
                Arguments.of("agents deploy /nonexistent/spec.json", "/nonexistent/spec.json"));
    }

    @ParameterizedTest(name = "sabot {0}")
    @MethodSource("misuse")
    void exitTwoNamingWhatIsWrong(String commandLine, String named) throws Exception {
        List<String> args = new ArrayList<>(List.of(commandLine.split(" ")));
        args.add("--home");
        args.add(tmp.resolve("no-engine").toString());
        Daemon.Result r = Daemon.cli(args.toArray(new String[0]));
        assertThat(r.code).as("exit code of `sabot %s`:%n%s", commandLine, r).isEqualTo(2);
        assertThat(r.err).as("stderr of `sabot %s`", commandLine).contains(named);
        assertThat(r.err.lines().count()).as("a message, not a stack trace: %s", r.err).isLessThan(40);
        assertThat(r.err).doesNotContain("Exception");
        // user-facing: no Java type names (picocli's own "'x' is not a long")
        assertThat(r.err).doesNotContainPattern("\\bnot an? (int|long|double|float|short|byte|Integer|Long|Double)\\b");
        assertThat(Files.exists(tmp.resolve("no-engine"))).as("bad input touches no home").isFalse();
    }
}
