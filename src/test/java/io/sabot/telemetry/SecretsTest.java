package io.sabot.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void masksNamesWithTokenSecretPasswordKey() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MODE", "live");
        env.put("GITHUB_TOKEN", "ghp_x");
        env.put("db_password", "p");
        env.put("ClientSecret", "s");
        env.put("API_KEY", "k");
        env.put("EMPTY_KEY", null);
        assertThat(Secrets.mask(env)).containsExactly(Map.entry("MODE", "live"), Map.entry("GITHUB_TOKEN", "****"),
                Map.entry("db_password", "****"), Map.entry("ClientSecret", "****"), Map.entry("API_KEY", "****"),
                new java.util.AbstractMap.SimpleEntry<>("EMPTY_KEY", null));
        assertThat(Secrets.isSecretName("PATH")).isFalse();
        assertThat(Secrets.isSecretName(null)).isFalse();
    }
}
