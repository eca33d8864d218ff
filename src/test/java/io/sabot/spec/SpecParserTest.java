package io.sabot.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad spec gets an error naming the field path and what is wrong; good ones get defaults. */
class SpecParserTest {
    @TempDir
    Path dir;

    private static List<String> errors(String json) {
        try {
            SpecParser.parse(json, false, "t.json", Path.of("/tmp"));
            throw new AssertionError("accepted: " + json);
        } catch (SpecException e) {
            return e.errors().stream().map(SpecError::toString).toList();
        }
    }

    @Test
    void defaultsAreFilledIn() throws Exception {
        FleetSpec f = SpecParser.parse("{\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\",\"1\"]},{\"name\":\"b\",\"builtin\":\"enricher\"}]}", false, "t", null);
        AgentSpec a = f.agents().get(0);
        assertThat(a.concurrency()).isEqualTo(1);
        assertThat(a.group()).isEqualTo("a");
        assertThat(a.strategy()).isEqualTo(SupervisionStrategy.ONE_FOR_ONE);
        assertThat(a.restart()).isEqualTo(RestartSpec.DEFAULT);
        assertThat(a.protocol()).isFalse();
        assertThat(a.startTimeoutMs()).isEqualTo(10_000);
        assertThat(a.stopGraceMs()).isEqualTo(5_000);
        assertThat(f.agents().get(1).protocol()).isTrue();
        assertThat(a.instanceId(2)).isEqualTo("a-2");
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPath() {
        List<String> e = errors("{\"agents\":["
                + "{\"name\":\"ok\",\"command\":[\"sleep\",\"1\"]},"
                + "{\"name\":\"ok2\",\"command\":[\"sleep\",\"1\"]},"
                + "{\"name\":\"x\",\"command\":[\"sleep\"],\"restart\":{\"maxRestarts\":-1},\"concurrency\":\"3\"}]}");
        assertThat(e).contains("agents[2].restart.maxRestarts: must be >= 0, was -1");
        assertThat(e).anyMatch(s -> s.startsWith("agents[2].concurrency: must be a whole number"));
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        assertThat(errors("{\"agents\": [}").get(0)).contains("not valid JSON at line 1");
    }

    @Test
    void malformedYamlIsReported() {
        assertThatThrownBy(() -> SpecParser.parse("agents:\n  - name: [unclosed\n", true, "t.yaml", null))
                .isInstanceOf(SpecException.class).hasMessageContaining("not valid YAML");
    }

    @Test
    void yamlWorks() throws Exception {
        FleetSpec f = SpecParser.parse("agents:\n  - name: y\n    command: [sleep, '5']\n    concurrency: 2\n", true, "t.yaml", null);
        assertThat(f.agents().get(0).concurrency()).isEqualTo(2);
    }

    @Test
    void wrongTypesNegativeZeroAndHugeNumbers() {
        List<String> e = errors("{\"agents\":[{\"name\":\"a\",\"command\":\"sleep 1\",\"concurrency\":0,\"stopGraceMs\":99999999999999999999999,"
                + "\"startTimeoutMs\":-5,\"env\":{\"N\":3},\"protocol\":\"yes\",\"limits\":{\"memoryMb\":1.5}}]}");
        assertThat(e).anyMatch(s -> s.startsWith("agents[0].command: must be a list of strings"));
        assertThat(e).contains("agents[0].concurrency: must be >= 1, was 0");
        assertThat(e).anyMatch(s -> s.startsWith("agents[0].stopGraceMs: must be between"));
        assertThat(e).contains("agents[0].startTimeoutMs: must be >= 1, was -5");
        assertThat(e).anyMatch(s -> s.startsWith("agents[0].env.N: must be a string"));
        assertThat(e).anyMatch(s -> s.startsWith("agents[0].protocol: must be true or false"));
        assertThat(e).anyMatch(s -> s.startsWith("agents[0].limits.memoryMb: must be a whole number"));
        assertThat(errors("{\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\"],\"concurrency\":100000}]}"))
                .contains("agents[0].concurrency: must be <= 1000, was 100000");
    }

    @Test
    void namesDuplicatesTooLongAndBadPattern() {
        String longName = "a".repeat(64);
        List<String> e = errors("{\"agents\":[{\"name\":\"dup\",\"command\":[\"sleep\"]},{\"name\":\"dup\",\"command\":[\"sleep\"]},"
                + "{\"name\":\"" + longName + "\",\"command\":[\"sleep\"]},{\"name\":\"Bad Name\",\"command\":[\"sleep\"]},{\"command\":[\"sleep\"]}]}");
        assertThat(e).anyMatch(s -> s.startsWith("agents[1].name: duplicate agent \"dup\""));
        assertThat(e).contains("agents[2].name: is 64 characters; at most 63");
        assertThat(e).anyMatch(s -> s.startsWith("agents[3].name: must match"));
        assertThat(e).contains("agents[4].name: is required");
    }

    @Test
    void unknownStrategiesPoliciesAndFields() {
        List<String> e = errors("{\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\"],\"strategy\":\"all_for_one\",\"concurency\":2,"
                + "\"restart\":{\"policy\":\"sometimes\"}}],\"topics\":[{\"name\":\"t\",\"strategy\":\"random\"}]}");
        assertThat(e).anyMatch(s -> s.startsWith("agents[0].strategy: unknown value \"all_for_one\"") && s.contains("one_for_all"));
        assertThat(e).anyMatch(s -> s.startsWith("agents[0].concurency: unknown field (did you mean \"concurrency\"?)"));
        assertThat(e).anyMatch(s -> s.startsWith("agents[0].restart.policy: unknown value \"sometimes\""));
        assertThat(e).anyMatch(s -> s.startsWith("topics[0].strategy: unknown value \"random\""));
    }

    @Test
    void commandOrBuiltinExactlyOne() {
        assertThat(errors("{\"agents\":[{\"name\":\"a\"}]}")).anyMatch(s -> s.contains("needs one of \"command\""));
        assertThat(errors("{\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\"],\"builtin\":\"enricher\"}]}"))
                .anyMatch(s -> s.contains("has both"));
        assertThat(errors("{\"agents\":[{\"name\":\"a\",\"builtin\":\"teleporter\"}]}"))
                .anyMatch(s -> s.startsWith("agents[0].builtin: unknown builtin \"teleporter\""));
        assertThat(errors("{\"agents\":[{\"name\":\"a\",\"command\":[]}]}")).contains("agents[0].command: must not be empty");
    }

    @Test
    void missingNonExecutableDirectoryAndRelativeCommands() throws Exception {
        Path notExec = dir.resolve("plain.sh");
        Files.writeString(notExec, "echo\n");
        Files.setPosixFilePermissions(notExec, PosixFilePermissions.fromString("rw-r--r--"));
        Path exec = dir.resolve("run.sh");
        Files.writeString(exec, "#!/bin/sh\n");
        Files.setPosixFilePermissions(exec, PosixFilePermissions.fromString("rwxr-xr-x"));
        String json = "{\"agents\":[{\"name\":\"a\",\"command\":[\"/nonexistent/x\"]},{\"name\":\"b\",\"command\":[\"" + notExec + "\"]},"
                + "{\"name\":\"c\",\"command\":[\"" + dir + "\"]},{\"name\":\"d\",\"command\":[\"no-such-program-xyz\"]},"
                + "{\"name\":\"e\",\"command\":[\"./run.sh\"]},{\"name\":\"f\",\"command\":[\"sleep\"],\"workdir\":\"nowhere\"}]}";
        Path file = dir.resolve("spec.json");
        Files.writeString(file, json);
        try {
            SpecParser.parseFile(file);
            throw new AssertionError("accepted");
        } catch (SpecException e) {
            List<String> errs = e.errors().stream().map(SpecError::toString).toList();
            assertThat(e.getMessage()).startsWith(file.toString());
            assertThat(errs).contains("agents[0].command[0]: command \"/nonexistent/x\" does not exist");
            assertThat(errs).anyMatch(s -> s.startsWith("agents[1].command[0]:") && s.contains("not executable"));
            assertThat(errs).anyMatch(s -> s.startsWith("agents[2].command[0]:") && s.contains("is a directory"));
            assertThat(errs).contains("agents[3].command[0]: command \"no-such-program-xyz\" not found on PATH");
            assertThat(errs).noneMatch(s -> s.startsWith("agents[4]")); // ./run.sh resolves against the spec's folder
            assertThat(errs).anyMatch(s -> s.startsWith("agents[5].workdir:") && s.contains("not an existing directory"));
        }
    }

    @Test
    void relativeCommandResolvesAgainstTheSpecFolder() throws Exception {
        Path exec = dir.resolve("run.sh");
        Files.writeString(exec, "#!/bin/sh\n");
        Files.setPosixFilePermissions(exec, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = dir.resolve("spec.json");
        Files.writeString(file, "{\"agents\":[{\"name\":\"e\",\"command\":[\"./run.sh\",\"x\"]}]}");
        assertThat(SpecParser.parseFile(file).agents().get(0).command()).containsExactly(exec.toString(), "x");
    }

    @Test
    void dependencyProblems() {
        assertThat(errors("{\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\"],\"dependsOn\":[\"b\"]},{\"name\":\"b\",\"command\":[\"sleep\"],\"dependsOn\":[\"a\"]}]}"))
                .anyMatch(s -> s.contains("dependency cycle: a -> b -> a"));
        assertThat(errors("{\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\"],\"dependsOn\":[\"ghost\"]}]}"))
                .contains("agents[0].dependsOn[0]: unknown agent \"ghost\"");
        assertThat(errors("{\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\"],\"dependsOn\":[\"a\"]}]}"))
                .contains("agents[0].dependsOn[0]: an agent cannot depend on itself");
        assertThat(errors("{\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\"],\"topic\":\"nope\"}]}"))
                .anyMatch(s -> s.startsWith("agents[0].topic: unknown topic \"nope\""));
    }

    @Test
    void structureProblems() {
        assertThat(errors("[]")).anyMatch(s -> s.contains("must be an object"));
        assertThat(errors("")).anyMatch(s -> s.contains("is empty"));
        assertThat(errors("{\"agents\":{}}")).contains("agents: must be a list, was an object");
        assertThat(errors("{\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\"]}],\"agents\":[]}")).anyMatch(s -> s.contains("Duplicate field"));
        assertThat(errors("{\"agents\":[],\"extra\":1}")).anyMatch(s -> s.startsWith("extra: unknown field"));
        assertThat(errors("{\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\"],\"restart\":{\"backoff\":{\"initialMs\":500,\"maxMs\":100}}}]}"))
                .contains("agents[0].restart.backoff.maxMs: must be >= initialMs (500), was 100");
    }

    @Test
    void hugeAndUnreadableFiles() throws Exception {
        Path big = dir.resolve("big.json");
        Files.write(big, new byte[(int) SpecParser.MAX_FILE_BYTES + 1]);
        assertThatThrownBy(() -> SpecParser.parseFile(big)).isInstanceOf(SpecException.class).hasMessageContaining("at most");
        assertThatThrownBy(() -> SpecParser.parseFile(dir.resolve("missing.json"))).isInstanceOf(SpecException.class)
                .hasMessageContaining("missing.json").hasMessageContaining("cannot be read");
        assertThatThrownBy(() -> SpecParser.parseFile(dir)).isInstanceOf(SpecException.class).hasMessageContaining("is a directory");
        Path binary = dir.resolve("bin.json");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThatThrownBy(() -> SpecParser.parseFile(binary)).isInstanceOf(SpecException.class);
    }
}
