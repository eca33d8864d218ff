package io.sabot.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.engine.InstanceState;
import io.sabot.engine.Selection;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.FleetSpec;
import io.sabot.store.SpecRecord;
import io.sabot.store.Store;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import io.sabot.testing.HostFixture;
import io.sabot.testing.Procs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad spec files deployed with the real CLI to a running engine (as the daemon hosts it): each
 * gets exit 2 and a message naming the file, the field and what is wrong; the engine keeps its
 * fleet; afterwards the store holds exactly the good spec. SpecParserTest covers the parser's
 * basic cases; this adds the ones it lacks and the path through the CLI and the engine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadSpecCorpusTest {
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path tmp;
    static HostFixture x;
    static Path dir;
    static boolean storeChecked;

    static final String GOOD = "{\"topics\":[{\"name\":\"t\",\"partitions\":8}],\"agents\":["
            + "{\"name\":\"w\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":2},"
            + "{\"name\":\"v\",\"command\":[\"sleep\",\"100000\"],\"dependsOn\":[\"w\"]}]}";

    @BeforeAll
    static void engineWithAGoodFleet() throws Exception {
        dir = Files.createDirectories(tmp.resolve("specs"));
        x = new HostFixture(tmp.resolve("home"));
        Path good = dir.resolve("good.json");
        Files.writeString(good, GOOD);
        assertThat(cli("agents", "deploy", good.toString()).code).isZero();
        assertThat(cli("agents", "start", "--all").code).isZero();
    }

    @AfterAll
    static void stop() {
        if (x != null) x.close();
    }

    static Daemon.Result cli(String... args) {
        String[] full = Arrays2.concat(args, "--home", x.home.toString());
        return Daemon.cli(full);
    }

    /** After each bad file: the engine answers and still runs exactly the good fleet. */
    @AfterEach
    void fleetUnchanged() {
        if (storeChecked) return;
        Daemon.Result r = Bounded.call(Duration.ofSeconds(15), "status", () -> cli("agents", "status", "--json"));
        assertThat(r.code).as(r.toString()).isZero();
        assertThat(x.engine.spec().agents()).extracting(AgentSpec::name).containsExactly("w", "v");
        assertThat(x.engine.spec().topics()).singleElement().satisfies(t -> assertThat(t.partitions()).isEqualTo(8));
        assertThat(x.status()).hasSize(3).allMatch(s -> s.state() == InstanceState.RUNNING);
    }

    static String agents(int n, String each) {
        return "{\"agents\":[" + String.join(",", Collections.nCopies(n, each)) + "]}";
    }

    static Stream<Arguments> corpus() {
        String bomb = "x:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
                + "  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                + "  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
                + "agents: *g\n";
        StringBuilder many = new StringBuilder("{\"agents\":[");
        for (int i = 0; i < 11; i++) many.append(i > 0 ? "," : "").append("{\"name\":\"a").append(i).append("\",\"command\":[\"sleep\",\"1\"],\"concurrency\":1000}");
        many.append("]}");
        return Stream.of(
                // syntax
                Arguments.of("trailing.json", "{\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\"]}]}\n{\"agents\":[]}",
                        List.of("is not valid JSON at line 2", "more content after the end of the spec")),
                Arguments.of("two-docs.yaml", "agents:\n  - name: a\n    command: [sleep]\n---\nagents: []\n",
                        List.of("is not valid YAML at line", "more content after the end of the spec")),
                Arguments.of("comment.json", "{\"agents\":[ // one agent\n]}", List.of("is not valid JSON at line 1, column 13", "comment")),
                Arguments.of("nan.json", "{\"topics\":[{\"name\":\"t\",\"ratePerSec\":NaN}],\"agents\":[]}", List.of("is not valid JSON at line 1", "NaN")),
                Arguments.of("deep.json", "[".repeat(10_000), List.of("is not valid JSON", "nesting depth")),
                Arguments.of("tabs.yaml", "agents:\n\t- name: a\n", List.of("is not valid YAML at line", "TAB")),
                Arguments.of("dup-key.yaml", "agents:\n  - name: a\n    name: b\n    command: [sleep]\n", List.of("is not valid YAML at line 3", "Duplicate field 'name'")),
                Arguments.of("alias-bomb.yaml", bomb, List.of("x: unknown field", "agents: must be a list")),
                Arguments.of("java-tag.yaml", "agents: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://127.0.0.1:1/\"]]]]\n",
                        List.of("agents[0]: must be an object, was a list")),
                Arguments.of("whitespace.json", "   \n\t\n", List.of("is empty")),
                // types and numbers
                Arguments.of("types.yaml", "agents:\n  - name: a\n    command: [sleep]\n    concurrency: '3'\n    stopGraceMs: 1.5\n    env: {N: 3}\n",
                        List.of("agents[0].concurrency: must be a whole number, was the string \"3\"", "agents[0].stopGraceMs: must be a whole number, was 1.5",
                                "agents[0].env.N: must be a string, was 3 (quote it)")),
                Arguments.of("numbers.json", "{\"topics\":[{\"name\":\"t\",\"partitions\":100001,\"ratePerSec\":1e400}],\"agents\":[{\"name\":\"a\",\"command\":[\"sleep\"],"
                                + "\"stopGraceMs\":9223372036854775808,\"concurrency\":true,\"restart\":{\"withinSeconds\":0,\"maxRestarts\":-1,"
                                + "\"backoff\":{\"multiplier\":0.5,\"jitter\":2,\"initialMs\":-1}},\"health\":{\"heartbeatTimeoutMs\":50},\"limits\":{\"memoryMb\":1,\"cpuPercent\":0}}]}",
                        List.of("topics[0].partitions: must be <= 100000, was 100001", "topics[0].ratePerSec: must be a finite number",
                                "agents[0].stopGraceMs: must be between 0 and 3600000, was 9223372036854775808", "agents[0].concurrency: must be a whole number, was true",
                                "agents[0].restart.withinSeconds: must be >= 1, was 0", "agents[0].restart.maxRestarts: must be >= 0, was -1",
                                "agents[0].restart.backoff.multiplier: must be >= 1.0, was 0.5", "agents[0].restart.backoff.jitter: must be <= 1.0, was 2",
                                "agents[0].restart.backoff.initialMs: must be >= 0, was -1",
                                "agents[0].health.heartbeatTimeoutMs: must be 0 (off) or >= 100, was 50", "agents[0].limits.memoryMb: must be >= 16, was 1",
                                "agents[0].limits.cpuPercent: must be >= 1, was 0")),
                Arguments.of("too-many-instances.json", many.toString(), List.of("agents: asks for 11000 instances in all; an engine runs at most 10000")),
                // names
                Arguments.of("names.json", "{\"agents\":[{\"name\":\"ägent\",\"command\":[\"sleep\"]},{\"name\":\"-x\",\"command\":[\"sleep\"]},"
                                + "{\"name\":\"../../etc\",\"command\":[\"sleep\"]},{\"name\":\"" + "b".repeat(200) + "\",\"command\":[\"sleep\"]},"
                                + "{\"name\":\"ok\",\"command\":[\"sleep\"],\"group\":\"Bad Group\",\"dependsOn\":[\"No Such\"]},{\"name\":5,\"command\":[\"sleep\"]}],"
                                + "\"topics\":[{\"name\":\"t\"},{\"name\":\"t\"}]}",
                        List.of("agents[0].name: must match", "agents[1].name: must match", "agents[2].name: must match", "agents[3].name: is 200 characters; at most 63",
                                "agents[4].group: must match", "agents[4].dependsOn[0]: \"No Such\" is not a valid agent name", "agents[5].name: must be a string, was 5",
                                "topics[1].name: duplicate topic \"t\"")),
                // commands
                Arguments.of("commands.json", "{\"agents\":[{\"name\":\"a\",\"command\":[\"sle\\u0000ep\"]},{\"name\":\"b\",\"command\":[\"sleep\",5]},"
                                + "{\"name\":\"c\",\"command\":[\"\"]},{\"name\":\"d\",\"command\":[\"/bin/sh\"],\"workdir\":\"/etc/hostname\"},"
                                + "{\"name\":\"e\",\"command\":[\"/dev/null\"]},{\"name\":\"f\",\"command\":[\"./nope.sh\"]},{\"name\":\"g\",\"command\":[\"sleep\"],\"env\":{\"A=B\":\"x\"}}]}",
                        List.of("agents[0].command[0]: must not contain a NUL character", "agents[1].command[1]: must be a string, was 5",
                                "agents[2].command[0]: must not be empty", "agents[3].workdir: \"/etc/hostname\" is not an existing directory",
                                "agents[4].command[0]:", "agents[5].command[0]: command", "agents[6].env: invalid variable name \"A=B\"")),
                // what only the engine can know: the spec against what it runs
                Arguments.of("shrink.json", "{\"topics\":[{\"name\":\"t\",\"partitions\":4}],\"agents\":[]}",
                        List.of("topics[0].partitions: cannot shrink topic \"t\" from 8 to 4 partitions")),
                Arguments.of("cycle.json", "{\"agents\":[{\"name\":\"w\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":2,\"dependsOn\":[\"v\"]},"
                                + "{\"name\":\"v\",\"command\":[\"sleep\",\"100000\"],\"dependsOn\":[\"w\"]}]}",
                        List.of("dependency cycle: ")),
                Arguments.of("unknown-dep.json", "{\"agents\":[{\"name\":\"u\",\"command\":[\"sleep\"],\"dependsOn\":[\"ghost\"],\"topic\":\"nope\"}]}",
                        List.of("agents[0].dependsOn[0]: unknown agent \"ghost\"", "agents[0].topic: unknown topic \"nope\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    @Order(1)
    void badFileIsExitTwoNamingFileFieldAndProblem(String name, String content, List<String> expected) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        Daemon.Result r = cli("agents", "deploy", f.toString());
        assertThat(r.code).as("%s%n%s", name, r).isEqualTo(2);
        assertThat(r.err).as("names the file").contains(f.toString());
        for (String e : expected) assertThat(r.err).as("stderr for %s", name).contains(e);
        assertThat(r.err).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    @Order(2)
    void unreadableBinaryHugeAndByteOrderMarkedFiles() throws Exception {
        Path unreadable = dir.resolve("secret.json");
        Files.writeString(unreadable, GOOD);
        Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("-w-------"));
        if (!Files.isReadable(unreadable)) { // root reads anything; the check only means something for other users
            Daemon.Result r = cli("agents", "deploy", unreadable.toString());
            assertThat(r.code).isEqualTo(2);
            assertThat(r.err).contains(unreadable.toString()).contains("cannot be read");
        }
        Path binary = dir.resolve("binary.json");
        Files.write(binary, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, 0x00, 0x7B});
        Daemon.Result r = cli("agents", "deploy", binary.toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains(binary.toString()).contains("is not UTF-8 text");
        // just over the limit, and made of a valid-looking spec: refused by size before parsing
        Path huge = dir.resolve("huge.json");
        StringBuilder sb = new StringBuilder("{\"agents\":[");
        for (int i = 0; sb.length() < 4 * 1024 * 1024 + 10; i++) sb.append(i > 0 ? "," : "").append("{\"name\":\"a").append(i).append("\",\"command\":[\"sleep\",\"1\"]}");
        sb.append("]}");
        Files.writeString(huge, sb);
        long t0 = System.nanoTime();
        r = cli("agents", "deploy", huge.toString());
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains(huge.toString()).contains("a spec file may be at most 4194304");
        assertThat((System.nanoTime() - t0) / 1_000_000).as("refused at once").isLessThan(2000);
        // a UTF-8 byte order mark (as some editors write) is fine: same spec as without it
        Path bom = dir.resolve("bom.json");
        Files.write(bom, ("\uFEFF" + GOOD).getBytes(StandardCharsets.UTF_8));
        r = cli("agents", "deploy", bom.toString());
        assertThat(r.code).as(r.toString()).isZero();
        assertThat(r.out).contains("0 added").contains("2 unchanged");
    }

    @Test
    @Order(100)
    void theStoreHoldsExactlyTheGoodSpec() throws Exception {
        FleetSpec running = x.engine.spec();
        storeChecked = true;
        x.close();
        try (Store store = Store.open(x.home)) {
            Set<String> names = store.specs().all().stream().map(SpecRecord::name).collect(Collectors.toCollection(TreeSet::new));
            assertThat(names).containsExactly("topic:t", "v", "w");
            for (SpecRecord s : store.specs().all()) {
                if (s.name().startsWith("topic:")) continue;
                AgentSpec stored = JSON.readValue(s.json(), AgentSpec.class);
                assertThat(stored).isEqualTo(running.agents().stream().filter(a -> a.name().equals(s.name())).findFirst().orElseThrow());
            }
            JsonNode topic = JSON.readTree(store.specs().get("topic:t").orElseThrow().json());
            assertThat(topic.path("partitions").asInt()).isEqualTo(8);
        }
    }

    /** A daemon whose open-file limit is low: a deploy that needs more descriptors than it has fails whole, and the daemon lives on. */
    @Test
    @Order(50)
    void aDeployThatRunsOutOfFileDescriptorsChangesNothing() throws Exception {
        Path home = tmp.resolve("fd-home");
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder("sh", "-c", "ulimit -n 600 && exec \"$@\"", "sh", java, "-cp", System.getProperty("java.class.path"),
                "io.sabot.Main", "daemon", "--home", home.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("fd-daemon.log").toFile()).start();
        List<Long> pids = new ArrayList<>();
        try {
            Await.until(Duration.ofSeconds(30), () -> Daemon.cli("agents", "status", "--home", home.toString()).code == 0, "low-fd daemon up");
            Path small = dir.resolve("small.json");
            Files.writeString(small, "{\"agents\":[{\"name\":\"w\",\"command\":[\"sleep\",\"100000\"]}]}");
            assertThat(Daemon.cli("agents", "deploy", small.toString(), "--home", home.toString()).code).isZero();
            assertThat(Daemon.cli("agents", "start", "w", "--home", home.toString()).code).isZero();
            Path big = dir.resolve("big.json");
            Files.writeString(big, agents(1, "{\"name\":\"big\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":1000}"));
            Daemon.Result r = Daemon.cli("agents", "deploy", big.toString(), "--home", home.toString());
            assertThat(r.code).as(r.toString()).isEqualTo(2);
            assertThat(r.err).contains("cannot open the log files of 1000 new instances").contains("the engine is out of file descriptors (")
                    .contains("ulimit -n 600").contains("nothing was changed").doesNotContain("Too many open files");
            // the daemon is whole: it answers, has no trace of "big", and can still deploy and start
            Daemon.Result st = Daemon.cli("agents", "status", "--json", "--home", home.toString());
            assertThat(st.code).as(st.toString()).isZero();
            JsonNode status = JSON.readTree(st.out);
            for (JsonNode s : status) if (!s.path("pid").isNull()) pids.add(s.path("pid").asLong());
            assertThat(status).hasSize(1);
            assertThat(status.get(0).path("state").asText()).isEqualTo("RUNNING");
            Files.writeString(big, agents(1, "{\"name\":\"big\",\"command\":[\"sleep\",\"100000\"],\"concurrency\":20}"));
            assertThat(Daemon.cli("agents", "deploy", big.toString(), "--home", home.toString()).code).isZero();
            Daemon.Result started = Daemon.cli("agents", "start", "big", "--home", home.toString());
            for (JsonNode s : JSON.readTree(Daemon.cli("agents", "status", "--json", "--home", home.toString()).out)) {
                if (!s.path("pid").isNull()) pids.add(s.path("pid").asLong());
            }
            assertThat(started.code).as(started.toString()).isZero();
        } finally {
            List<Long> kids = new ArrayList<>();
            p.descendants().forEach(h -> kids.add(h.pid()));
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            for (long k : kids) Procs.kill(k);
            for (long k : pids) Procs.kill(k);
        }
        assertThat(p.exitValue()).as("the daemon stopped normally").isZero();
    }

    /** Array helper. */
    static final class Arrays2 {
        static String[] concat(String[] a, String... b) {
            String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }
}
