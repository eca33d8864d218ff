package io.sabot.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OTLP/HTTP export reaches a receiver started here, decoded with a minimal protobuf walker. */
class OtlpExportTest {
    private HttpServer server;
    private final List<byte[]> bodies = new CopyOnWriteArrayList<>();
    private final List<String> apiKeys = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            paths.add(ex.getRequestMethod() + " " + ex.getRequestURI().getPath());
            apiKeys.add(String.valueOf(ex.getRequestHeaders().getFirst("x-api-key")));
            InputStream in = ex.getRequestBody();
            if ("gzip".equalsIgnoreCase(ex.getRequestHeaders().getFirst("Content-Encoding"))) in = new GZIPInputStream(in);
            bodies.add(in.readAllBytes());
            ex.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void spansArriveAtTheOtlpReceiverWithServiceNameAndMaskedSecrets() throws Exception {
        Map<String, String> env = Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint(),
                "OTEL_EXPORTER_OTLP_HEADERS", "x-api-key=k%3D1", "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip");
        try (Telemetry tel = Telemetry.builder().env(env).exportDelay(Duration.ofMillis(50)).build()) {
            assertThat(tel.otlp()).map(OtlpSettings::endpoint).contains(endpoint() + "/v1/traces");
            Span s = tel.tracer().spanBuilder("otlp-probe-span").setAttribute("db.password", "hunter2")
                    .setAttribute("agent", "fraud").startSpan();
            s.end();
            assertThat(tel.forceFlush()).isTrue();
        }
        assertThat(paths).contains("POST /v1/traces");
        assertThat(apiKeys).contains("k=1");
        List<String> names = new ArrayList<>();
        List<String> resourceValues = new ArrayList<>();
        for (byte[] b : bodies) {
            names.addAll(Proto.spanNames(b));
            resourceValues.addAll(Proto.resourceStringValues(b));
            assertThat(new String(b, StandardCharsets.ISO_8859_1)).doesNotContain("hunter2");
        }
        assertThat(names).contains("otlp-probe-span");
        assertThat(resourceValues).contains("sabot");
    }

    @Test
    void tracesExporterNoneDisablesOtlp() throws Exception {
        Map<String, String> env = Map.of("OTEL_TRACES_EXPORTER", "none", "OTEL_EXPORTER_OTLP_ENDPOINT", endpoint());
        try (Telemetry tel = Telemetry.builder().env(env).exportDelay(Duration.ofMillis(10)).build()) {
            assertThat(tel.otlp()).isEmpty();
            tel.tracer().spanBuilder("not-exported").startSpan().end();
            tel.forceFlush();
        }
        assertThat(bodies).isEmpty();
    }

    /** Just enough protobuf: OTLP ExportTraceServiceRequest -> ResourceSpans -> ScopeSpans -> Span.name. */
    static final class Proto {
        private Proto() { }

        static List<String> spanNames(byte[] request) {
            List<String> out = new ArrayList<>();
            for (byte[] rs : fields(request, 1)) {            // resource_spans
                for (byte[] ss : fields(rs, 2)) {             // scope_spans
                    for (byte[] span : fields(ss, 2)) {       // spans
                        for (byte[] name : fields(span, 5)) out.add(new String(name, StandardCharsets.UTF_8));
                    }
                }
            }
            return out;
        }

        /** String values of the resource attributes (Resource.attributes -> KeyValue.value -> AnyValue.string_value). */
        static List<String> resourceStringValues(byte[] request) {
            List<String> out = new ArrayList<>();
            for (byte[] rs : fields(request, 1)) {
                for (byte[] res : fields(rs, 1)) {
                    for (byte[] kv : fields(res, 1)) {
                        for (byte[] any : fields(kv, 2)) {
                            for (byte[] s : fields(any, 1)) out.add(new String(s, StandardCharsets.UTF_8));
                        }
                    }
                }
            }
            return out;
        }

        /** The length-delimited values of field {@code number} in a message. */
        static List<byte[]> fields(byte[] msg, int number) {
            List<byte[]> out = new ArrayList<>();
            int[] pos = {0};
            while (pos[0] < msg.length) {
                long key = varint(msg, pos);
                int field = (int) (key >>> 3);
                int wire = (int) (key & 7);
                switch (wire) {
                    case 0: varint(msg, pos); break;
                    case 1: pos[0] += 8; break;
                    case 5: pos[0] += 4; break;
                    case 2: {
                        int len = (int) varint(msg, pos);
                        if (field == number) {
                            byte[] v = new byte[len];
                            System.arraycopy(msg, pos[0], v, 0, len);
                            out.add(v);
                        }
                        pos[0] += len;
                        break;
                    }
                    default: throw new IllegalArgumentException("unsupported wire type " + wire);
                }
            }
            return out;
        }

        private static long varint(byte[] b, int[] pos) {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte x = b[pos[0]++];
                v |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) return v;
            }
            throw new IllegalArgumentException("bad varint");
        }
    }

}
