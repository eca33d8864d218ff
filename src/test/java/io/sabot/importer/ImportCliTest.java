package io.sabot.importer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.testing.Daemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sabot import} as users run it: output, report, exit codes. */
class ImportCliTest {
    @TempDir
    Path tmp;

    @Test
    void printsYamlOnStdoutAndTheReportOnStderr() {
        Path dir = Fixtures.copy("pm2", tmp);
        Daemon.Result r = Daemon.cli("import", dir.resolve("ecosystem.json").toString());
        assertThat(r.code).as(r.toString()).isZero();
        assertThat(r.out).startsWith("# Sabot spec imported from").contains("agents:").contains("name: api_server");
        assertThat(r.err).contains("(PM2 ecosystem file) -> 5 agents").contains("mapped (").contains("mapped approximately (")
                .contains("no equivalent (left out) (").contains("next: save it to a file");
    }

    @Test
    void writesJsonWhenTheOutputEndsInJson() throws Exception {
        Path dir = Fixtures.copy("pm2", tmp);
        Path out = tmp.resolve("spec.json");
        Daemon.Result r = Daemon.cli("import", dir.resolve("ecosystem.yaml").toString(), "-o", out.toString());
        assertThat(r.code).as(r.toString()).isZero();
        assertThat(r.out).isEmpty();
        JsonNode spec = new ObjectMapper().readTree(out.toFile());
        assertThat(spec.get("agents")).hasSize(5);
        assertThat(r.err).contains("written to " + out).contains("next: sabot agents deploy " + out);
        Daemon.Result yaml = Daemon.cli("import", dir.resolve("ecosystem.yaml").toString(), "-o", tmp.resolve("spec.yaml").toString());
        assertThat(yaml.code).isZero();
        assertThat(Files.readString(tmp.resolve("spec.yaml"))).contains("agents:\n");
    }

    @Test
    void aFileOfNoKnownFormatExitsTwoNamingTheFile() {
        Path dir = Fixtures.copy("bad", tmp);
        for (String f : List.of("random.yaml", "notes.txt", "blob.yaml", "docker-compose.yml", "no-such-file.conf")) {
            Daemon.Result r = Daemon.cli("import", dir.resolve(f).toString());
            assertThat(r.code).as(f + ": " + r).isEqualTo(2);
            assertThat(r.err).startsWith("sabot import: " + dir.resolve(f)).doesNotContain("Exception");
            assertThat(r.out).isEmpty();
        }
    }

    @Test
    void aSpecThatWouldNotDeployHereExitsOneNamingTheProblem() throws Exception {
        Path f = tmp.resolve("supervisord.conf");
        Files.writeString(f, "[program:ghost]\ncommand=sabot-no-such-command-here\n");
        Daemon.Result r = Daemon.cli("import", f.toString());
        assertThat(r.code).as(r.toString()).isEqualTo(1);
        assertThat(r.err).contains("does not deploy here as it is (1):").contains("ghost command[0]: command \"sabot-no-such-command-here\" not found on PATH");
        assertThat(r.out).contains("name: ghost"); // the spec is still written
    }

    @Test
    void aJavaScriptFileWithoutNodeOnPathSaysHowToGetNode() throws Exception {
        Path dir = Fixtures.copy("pm2", tmp);
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "io.sabot.Main", "import",
                dir.resolve("ecosystem.config.js").toString()).redirectErrorStream(true);
        pb.environment().put("PATH", tmp.resolve("empty-bin").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("ecosystem.config.js: is a JavaScript PM2 ecosystem file; reading it needs `node` on PATH")
                .contains("sudo apt install nodejs").contains("sudo dnf install nodejs");
    }
}
