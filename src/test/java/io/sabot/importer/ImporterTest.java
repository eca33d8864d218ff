package io.sabot.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sabot.spec.AgentSpec;
import io.sabot.spec.ExecutableCheck;
import io.sabot.spec.FleetSpec;
import io.sabot.spec.RestartPolicy;
import io.sabot.spec.SpecParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three formats, key by key, against fixtures written from each tool's documentation; the
 * report names every key of the source; the output parses back as a Sabot spec.
 */
class ImporterTest {
    @TempDir
    Path tmp;

    private static Importer.Options env(Map<String, String> extra) {
        Map<String, String> e = new HashMap<>(System.getenv());
        e.putAll(extra);
        return new Importer.Options(null, e);
    }

    private static JsonNode agent(ImportResult r, String name) {
        for (JsonNode a : r.spec().get("agents")) if (a.get("name").asText().equals(name)) return a;
        throw new AssertionError("no agent " + name + " in " + r.spec());
    }

    private static String reportText(ImportResult r) {
        StringBuilder sb = new StringBuilder();
        for (ImportReport.Entry e : r.report().entries()) sb.append(e.line()).append('\n');
        return sb.toString();
    }

    /** Every key of {@code node} (and of nested objects under {@code nested}) appears in the report. */
    private static void everyKeyReported(ImportResult r, JsonNode node, List<String> nested) {
        String text = reportText(r);
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (nested.contains(e.getKey()) && e.getValue().isObject()) {
                for (Iterator<String> k = e.getValue().fieldNames(); k.hasNext(); ) {
                    String sub = k.next();
                    assertThat(text).as("report mentions %s.%s", e.getKey(), sub).contains(sub);
                }
            } else {
                assertThat(text).as("report mentions %s", e.getKey()).contains(e.getKey());
            }
        }
    }

    // ---- PM2 -----------------------------------------------------------------------------------

    @Test
    void pm2JsonMapsEveryKey() throws Exception {
        Path dir = Fixtures.copy("pm2", tmp);
        ImportResult r = Importer.importFile(dir.resolve("ecosystem.json"), env(Map.of()));
        assertThat(r.format()).isEqualTo(Format.PM2);
        JsonNode api = agent(r, "api_server");
        assertThat(api.get("command").toString()).isEqualTo(new ObjectMapper().writeValueAsString(
                List.of("python3", "-u", dir.resolve("server.py").toString(), "--port", "0", "--greeting", "hello world")));
        assertThat(api.get("workdir").asText()).isEqualTo(dir.toString());
        assertThat(api.get("concurrency").asInt()).isEqualTo(2);
        assertThat(api.get("group").asText()).isEqualTo("payments");
        assertThat(api.get("env").get("MODE").asText()).isEqualTo("dev");
        assertThat(api.get("stopGraceMs").asLong()).isEqualTo(3000);
        assertThat(api.get("startTimeoutMs").asLong()).isEqualTo(8000);
        assertThat(api.get("limits").get("memoryMb").asInt()).isEqualTo(300);
        JsonNode restart = api.get("restart");
        assertThat(restart.get("policy").asText()).isEqualTo("permanent");
        assertThat(restart.get("maxRestarts").asInt()).isEqualTo(10);
        assertThat(restart.get("withinSeconds").asInt()).isEqualTo(50); // min_uptime 5 s x 10
        assertThat(restart.get("backoff").get("initialMs").asLong()).isEqualTo(100);
        assertThat(restart.get("backoff").get("multiplier").asDouble()).isEqualTo(1.5);
        assertThat(restart.get("backoff").get("maxMs").asLong()).isEqualTo(15_000);
        // increment_var: one agent per instance, each with its own PORT
        for (int k = 0; k < 3; k++) {
            JsonNode w = agent(r, k == 0 ? "worker" : "worker-" + k);
            assertThat(w.get("env").get("PORT").asText()).isEqualTo(Integer.toString(9000 + k));
            assertThat(w.get("env").get("NODE_APP_INSTANCE").asText()).isEqualTo(Integer.toString(k));
            assertThat(w.get("restart").get("policy").asText()).isEqualTo("temporary");
            assertThat(w.get("restart").get("backoff").get("initialMs").asLong()).isEqualTo(2000);
            assertThat(w.get("command").toString()).isEqualTo("[\"sleep\",\"300\"]");
        }
        assertThat(agent(r, "worker-1").get("group").asText()).isEqualTo("worker");
        // a script with spaces runs through bash -c, as PM2 does
        assertThat(agent(r, "ticker").get("command").toString()).isEqualTo("[\"bash\",\"-c\",\"echo tick; exec sleep 300\"]");
        assertThat(agent(r, "ticker").get("stopGraceMs").asLong()).isEqualTo(1600); // PM2's default kill_timeout

        JsonNode src = new ObjectMapper().readTree(dir.resolve("ecosystem.json").toFile());
        for (JsonNode app : src.get("apps")) everyKeyReported(r, app, List.of());
        everyKeyReported(r, src, List.of("apps"));
        assertThat(r.report().of(ImportReport.Kind.NONE)).extracting(ImportReport.Entry::source)
                .anyMatch(s -> s.startsWith("watch")).anyMatch(s -> s.startsWith("cron_restart")).anyMatch(s -> s.startsWith("deploy"));
        assertThat(r.report().of(ImportReport.Kind.APPROXIMATE)).extracting(ImportReport.Entry::source)
                .anyMatch(s -> s.startsWith("exec_mode cluster")).anyMatch(s -> s.startsWith("wait_ready"));
        // secrets are not echoed in the report
        assertThat(reportText(r)).contains("API_TOKEN=****").doesNotContain("abc123");
        assertThat(r.report().problems()).isEmpty();
    }

    @Test
    void pm2YamlAndJavaScriptGiveTheSameSpecAsJson() throws Exception {
        assumeThat(ExecutableCheck.onPath("node")).as("node on PATH").isNotNull();
        Path dir = Fixtures.copy("pm2", tmp);
        JsonNode json = Importer.importFile(dir.resolve("ecosystem.json"), env(Map.of())).spec();
        ImportResult yaml = Importer.importFile(dir.resolve("ecosystem.yaml"), env(Map.of()));
        ImportResult js = Importer.importFile(dir.resolve("ecosystem.config.js"), env(Map.of()));
        assertThat(yaml.format()).isEqualTo(Format.PM2);
        assertThat(js.format()).isEqualTo(Format.PM2);
        assertThat(yaml.spec()).isEqualTo(json);
        assertThat(js.spec()).isEqualTo(json);
        ImportResult esm = Importer.importFile(dir.resolve("ecosystem.config.mjs"), env(Map.of()));
        assertThat(agent(esm, "esm-app").get("concurrency").asInt()).isEqualTo(2);
    }

    @Test
    void pm2EnvOptionAppliesTheNamedEnvironment() throws Exception {
        Path dir = Fixtures.copy("pm2", tmp);
        ImportResult r = Importer.importFile(dir.resolve("ecosystem.json"), new Importer.Options("production", System.getenv()));
        assertThat(agent(r, "api_server").get("env").get("MODE").asText()).isEqualTo("live");
        assertThat(reportText(r)).contains("env_production (--env production)");
        ImportResult none = Importer.importFile(dir.resolve("ecosystem.json"), new Importer.Options("staging", System.getenv()));
        assertThat(none.report().problems()).anyMatch(p -> p.contains("env_staging"));
    }

    // ---- supervisord ---------------------------------------------------------------------------

    @Test
    void supervisordMapsProgramsGroupsNumprocsAndExpansions() throws Exception {
        Path dir = Fixtures.copy("supervisord", tmp);
        ImportResult r = Importer.importFile(dir.resolve("supervisord.conf"), env(Map.of("APP_ROOT", tmp.toString())));
        assertThat(r.format()).isEqualTo(Format.SUPERVISORD);
        // numprocs with %(process_num) in the command: one agent per process, named by process_name
        for (int k = 0; k < 2; k++) {
            JsonNode web = agent(r, "web_0" + k);
            assertThat(web.get("command").toString()).isEqualTo("[\"sh\",\"-c\",\"echo web " + k + " on port 800" + k + "; exec sleep 300\"]");
            assertThat(web.get("env").get("PORT").asText()).isEqualTo("800" + k);
            assertThat(web.get("env").get("APP_ROOT").asText()).isEqualTo(tmp.toString()); // %(ENV_APP_ROOT)s
            assertThat(web.get("env").get("REGION").asText()).isEqualTo("eu-west"); // [supervisord] environment
            assertThat(web.get("workdir").asText()).isEqualTo(tmp.toString());
            assertThat(web.get("group").asText()).isEqualTo("web");
            assertThat(web.get("stopGraceMs").asLong()).isEqualTo(3000);
            assertThat(web.get("restart").get("policy").asText()).isEqualTo("permanent");
        }
        // numprocs without it: concurrency; continuation line; quoted environment with commas; inline comment cut
        JsonNode worker = agent(r, "worker");
        assertThat(worker.get("command").toString()).isEqualTo("[\"sleep\",\"300\"]");
        assertThat(worker.get("concurrency").asInt()).isEqualTo(3);
        assertThat(worker.get("group").asText()).isEqualTo("backend");
        assertThat(worker.get("env").get("QUEUE").asText()).isEqualTo("jobs,urgent");
        assertThat(worker.get("env").get("GREETING").asText()).isEqualTo("hello world");
        assertThat(worker.get("env").get("DB_PASSWORD").asText()).isEqualTo("s3cret");
        assertThat(worker.get("workdir").asText()).isEqualTo(dir.toString()); // %(here)s
        assertThat(worker.get("stopGraceMs").asLong()).isEqualTo(2000);
        assertThat(worker.get("restart").get("maxRestarts").asInt()).isEqualTo(5); // startretries
        assertThat(worker.get("health").get("startSeconds").asDouble()).isEqualTo(0.0);
        JsonNode oneshot = agent(r, "oneshot");
        assertThat(oneshot.get("restart").get("policy").asText()).isEqualTo("temporary");
        assertThat(oneshot.get("group").asText()).isEqualTo("backend");
        // supervisord's defaults written out: autorestart unexpected, startsecs 1, startretries 3, stopwaitsecs 10
        JsonNode legacy = agent(r, "legacy_app");
        assertThat(legacy.get("restart").get("policy").asText()).isEqualTo("transient");
        assertThat(legacy.get("health").get("startSeconds").asDouble()).isEqualTo(1.0);
        assertThat(legacy.get("restart").get("maxRestarts").asInt()).isEqualTo(3);
        assertThat(legacy.get("stopGraceMs").asLong()).isEqualTo(10_000);
        assertThat(agent(r, "extra").get("command").toString()).isEqualTo("[\"sleep\",\"300\"]"); // [include]

        String text = reportText(r);
        for (String k : List.of("numprocs", "process_name", "autorestart", "startretries", "startsecs", "stopsignal QUIT", "stopwaitsecs",
                "environment", "directory", "programs worker,oneshot", "exitcodes 0,2", "user nobody", "priority", "stdout_logfile",
                "redirect_stderr", "autostart", "stopasgroup", "killasgroup", "[eventlistener:memmon]", "[include]", "nodaemon", "logfile")) {
            assertThat(text).as("report mentions " + k).contains(k);
        }
        assertThat(r.report().of(ImportReport.Kind.NONE)).extracting(ImportReport.Entry::source).contains("stopsignal QUIT");
        assertThat(text).contains("DB_PASSWORD=****").doesNotContain("s3cret");
    }

    @Test
    void supervisordUndefinedEnvironmentVariableIsAClearError() {
        Path dir = Fixtures.copy("bad", tmp);
        assertThatThrownBy(() -> Importer.importFile(dir.resolve("undefined-env.conf"), env(Map.of())))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("undefined-env.conf").hasMessageContaining("line 2")
                .hasMessageContaining("the environment has no SABOT_IMPORT_NO_SUCH_VAR");
    }

    // ---- process-compose ----------------------------------------------------------------------

    @Test
    void processComposeMapsProcessesReplicasDependenciesProbesAndAvailability() throws Exception {
        Path dir = Fixtures.copy("process-compose", tmp);
        ImportResult r = Importer.importFile(dir.resolve("process-compose.yaml"), env(Map.of("API_PORT", "18123")));
        assertThat(r.format()).isEqualTo(Format.PROCESS_COMPOSE);
        JsonNode db = agent(r, "db");
        // quoted arguments need no shell: an argv
        assertThat(db.get("command").get(0).asText()).isEqualTo("python3");
        assertThat(db.get("health").get("readiness").get("log").get("pattern").asText()).isEqualTo("ready to accept connections");
        assertThat(db.get("restart").get("policy").asText()).isEqualTo("permanent");
        assertThat(db.get("restart").get("maxRestarts").asInt()).isEqualTo(5);
        assertThat(db.get("restart").get("backoff").get("initialMs").asLong()).isEqualTo(2000);
        assertThat(db.get("stopGraceMs").asLong()).isEqualTo(3000);
        JsonNode api = agent(r, "api");
        // the environment wins over .env (API_PORT=1 there)
        assertThat(api.get("command").toString()).isEqualTo("[\"python3\",\"-m\",\"http.server\",\"18123\",\"--bind\",\"127.0.0.1\"]");
        assertThat(api.get("env").get("GREETING").asText()).isEqualTo("hello from api"); // {{.GREETING}}
        assertThat(api.get("env").get("GLOBAL_MODE").asText()).isEqualTo("test");
        assertThat(api.get("dependsOn").toString()).isEqualTo("[\"db\"]");
        JsonNode rp = api.get("health").get("readiness");
        assertThat(rp.get("http").get("url").asText()).isEqualTo("http://127.0.0.1:18123/");
        assertThat(rp.get("http").get("status").asText()).isEqualTo("200");
        assertThat(rp.get("periodMs").asLong()).isEqualTo(1000);
        assertThat(rp.get("failureThreshold").asInt()).isEqualTo(10);
        JsonNode lp = api.get("health").get("liveness");
        assertThat(lp.get("exec").toString()).isEqualTo("[\"test\",\"-d\",\".\"]");
        assertThat(lp.get("periodMs").asLong()).isEqualTo(5000);
        assertThat(api.get("restart").get("policy").asText()).isEqualTo("transient");
        JsonNode workers = agent(r, "workers");
        assertThat(workers.get("concurrency").asInt()).isEqualTo(3);
        assertThat(workers.get("group").asText()).isEqualTo("jobs");
        assertThat(workers.get("restart").get("policy").asText()).isEqualTo("temporary"); // process-compose's default
        // PC_REPLICA_NUM in the command: one agent per replica
        assertThat(agent(r, "shards-0").get("env").get("PC_REPLICA_NUM").asText()).isEqualTo("0");
        assertThat(agent(r, "shards-1").get("env").get("PC_REPLICA_NUM").asText()).isEqualTo("1");
        assertThat(agent(r, "shards-1").get("command").toString()).contains("${PC_REPLICA_NUM}"); // $$ left for the shell
        assertThat(agent(r, "cleanup").get("dependsOn").toString()).isEqualTo("[\"migrate\"]");

        JsonNode src = new ObjectMapper(new YAMLFactory()).readTree(dir.resolve("process-compose.yaml").toFile());
        everyKeyReported(r, src, List.of());
        for (Iterator<JsonNode> it = src.get("processes").elements(); it.hasNext(); ) {
            everyKeyReported(r, it.next(), List.of("availability", "shutdown"));
        }
        String text = reportText(r);
        for (String c : List.of("process_log_ready", "process_healthy", "process_started", "process_completed_successfully")) assertThat(text).contains(c);
        assertThat(r.report().of(ImportReport.Kind.APPROXIMATE)).extracting(ImportReport.Entry::source)
                .anyMatch(s -> s.contains("process_completed_successfully"));
    }

    // ---- output ----------------------------------------------------------------------------------

    @Test
    void renderedYamlAndJsonParseBackAsTheSameSabotSpec() throws Exception {
        Path dir = Fixtures.copy("supervisord", tmp);
        ImportResult r = Importer.importFile(dir.resolve("supervisord.conf"), env(Map.of("APP_ROOT", tmp.toString())));
        FleetSpec fromYaml = SpecParser.parse(Importer.render(r, false), true, "yaml", dir);
        FleetSpec fromJson = SpecParser.parse(Importer.render(r, true), false, "json", dir);
        assertThat(fromYaml).isEqualTo(fromJson);
        AgentSpec web = fromYaml.agents().stream().filter(a -> a.name().equals("web_01")).findFirst().orElseThrow();
        assertThat(web.env()).containsEntry("PORT", "8001").containsEntry("SHARED", "yes"); // strings stay strings
        assertThat(web.restart().policy()).isEqualTo(RestartPolicy.PERMANENT);
        assertThat(Importer.render(r, false)).startsWith("# Sabot spec imported from");
    }

    @Test
    void aCommandMissingHereIsListedAsAProblem() throws Exception {
        Path f = tmp.resolve("supervisord.conf");
        Files.writeString(f, "[program:ghost]\ncommand=sabot-no-such-command-here --flag\n");
        ImportResult r = Importer.importFile(f, env(Map.of()));
        assertThat(r.report().problems()).singleElement().asString()
                .contains("ghost").contains("sabot-no-such-command-here").contains("not found on PATH");
    }

    // ---- not what they claim to be -----------------------------------------------------------------

    @Test
    void filesOfNoKnownFormatAreRefusedWithTheReason() {
        Path dir = Fixtures.copy("bad", tmp);
        Map<String, String> expected = new HashMap<>();
        expected.put("random.yaml", "top-level keys [foo, bar]");
        expected.put("docker-compose.yml", "top-level keys [services]");
        expected.put("notes.txt", "holds a plain string");
        expected.put("broken.conf", "has no [program:x]");
        expected.put("sabot-spec.json", "already a Sabot spec");
        expected.put("blob.yaml", "binary file");
        expected.put("truncated.json", "is not valid JSON at line");
        expected.put("no-script.json", "has no \"script\"");
        expected.put("missing.yaml", "cannot be read");
        List<String> seen = new ArrayList<>();
        expected.forEach((file, why) -> {
            assertThatThrownBy(() -> Importer.importFile(dir.resolve(file), env(Map.of())))
                    .as(file).isInstanceOf(ImportException.class).hasMessageContaining(why)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("Exception"));
            seen.add(file);
        });
        assertThat(seen).hasSize(expected.size());
    }

    @Test
    void aBrokenJavaScriptEcosystemFileIsRefusedWithNodesMessage() {
        assumeThat(ExecutableCheck.onPath("node")).as("node on PATH").isNotNull();
        Path dir = Fixtures.copy("bad", tmp);
        assertThatThrownBy(() -> Importer.importFile(dir.resolve("broken.config.js"), env(Map.of())))
                .isInstanceOf(ImportException.class).hasMessageContaining("broken.config.js")
                .hasMessageContaining("node could not load it");
    }
}
