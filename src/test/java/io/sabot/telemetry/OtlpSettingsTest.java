package io.sabot.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpSettingsTest {
    @Test
    void offUnlessAskedFor() {
        assertThat(OtlpSettings.fromEnv(Map.of())).isEmpty();
        assertThat(OtlpSettings.fromEnv(Map.of("OTEL_TRACES_EXPORTER", "none",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://h:4318"))).isEmpty();
        assertThat(OtlpSettings.fromEnv(Map.of("OTEL_SDK_DISABLED", "true",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://h:4318"))).isEmpty();
    }

    @Test
    void endpointsAndHeaders() {
        assertThat(OtlpSettings.fromEnv(Map.of("OTEL_TRACES_EXPORTER", "otlp")).orElseThrow().endpoint())
                .isEqualTo("http://localhost:4318/v1/traces");
        assertThat(OtlpSettings.fromEnv(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://h:4318/")).orElseThrow().endpoint())
                .isEqualTo("http://h:4318/v1/traces");
        OtlpSettings s = OtlpSettings.fromEnv(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://h:4318",
                "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://t:9999/custom",
                "OTEL_EXPORTER_OTLP_HEADERS", "a=1,api-key=x%20y", "OTEL_EXPORTER_OTLP_TRACES_HEADERS", "a=2")).orElseThrow();
        assertThat(s.endpoint()).isEqualTo("http://t:9999/custom");
        assertThat(s.headers()).containsEntry("a", "2").containsEntry("api-key", "x y");
        assertThat(s.toString()).doesNotContain("x y");
        OtlpSettings g = OtlpSettings.fromEnv(Map.of("OTEL_TRACES_EXPORTER", "otlp,console",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")).orElseThrow();
        assertThat(g.protocol()).isEqualTo("grpc");
        assertThat(g.endpoint()).isEqualTo("http://localhost:4317");
        assertThat(g.warnings()).anyMatch(w -> w.contains("console"));
    }
}
