package io.sabot.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sabot.testing.Await;
import io.sabot.testing.Daemon;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sabot metrics} and the optional {@code --metrics-listen} endpoint pass a real parser
 * (the Prometheus project's Python client, Debian's python3-prometheus-client: .ci/run installs
 * it; the test is skipped, saying so, where it is missing), use conventional names and units,
 * and their counters match {@code agents status}.
 */
class MetricsExportTest {
    static final String PYTHON = "/usr/bin/python3";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @BeforeAll
    static void parserPresent() throws Exception {
        boolean ok = Files.isExecutable(Path.of(PYTHON))
                && new ProcessBuilder(PYTHON, "-c", "import prometheus_client.openmetrics.parser").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        Assumptions.assumeTrue(ok, "skipped: the OpenMetrics parser is missing (apt-get install -y python3-prometheus-client; .ci/run does)");
    }

    /** The exposition parsed by the reference parser: family name -> family. */
    static Map<String, JsonNode> parse(String text, String format) throws Exception {
        Path script = Files.createTempFile("parse_metrics", ".py");
        try (InputStream in = MetricsExportTest.class.getResourceAsStream("parse_metrics.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p = new ProcessBuilder(PYTHON, script.toString(), format).redirectError(ProcessBuilder.Redirect.PIPE).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        Files.deleteIfExists(script);
        assertThat(p.exitValue()).as("the parser accepts the exposition; it said:\n%s\nof:\n%s", err, text).isZero();
        Map<String, JsonNode> fams = new HashMap<>();
        for (JsonNode f : JSON.readTree(out)) fams.put(f.path("name").asText(), f);
        return fams;
    }

    private static double value(JsonNode family, String sample, String label, String is) {
        for (JsonNode s : family.path("samples")) {
            if (s.path("name").asText().equals(sample) && s.path("labels").path(label).asText().equals(is)) return s.path("value").asDouble();
        }
        throw new AssertionError("no " + sample + "{" + label + "=\"" + is + "\"} in " + family);
    }

    @Test
    void theExpositionPassesTheReferenceParserAndItsCountersMatchStatus() throws Exception {
        Path counter = tmp.resolve("attempts");
        String spec = "{\"agents\":["
                + "{\"name\":\"flaky\",\"command\":[\"sh\",\"-c\",\"n=$(cat \\\"$0\\\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \\\"$0\\\"; "
                + "if [ $n -le 2 ]; then exit 1; fi; exec sleep 100000\",\"" + counter + "\"],\"restart\":{\"backoff\":{\"initialMs\":20,\"maxMs\":40}}},"
                + "{\"name\":\"busy\",\"command\":[\"sh\",\"-c\",\"while :; do :; done\"]},"
                + "{\"name\":\"enricher\",\"builtin\":\"enricher\",\"topic\":\"transactions\"}],"
                + "\"topics\":[{\"name\":\"transactions\",\"partitions\":4}],\"alerts\":[{\"name\":\"dead\",\"on\":\"failed\"}]}";
        Path file = tmp.resolve("spec.json");
        Files.writeString(file, spec);
        try (Daemon d = new Daemon(tmp.resolve("home"), "--metrics-listen", "127.0.0.1:0")) {
            assertThat(d.run("agents", "deploy", file.toString()).code).isZero();
            assertThat(d.run("agents", "start", "--all").code).isZero();
            Await.until(Duration.ofSeconds(60), () -> d.run("agents", "status", "--json").out.contains("\"restarts\" : 2"), "flaky restarted twice");

            Daemon.Result m = d.run("metrics");
            assertThat(m.code).isZero();
            assertThat(m.out).endsWith("# EOF\n");
            Map<String, JsonNode> fams = parse(m.out, "openmetrics");

            assertThat(fams.get("sabot_instance_restarts").path("type").asText()).isEqualTo("counter");
            assertThat(fams.get("sabot_instance_cpu_seconds").path("type").asText()).isEqualTo("counter");
            assertThat(fams.get("sabot_instance_cpu_seconds").path("unit").asText()).isEqualTo("seconds");
            assertThat(fams.get("sabot_instance_memory_bytes").path("unit").asText()).isEqualTo("bytes");
            assertThat(fams.get("sabot_instance_up").path("type").asText()).isEqualTo("gauge");
            assertThat(fams.get("sabot_consumer_lag_records").path("samples")).hasSize(4);
            assertThat(fams.get("sabot_consumer_lag_records").path("samples").get(0).path("labels").fieldNames())
                    .toIterable().containsExactlyInAnyOrder("group", "topic", "partition");
            assertThat(fams.get("sabot_consumer_committed_offset").path("samples")).hasSize(4);
            assertThat(fams.keySet()).contains("sabot_engine", "sabot_instance_state", "sabot_consumer_lag_seconds", "sabot_alerts_firing");
            assertThat(value(fams.get("sabot_alerts_firing"), "sabot_alerts_firing", "alert", "dead")).isZero();

            // the counters are the status' own figures
            JsonNode status = JSON.readTree(d.run("agents", "status", "--json").out);
            for (JsonNode s : status) {
                String id = s.path("id").asText();
                assertThat(value(fams.get("sabot_instance_restarts"), "sabot_instance_restarts_total", "instance", id))
                        .as("restarts of %s", id).isEqualTo(s.path("restarts").asDouble());
                assertThat(value(fams.get("sabot_instance_up"), "sabot_instance_up", "instance", id)).isEqualTo(s.path("state").asText().equals("RUNNING") ? 1.0 : 0.0);
            }
            assertThat(value(fams.get("sabot_instance_restarts"), "sabot_instance_restarts_total", "instance", "flaky-0")).isEqualTo(2.0);
            // a busy loop has spent CPU time, and it only grows
            double cpu1 = value(fams.get("sabot_instance_cpu_seconds"), "sabot_instance_cpu_seconds_total", "instance", "busy-0");
            Await.until(Duration.ofSeconds(30), () -> {
                try {
                    return value(parse(d.run("metrics").out, "openmetrics").get("sabot_instance_cpu_seconds"), "sabot_instance_cpu_seconds_total", "instance", "busy-0") > cpu1;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "busy-0's CPU seconds grow");

            // the listener, asked for, serves the same on loopback only
            Matcher at = Pattern.compile("metrics on http://127\\.0\\.0\\.1:(\\d+)/metrics").matcher(d.log());
            assertThat(at.find()).as("the daemon says where: %s", d.log()).isTrue();
            int port = Integer.parseInt(at.group(1));
            // 127.0.0.1, as IPv4 or IPv4-mapped IPv6: nothing else listens
            assertThat(ListeningSockets.of(d.process.pid())).singleElement().isIn(String.format("0100007F:%04X", port),
                    String.format("0000000000000000FFFF00000100007F:%04X", port));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> om = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .header("Accept", "application/openmetrics-text; version=1.0.0").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(om.statusCode()).isEqualTo(200);
            assertThat(parse(om.body(), "openmetrics").keySet()).contains("sabot_instance_restarts", "sabot_consumer_lag_records");
            HttpResponse<String> prom = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(parse(prom.body(), "prometheus").keySet()).contains("sabot_instance_restarts", "sabot_consumer_lag_records");
        }
    }

    @Test
    void aBadListenAddressIsNamedBeforeAnythingStarts() {
        Daemon.Result r = Daemon.cli("daemon", "--home", tmp.resolve("h2").toString(), "--metrics-listen", "127.0.0.1:http");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("--metrics-listen: port \"http\" is not a number");
        assertThat(List.of(tmp.resolve("h2").toFile().list() == null ? new String[0] : tmp.resolve("h2").toFile().list())).isEmpty();
    }
}
